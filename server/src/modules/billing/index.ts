// Life services: fees, bills, payments, ledger, receipts, arrears (issue 5).
// Other modules charge residents through createCharge() and learn of payment through the
// events billing.charge.paid / billing.charge.refunded (payloads below).
import type { Module } from '../../kernel/app.js';
import type { Kernel } from '../../kernel/index.js';
import { WO_COST_RECORDED, type CostRecorded } from '../workorders/index.js';
import { billingMessages, billingPermissions } from './billing.policy.js';
import { CHARGE_PAID, CHARGE_REFUNDED } from './billing.events.js';
import { Bills, type ChargeInput } from './billing.bills.js';
import { Payments } from './billing.payments.js';
import { ReadsRepository } from './billing.reads.repository.js';
import { registerPaymentRoutes } from './billing.routes.js';
import { registerAdminRoutes } from './billing.admin-routes.js';
import { accrueLateFees } from './billing.late.js';
import { seedDemoBilling } from './billing.demo.js';
import { places } from '../registry/index.js';

export { CHARGE_PAID, CHARGE_REFUNDED } from './billing.events.js';
export type { ChargePaid, ChargeRefunded } from './billing.events.js';
export type { ChargeInput } from './billing.bills.js';
export { billingMessages, billingPermissions } from './billing.policy.js';

/**
 * A one-off bill (e.g. a household-service booking) that the resident pays in the portal like any
 * other bill. Idempotent on (source, sourceRef): calling again returns the same bill.
 */
export async function createCharge(k: Kernel, input: ChargeInput): Promise<{ billId: string }> {
  return new Bills(k).createCharge(input);
}

export const LATE_FEES_JOB = 'billing.late-fees';
export const CLOSE_EXPIRED_JOB = 'billing.close-expired-orders';

export const billingModule: Module = {
  name: 'billing',
  summary: 'Fees, meter readings, billing runs, bills, online and offline payments, refunds, the ledger, receipts, arrears and reconciliation',
  url: import.meta.url,
  permissions: billingPermissions,
  messages: billingMessages,
  publishes: [CHARGE_PAID, CHARGE_REFUNDED],
  subscribes: [WO_COST_RECORDED],
  jobs: [LATE_FEES_JOB, CLOSE_EXPIRED_JOB],
  matrix: 'billing.authz-rows.js',
  docs: 'docs/api/billing.md',
  seed: async (k, demo) => seedDemoBilling(k, (await places.getPlace(k, demo.communityId))!), // fee items, readings, two published months with arrears, one run to approve
  async register(app, k) {
    const bills = new Bills(k);
    // the notify URL of the sandbox is this node's own listening address
    const localBase = () => {
      const a = app.server.address();
      return `http://127.0.0.1:${a && typeof a === 'object' ? a.port : k.config.port}`;
    };
    const payments = new Payments(k, localBase);
    const queries = new ReadsRepository(k.db);
    registerPaymentRoutes(app, k, payments, queries);
    registerAdminRoutes(app, k, bills, queries);
    app.addHook('onClose', async () => payments.stop());
    k.jobs.register({ name: LATE_FEES_JOB, everyMs: 3_600_000, run: async ({ now }) => void (await accrueLateFees(k, now)) });
    k.jobs.register({ name: CLOSE_EXPIRED_JOB, everyMs: 60_000, run: async ({ now }) => void (await payments.closeExpired(now)) });
    // a repair's recorded cost becomes a one-off charge to the house (one bill per cost record)
    k.events.subscribe<CostRecorded>(
      WO_COST_RECORDED,
      async (e) => {
        const c = e.payload;
        if (!c.residentId || c.totalFen <= 0) return; // public-area repairs are not charged to anyone
        const ref = `${c.workOrderId}:${c.lines
          .map((l) => l.id)
          .sort()
          .join(',')}`;
        await bills.createCharge({
          communityId: c.communityId,
          houseId: c.houseId,
          residentId: c.residentId,
          source: 'workorders',
          sourceRef: ref,
          amountFen: c.totalFen,
          subject: {
            zh: `维修费用：${c.lines.map((l) => l.description).join('、')}`.slice(0, 200),
            en: `Repair cost: ${c.lines.map((l) => l.description).join(', ')}`.slice(0, 200),
          },
        });
      },
      { mode: 'once', group: 'billing.cost-recorded' },
    );
  },
};
