// Thin HTTP layer: validate → authorize (gate) → service.
import type { App } from '../../kernel/app.js';
import { requireActor } from '../../kernel/http/auth.js';
import * as S from './alarms.schema.js';
import type { AlarmsService } from './alarms.service.js';

export function registerAlarmRoutes(app: App, svc: AlarmsService) {
  const can = (action: string, subject: string) => ({ auth: { action, subject } });
  const tags = ['alarms'];

  app.get('/api/v1/alarms', { config: can('read', 'Alarm'), schema: { tags, querystring: S.AlarmQuery, response: { 200: S.AlarmPage } } }, async (req) =>
    svc.list(requireActor(req), req.query),
  );
  app.get('/api/v1/alarms/:id', { config: can('read', 'Alarm'), schema: { tags, params: S.IdParam, response: { 200: S.AlarmView } } }, async (req) =>
    svc.get(requireActor(req), req.params.id),
  );
  app.post(
    '/api/v1/alarms/:id/acknowledge',
    { config: can('acknowledge', 'Alarm'), schema: { tags, params: S.IdParam, body: S.AcknowledgeBody, response: { 200: S.AlarmView } } },
    async (req) => svc.acknowledge(requireActor(req), req.params.id, req.body.note, req.ip),
  );
  app.post(
    '/api/v1/alarms/:id/clear',
    { config: can('clear', 'Alarm'), schema: { tags, params: S.IdParam, body: S.ClearBody, response: { 200: S.AlarmView } } },
    async (req) => svc.clear(requireActor(req), req.params.id, req.body.reason, req.ip),
  );

  app.get('/api/v1/alarm-rules', { config: can('read', 'AlarmRule'), schema: { tags, querystring: S.RuleQuery, response: { 200: S.RulePage } } }, async (req) =>
    svc.listRules(requireActor(req), req.query),
  );
  app.get('/api/v1/alarm-rules/:id', { config: can('read', 'AlarmRule'), schema: { tags, params: S.IdParam, response: { 200: S.RuleView } } }, async (req) =>
    svc.getRule(requireActor(req), req.params.id),
  );
  app.post(
    '/api/v1/alarm-rules',
    { config: can('create', 'AlarmRule'), schema: { tags, body: S.CreateRuleBody, response: { 201: S.RuleView } } },
    async (req, reply) => reply.status(201).send(await svc.createRule(requireActor(req), req.body, req.ip)),
  );
  app.patch(
    '/api/v1/alarm-rules/:id',
    { config: can('update', 'AlarmRule'), schema: { tags, params: S.IdParam, body: S.UpdateRuleBody, response: { 200: S.RuleView } } },
    async (req) => svc.updateRule(requireActor(req), req.params.id, req.body, req.ip),
  );
}
