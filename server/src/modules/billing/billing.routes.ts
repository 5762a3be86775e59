// Portal (a resident's bills and payments), payment handling for staff, and the gateway's
// notification hook. Thin: validate → authorize → service → present.
import type { App } from '../../kernel/app.js';
import type { Kernel } from '../../kernel/index.js';
import type { Actor } from '../../kernel/authz/index.js';
import { requireActor } from '../../kernel/http/auth.js';
import { AppError, notFound } from '../../kernel/http/errors.js';
import { withIdempotency } from '../../kernel/http/idempotency.js';
import { documentedBody, Paged } from '../../kernel/http/contract.js';
import * as S from './billing.schema.js';
import { billView, paymentView } from './billing.present.js';
import { outstanding, type PaymentRow } from './billing.repository.js';
import type { Payments } from './billing.payments.js';
import type { ReadsRepository } from './billing.reads.repository.js';
import { houseNames } from './billing.houses.js';
import { receiptPdf } from './billing.receipt.js';

const tags = ['billing'];
const can = (action: string, subject: string) => ({ auth: { action, subject } });

export function registerPaymentRoutes(app: App, k: Kernel, pay: Payments, q: ReadsRepository) {
  const repo = pay.bills.repo;

  /** A payment the actor may see: staff within scope, a resident their own. Else 404. */
  const visiblePayment = async (actor: Actor, id: string, action = 'read'): Promise<PaymentRow> => {
    const p = await repo.payment(id);
    if (!p) throw notFound('billing.payment_not_found');
    if (k.authz.can(actor, action, 'Payment', { placePath: p.place_path, residentId: p.resident_id })) return p;
    // a resident also sees payments (e.g. at the office) of the bills of a house they live in
    if (actor.residentId && action === 'read' && k.authz.can(actor, 'read', 'Payment', { placePath: p.place_path, residentId: actor.residentId })) {
      const { houseIds } = await pay.residentScope(actor.residentId);
      const bills = await repo.bills((await repo.paymentItems(p.id)).map((i) => i.bill_id));
      if (bills.some((b) => b.house_id && houseIds.includes(b.house_id))) return p;
    }
    throw notFound('billing.payment_not_found');
  };

  app.get(
    '/api/v1/me/bills',
    {
      config: can('pay', 'Bill'),
      schema: {
        tags: ['portal', ...tags],
        summary: "The signed-in resident's bills (their houses and charges made out to them)",
        response: { 200: S.MyBills },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      if (!actor.residentId) throw new AppError(403, 'auth.forbidden');
      const scope = await pay.residentScope(actor.residentId);
      const rows = await q.residentBills(scope.houseIds, actor.residentId);
      const names = await houseNames(
        k,
        rows.map((b) => b.house_id),
      );
      const items = rows.map((b) => billView(b, req.lang, b.house_id ? names.get(b.house_id) : null));
      return { items, outstandingFen: rows.filter((b) => b.status === 'open').reduce((s, b) => s + outstanding(b), 0) };
    },
  );

  app.get(
    '/api/v1/me/payments',
    { config: can('pay', 'Bill'), schema: { tags: ['portal', ...tags], summary: "The signed-in resident's payments", response: { 200: S.PaymentList } } },
    async (req) => {
      const actor = requireActor(req);
      if (!actor.residentId) throw new AppError(403, 'auth.forbidden');
      const scope = await pay.residentScope(actor.residentId);
      return { items: (await q.residentPayments(actor.residentId, scope.houseIds)).map((p) => paymentView(p)) };
    },
  );

  app.post(
    '/api/v1/me/payments',
    {
      config: can('pay', 'Bill'),
      schema: {
        tags: ['portal', ...tags],
        summary: 'Pay one or several bills online (Idempotency-Key required); answers where to pay',
        body: S.PayBody,
        response: { 201: S.PayOnlineAnswer },
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const origin = `${req.protocol}://${req.headers.host ?? 'localhost'}`;
      return withIdempotency(k, req, reply, async () => ({ status: 201, body: await pay.payOnline(actor, req.body.billIds, origin) }));
    },
  );

  app.get(
    '/api/v1/payments/:id',
    { config: can('read', 'Payment'), schema: { tags, summary: 'A payment with the bills it covers', params: S.IdParam, response: { 200: S.Payment } } },
    async (req) => {
      const p = await visiblePayment(requireActor(req), req.params.id);
      return paymentView(p, await repo.paymentItems(p.id));
    },
  );

  app.get(
    '/api/v1/payments/:id/receipt.pdf',
    {
      config: { ...can('read', 'Payment'), rawResponse: true },
      schema: { tags, summary: 'The receipt of a received payment (PDF)', params: S.IdParam, produces: ['application/pdf'] },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const p = await visiblePayment(actor, req.params.id);
      if (!p.receipt_no) throw new AppError(409, 'billing.payment_not_paid');
      const pdf = await receiptPdf(k, p);
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="${p.receipt_no}.pdf"`)
        .header('cache-control', 'private, no-store')
        .send(pdf);
    },
  );

  app.get(
    '/api/v1/billing/payments',
    {
      config: can('read', 'Payment'),
      schema: { tags, summary: 'Payments in scope, newest first', querystring: S.PaymentsQuery, response: { 200: Paged(S.Payment) } },
    },
    async (req) => {
      const actor = requireActor(req);
      const { items, total } = await q.payments(k.authz.reach(actor, 'read', 'Payment'), req.query);
      return { items: items.map((p) => paymentView(p)), total, page: req.query.page, pageSize: req.query.pageSize };
    },
  );

  app.post(
    '/api/v1/billing/payments/offline',
    {
      config: can('record', 'Payment'),
      schema: { tags, summary: 'Record a cash or bank-transfer payment (Idempotency-Key required)', body: S.OfflineBody, response: { 201: S.Payment } },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const rows = await repo.bills(req.body.billIds);
      if (rows.length !== req.body.billIds.length || rows.some((b) => !k.authz.can(actor, 'record', 'Payment', { placePath: b.place_path })))
        throw notFound('billing.bill_not_found');
      return withIdempotency(k, req, reply, async () => {
        const p = await pay.recordOffline(actor, rows, req.body, req.ip);
        return { status: 201, body: paymentView(p, await repo.paymentItems(p.id)) };
      });
    },
  );

  app.post(
    '/api/v1/billing/payments/:id/refund',
    {
      config: can('refund', 'Payment'),
      schema: {
        tags,
        summary: 'Refund part or all of a payment (Idempotency-Key required)',
        params: S.IdParam,
        body: S.RefundBody,
        response: { 200: S.RefundAnswer },
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      const p = await visiblePayment(actor, req.params.id, 'refund');
      return withIdempotency(k, req, reply, async () => ({ status: 200, body: await pay.refund(actor, p, req.body, req.ip) }));
    },
  );

  // The gateway's asynchronous notification. Not under /api: the caller is the gateway, which
  // signs instead of signing in; the signature, merchant, order and amount are checked inside.
  void app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16 * 1024 }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    });
    // its own limit per address: a gateway sends in bursts (one per payment, retries), the sign-in limits do not fit
    scope.post(
      '/hooks/pay/notify',
      {
        config: {
          auth: 'public',
          rateLimit: { max: 6000, timeWindow: '1 minute' },
          rawResponse: true,
          ...documentedBody({ 'application/x-www-form-urlencoded': S.NotifyForm }),
        },
        schema: { tags, summary: "The payment gateway's signed notification; answers text/plain success or fail", produces: ['text/plain'] },
      },
      async (req, reply) => {
        const params = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
        const flat = Object.fromEntries(Object.entries(params).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
        const r = await pay.notify(flat);
        // "success" stops the gateway resending; a refused notification is answered "fail"
        return reply
          .type('text/plain')
          .status(r.outcome === 'refused' ? 400 : 200)
          .send(r.outcome === 'refused' ? 'fail' : 'success');
      },
    );
  });
}
