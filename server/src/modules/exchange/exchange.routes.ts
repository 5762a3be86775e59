// Console routes of the records-out half: organisations, machine clients and their keys,
// datasets, sharing agreements and their decisions, the message log and its verification.
import type { App } from '../../kernel/app.js';
import { requireActor } from '../../kernel/http/auth.js';
import * as S from './exchange.schema.js';
import { datasets } from './exchange.datasets.js';
import type { PartiesService } from './parties.js';
import type { AgreementsService } from './agreements.js';
import type { MessageLogBrowser } from './msglog.browse.js';

const tags = ['exchange'];
const can = (action: string, subject: string) => ({ auth: { action, subject } });

export function registerExchangeConsoleRoutes(app: App, parties: PartiesService, agreements: AgreementsService, log: MessageLogBrowser) {
  app.get(
    '/api/v1/exchange/organisations',
    { config: can('read', 'Organisation'), schema: { tags, summary: 'Organisations in scope, and the one you belong to', response: { 200: S.OrgList } } },
    async (req) => {
      const actor = requireActor(req);
      return { items: await parties.listOrgs(actor), mine: await parties.orgOfUser(actor.userId) };
    },
  );
  app.post(
    '/api/v1/exchange/organisations',
    { config: can('manage', 'Organisation'), schema: { tags, summary: 'Register an organisation (member)', body: S.OrgBody, response: { 201: S.OrgView } } },
    async (req, reply) => reply.status(201).send(await parties.createOrg(requireActor(req), req.body, req.ip)),
  );
  app.post(
    '/api/v1/exchange/organisations/:id/officers',
    {
      config: can('manage', 'Organisation'),
      schema: { tags, summary: 'Put a department officer account in this organisation', params: S.IdParam, body: S.OfficerBody, response: { 200: S.Ok } },
    },
    async (req) => {
      await parties.addOfficer(requireActor(req), req.params.id, req.body.userId, req.ip);
      return { ok: true };
    },
  );
  app.get(
    '/api/v1/exchange/clients',
    { config: can('read', 'ExchangeClient'), schema: { tags, summary: 'Machine clients (subsystems) with their keys', response: { 200: S.ClientList } } },
    async (req) => ({ items: await parties.clients(requireActor(req)) }),
  );
  app.post(
    '/api/v1/exchange/organisations/:id/clients',
    {
      config: can('manage', 'ExchangeClient'),
      schema: {
        tags,
        summary: 'Register a machine client (subsystem) with its Ed25519 public key',
        params: S.IdParam,
        body: S.ClientBody,
        response: { 201: S.ClientView },
      },
    },
    async (req, reply) => reply.status(201).send(await parties.createClient(requireActor(req), req.params.id, req.body, req.ip)),
  );
  app.post(
    '/api/v1/exchange/clients/:id/keys',
    {
      config: can('manage', 'ExchangeClient'),
      schema: {
        tags,
        summary: 'Rotate: register a new public key; the active one is retired',
        params: S.IdParam,
        body: S.KeyBody,
        response: { 200: S.ClientView },
      },
    },
    async (req) => parties.rotateKey(requireActor(req), req.params.id, req.body.publicKey, req.ip),
  );
  app.post(
    '/api/v1/exchange/clients/:id/keys/:keyId/revoke',
    { config: can('manage', 'ExchangeClient'), schema: { tags, summary: 'Revoke a key at once', params: S.KeyParams, response: { 200: S.ClientView } } },
    async (req) => parties.revokeKey(requireActor(req), req.params.id, req.params.keyId, req.ip),
  );
  app.put(
    '/api/v1/exchange/clients/:id/encryption-key',
    {
      config: can('manage', 'ExchangeClient'),
      schema: {
        tags,
        summary: 'Set the public key bulk exports are encrypted to (JWK)',
        params: S.IdParam,
        body: S.EncryptionKeyBody,
        response: { 200: S.ClientView },
      },
    },
    async (req) => parties.setEncryptionKey(requireActor(req), req.params.id, req.body.encryptionKey, req.ip),
  );

  app.get(
    '/api/v1/exchange/datasets',
    { config: can('read', 'Agreement'), schema: { tags, summary: 'Datasets that can be shared and their fields', response: { 200: S.DatasetList } } },
    async () => ({ items: datasets }),
  );
  app.get(
    '/api/v1/exchange/agreements',
    {
      config: can('read', 'Agreement'),
      schema: { tags, summary: 'Sharing agreements you may see', querystring: S.AgreementQuery, response: { 200: S.AgreementPage } },
    },
    async (req) => agreements.list(requireActor(req), req.query),
  );
  app.get(
    '/api/v1/exchange/agreements/:id',
    { config: can('read', 'Agreement'), schema: { tags, summary: 'A sharing agreement', params: S.IdParam, response: { 200: S.AgreementView } } },
    async (req) => agreements.get(requireActor(req), req.params.id),
  );
  app.post(
    '/api/v1/exchange/agreements',
    {
      config: can('draft', 'Agreement'),
      schema: { tags, summary: 'Draft a sharing agreement (pending until a supervisor approves)', body: S.AgreementBody, response: { 201: S.AgreementView } },
    },
    async (req, reply) => reply.status(201).send(await agreements.draft(requireActor(req), req.body, req.ip)),
  );
  app.post(
    '/api/v1/exchange/agreements/:id/:verb',
    {
      config: can('read', 'Agreement'),
      schema: {
        tags,
        summary: 'Approve or reject (a supervisor who did not draft it), suspend, resume or revoke an agreement',
        params: S.DecisionParams,
        body: S.DecisionBody,
        response: { 200: S.AgreementView },
      },
    },
    async (req) => agreements.decide(requireActor(req), req.params.id, req.params.verb, req.body?.note, req.ip),
  );

  app.get(
    '/api/v1/exchange/messages',
    {
      config: can('read', 'ExchangeLog'),
      schema: { tags, summary: 'The exchange message log', querystring: S.MessageQuery, response: { 200: S.MessagePage } },
    },
    async (req) => log.list(requireActor(req), req.query),
  );
  app.get(
    '/api/v1/exchange/messages/verification',
    {
      config: can('read', 'ExchangeLog'),
      schema: { tags, summary: 'Verify the message log: hash chain, signed checkpoints, witness file', response: { 200: S.VerifyView } },
    },
    async () => log.verify(),
  );
}
