// Console routes: fee items, meter readings, billing runs, bills and adjustments, arrears,
// collection, reconciliation. Thin: validate → authorize → service → present.
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { App } from '../../kernel/app.js';
import type { Kernel } from '../../kernel/index.js';
import { requireActor } from '../../kernel/http/auth.js';
import { notFound } from '../../kernel/http/errors.js';
import { withIdempotency } from '../../kernel/http/idempotency.js';
import { documentedBody, fileUpload, Paged } from '../../kernel/http/contract.js';
import * as S from './billing.schema.js';
import { billView } from './billing.present.js';
import { balance } from './billing.ledger.js';
import type { Bills } from './billing.bills.js';
import { Fees } from './billing.fees.js';
import { Runs, runView } from './billing.runs.js';
import type { ReadsRepository } from './billing.reads.repository.js';
import { houseNames, houseOf } from './billing.houses.js';
import { readingsFromTelemetry } from './billing.telemetry.js';
import { importReadings } from './billing.import.js';
import { arrears, arrearsXlsx, collection, reconcile } from './billing.arrears.js';
import { readUpload } from '../../kernel/http/upload.js';

const tags = ['billing'];
const can = (action: string, subject: string) => ({ auth: { action, subject } });

const upload = async (req: FastifyRequest, maxBytes: number) => (await readUpload(req, maxBytes)).data;

export function registerAdminRoutes(app: App, k: Kernel, bills: Bills, q: ReadsRepository) {
  const fees = new Fees(k);
  const runs = new Runs(k);
  const CommunityOnly = Type.Object({ communityId: Type.String({ minLength: 1, maxLength: 64 }) });

  app.get(
    '/api/v1/billing/fee-items',
    { config: can('read', 'FeeItem'), schema: { tags, summary: 'Fee items of a community', querystring: CommunityOnly, response: { 200: S.FeeItemList } } },
    async (req) => ({ items: await fees.list(requireActor(req), req.query.communityId) }),
  );
  app.post(
    '/api/v1/billing/fee-items',
    {
      config: can('manage', 'FeeItem'),
      schema: { tags, summary: 'Create a fee item (prices in 1/100 fen per unit)', body: S.FeeItemBody, response: { 201: S.FeeItem } },
    },
    async (req, reply) => reply.status(201).send(await fees.create(requireActor(req), req.body, req.ip)),
  );
  app.patch(
    '/api/v1/billing/fee-items/:id',
    {
      config: can('manage', 'FeeItem'),
      schema: { tags, summary: 'Change a fee item (applies to later runs)', params: S.IdParam, body: S.FeeItemPatch, response: { 200: S.FeeItem } },
    },
    async (req) => fees.update(requireActor(req), req.params.id, req.body, req.ip),
  );
  app.post(
    '/api/v1/billing/subscriptions',
    {
      config: can('manage', 'FeeItem'),
      schema: { tags, summary: 'Per-house quantity of an item (e.g. parking spaces); 0 removes', body: S.SubscriptionBody, response: { 200: S.Subscription } },
    },
    async (req) => fees.subscribe(requireActor(req), req.body),
  );

  app.get(
    '/api/v1/billing/readings',
    {
      config: can('read', 'MeterReading'),
      schema: { tags, summary: 'Meter readings of a community', querystring: S.CommunityQuery, response: { 200: S.ReadingList } },
    },
    async (req) => ({ items: await fees.readings(requireActor(req), req.query.communityId, req.query.period, req.query.status) }),
  );
  app.post(
    '/api/v1/billing/readings',
    {
      config: can('create', 'MeterReading'),
      schema: {
        tags,
        summary: 'Enter a meter reading (flagged when lower than before or an implausible jump)',
        body: S.ReadingBody,
        response: { 201: S.Reading },
      },
    },
    async (req, reply) => reply.status(201).send(await fees.recordReading(requireActor(req), req.body, 'manual')),
  );
  app.post(
    '/api/v1/billing/readings/import',
    {
      config: { ...can('create', 'MeterReading'), ...documentedBody({ 'multipart/form-data': fileUpload() }) },
      schema: {
        tags,
        summary: 'Import meter readings (multipart: file = XLSX; query communityId)',
        querystring: CommunityOnly,
        response: { 200: S.ImportAnswer },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      await fees.community(actor, req.query.communityId, 'create', 'MeterReading'); // scope first: another community's upload is 404, unread
      return importReadings(k, actor, req.query.communityId, await upload(req, 10 * 1024 * 1024), req.lang);
    },
  );
  app.post(
    '/api/v1/billing/readings/from-telemetry',
    {
      config: can('create', 'MeterReading'),
      schema: {
        tags,
        summary: "Take the period's readings from household smart meters (devices at houses; staff readings are kept)",
        body: S.RunBody,
        response: { 200: S.TelemetryAnswer },
      },
    },
    async (req) => readingsFromTelemetry(k, fees, requireActor(req), req.body.communityId, req.body.period),
  );
  app.post(
    '/api/v1/billing/readings/:id/review',
    {
      config: can('review', 'MeterReading'),
      schema: { tags, summary: 'Accept or reject a flagged reading', params: S.IdParam, body: S.ReviewBody, response: { 200: S.Reading } },
    },
    async (req) => fees.review(requireActor(req), req.params.id, req.body.accept, req.ip),
  );

  app.get(
    '/api/v1/billing/runs',
    { config: can('read', 'BillingRun'), schema: { tags, summary: 'Billing runs of a community', querystring: CommunityOnly, response: { 200: S.RunList } } },
    async (req) => ({ items: await runs.list(requireActor(req), req.query.communityId) }),
  );
  app.post(
    '/api/v1/billing/runs',
    {
      config: can('create', 'BillingRun'),
      schema: {
        tags,
        summary: 'Preview the bills of a period (again: recomputes the drafts; once published: no new bills)',
        body: S.RunBody,
        response: { 200: S.Run },
      },
    },
    async (req) => runView(await runs.preview(requireActor(req), req.body.communityId, req.body.period)),
  );
  app.get(
    '/api/v1/billing/runs/:id',
    { config: can('read', 'BillingRun'), schema: { tags, summary: 'A billing run', params: S.IdParam, response: { 200: S.Run } } },
    async (req) => runView(await runs.get(requireActor(req), req.params.id)),
  );
  app.post(
    '/api/v1/billing/runs/:id/approve',
    { config: can('approve', 'BillingRun'), schema: { tags, summary: 'Approve a previewed run', params: S.IdParam, response: { 200: S.Run } } },
    async (req) => runView(await runs.approve(requireActor(req), req.params.id, req.ip)),
  );
  app.post(
    '/api/v1/billing/runs/:id/publish',
    {
      config: can('publish', 'BillingRun'),
      schema: { tags, summary: 'Publish an approved run: bills open and enter the ledger', params: S.IdParam, response: { 200: S.Run } },
    },
    async (req) => runView(await runs.publish(requireActor(req), req.params.id, req.ip)),
  );

  app.get(
    '/api/v1/billing/bills',
    { config: can('read', 'Bill'), schema: { tags, summary: 'Bills in scope', querystring: S.BillsQuery, response: { 200: Paged(S.Bill) } } },
    async (req) => {
      const { items, total } = await q.bills(k.authz.reach(requireActor(req), 'read', 'Bill'), req.query);
      const names = await houseNames(
        k,
        items.map((b) => b.house_id),
      );
      return {
        items: items.map((b) => billView(b, req.lang, b.house_id ? names.get(b.house_id) : null)),
        total,
        page: req.query.page,
        pageSize: req.query.pageSize,
      };
    },
  );
  app.get(
    '/api/v1/billing/bills/:id',
    { config: can('read', 'Bill'), schema: { tags, summary: 'A bill with its adjustments and payments', params: S.IdParam, response: { 200: S.BillDetail } } },
    async (req) => {
      const actor = requireActor(req);
      const b = await bills.repo.bill(req.params.id);
      if (!b || !k.authz.can(actor, 'read', 'Bill', { placePath: b.place_path })) throw notFound('billing.bill_not_found');
      const adjustments = await bills.repo.adjustments(b.id);
      const payments = await bills.repo.paymentsOfBill(b.id);
      const names = await houseNames(k, [b.house_id]);
      return {
        ...billView(b, req.lang, b.house_id ? names.get(b.house_id) : null),
        adjustments: adjustments.map((a) => ({ id: a.id, kind: a.kind, amountFen: a.amount_fen, reason: a.reason, createdAt: a.created_at })),
        payments: payments.map((p) => ({
          id: p.id,
          status: p.status,
          channel: p.channel,
          receiptNo: p.receipt_no,
          paidAt: p.paid_at,
          appliedFen: p.applied_fen,
        })),
      };
    },
  );
  app.post(
    '/api/v1/billing/bills/:id/adjustments',
    {
      config: can('adjust', 'Bill'),
      schema: {
        tags,
        summary: 'A credit or debit note on a published bill (Idempotency-Key required)',
        params: S.IdParam,
        body: S.AdjustBody,
        response: { 201: S.Adjustment },
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const b = await bills.repo.bill(req.params.id);
      if (!b || !k.authz.can(actor, 'adjust', 'Bill', { placePath: b.place_path })) throw notFound('billing.bill_not_found');
      return withIdempotency(k, req, reply, async () => ({ status: 201, body: await bills.adjust(b, { ...req.body, actorId: actor.userId, ip: req.ip }) }));
    },
  );
  app.post(
    '/api/v1/billing/charges',
    {
      config: can('charge', 'Bill'),
      schema: { tags, summary: 'Charge a one-off item or a deposit to a house (Idempotency-Key required)', body: S.ChargeBody, response: { 201: S.Bill } },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const f = await bills.repo.feeItem(req.body.feeItemId);
      if (!f || !k.authz.can(actor, 'charge', 'Bill', { placePath: f.place_path })) throw notFound('billing.not_found'); // scope before the key: another community's item is 404
      return withIdempotency(k, req, reply, async () => ({ status: 201, body: billView(await bills.staffCharge(actor, req.body, req.ip), req.lang) }));
    },
  );
  app.get(
    '/api/v1/billing/houses/:id/balance',
    {
      config: can('read', 'Bill'),
      schema: { tags, summary: 'What a house owes (its receivable account in the ledger)', params: S.IdParam, response: { 200: S.HouseBalance } },
    },
    async (req) => {
      const actor = requireActor(req);
      const h = await houseOf(k, req.params.id);
      if (!h || !k.authz.can(actor, 'read', 'Bill', { placePath: h.path })) throw notFound('billing.house_unknown');
      return { houseId: h.id, balanceFen: await balance(k.db, `receivable:${h.id}`) };
    },
  );

  const scoped = async (req: FastifyRequest, communityId: string, action: string) => fees.community(requireActor(req), communityId, action, 'Arrears');
  app.get(
    '/api/v1/billing/arrears',
    {
      config: can('read', 'Arrears'),
      schema: { tags, summary: 'Arrears by house with aging buckets', querystring: S.ArrearsQuery, response: { 200: S.ArrearsAnswer } },
    },
    async (req) => {
      const c = await scoped(req, req.query.communityId, 'read');
      return arrears(k, c.id, k.clock.now());
    },
  );
  app.get(
    '/api/v1/billing/arrears/export.xlsx',
    {
      config: { ...can('export', 'Arrears'), rawResponse: true },
      schema: {
        tags,
        summary: 'Arrears as XLSX',
        querystring: S.ArrearsQuery,
        produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const c = await scoped(req, req.query.communityId, 'export');
      const data = await arrearsXlsx(k, c.id, k.clock.now(), req.lang);
      await k.audit.record({
        actorId: actor.userId,
        actorName: actor.name,
        action: 'billing.arrears.export',
        targetType: 'Arrears',
        targetId: c.id,
        scopePath: c.path,
        ip: req.ip,
      });
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', 'attachment; filename="arrears.xlsx"')
        .send(data);
    },
  );
  app.get(
    '/api/v1/billing/collection',
    {
      config: can('read', 'Arrears'),
      schema: { tags, summary: 'Collection rate per estate and per month', querystring: S.ArrearsQuery, response: { 200: S.CollectionAnswer } },
    },
    async (req) => {
      const c = await scoped(req, req.query.communityId, 'read');
      return collection(k, c.id);
    },
  );
  app.post(
    '/api/v1/billing/reconciliation',
    {
      config: { ...can('reconcile', 'Payment'), ...documentedBody({ 'multipart/form-data': fileUpload() }) },
      schema: {
        tags,
        summary: 'Reconcile a gateway statement (multipart: file = CSV; query communityId): missing, extra, mismatched',
        querystring: S.ArrearsQuery,
        response: { 200: S.ReconcileAnswer },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const c = await fees.community(actor, req.query.communityId, 'reconcile', 'Payment');
      const data = await upload(req, 10 * 1024 * 1024);
      return reconcile(k, c.id, data.toString('utf8'));
    },
  );
}
