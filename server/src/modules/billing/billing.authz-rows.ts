// Authorization matrix rows for the billing routes (see server/src/test/matrix.ts).
// Columns: admin gov staff property tech guard doctor officer provider resident.
// Routes that need an Idempotency-Key answer 400 without one to those who pass (counted as
// allowed); uploads answer 415 to a JSON body once the community is in scope.
import type { MatrixRows } from '../../test/matrix.js';
import { systemActor } from '../../test/fixtures.js';
import { ResidentsService } from '../registry/index.js';
import { IdentityService } from '../identity/index.js';
import { Bills } from './billing.bills.js';
import { Fees } from './billing.fees.js';
import { Runs } from './billing.runs.js';
import { Payments } from './billing.payments.js';

const side = (c: string, other: string) => ({ own: c, other });
const pmOnly = side('oddodddddd', 'oddndddddd');

export const matrix: MatrixRows = {
  async setup(k, w) {
    const admin = systemActor();
    const fees = new Fees(k);
    const identity = new IdentityService(k);
    // the matrix's resident (with a sign-in account) lives in house1 of c1
    let me: string | null = null;
    for (const r of await new ResidentsService(k).residents.currentOfHouse(w.house1.id))
      if (await identity.repo.userByResident(r.resident_id)) me = r.resident_id;
    const make = async (community: { id: string }, house: { id: string }, residentId: string | null, tag: string) => {
      const base = { communityId: community.id, nameZh: '项', nameEn: 'item', unitPrice: 100 };
      const property = await fees.create(admin, { ...base, code: `m_property_${tag}`, kind: 'property' });
      const power = await fees.create(admin, { ...base, code: `m_power_${tag}`, kind: 'electricity' });
      const oneOff = await fees.create(admin, { ...base, code: `m_once_${tag}`, kind: 'one_off' });
      await fees.recordReading(admin, { houseId: house.id, feeItemId: power.id, period: '2026-01', reading: 100 }, 'manual');
      const flagged = await fees.recordReading(admin, { houseId: house.id, feeItemId: power.id, period: '2026-02', reading: 50 }, 'manual');
      const run = await new Runs(k).preview(admin, community.id, '2026-03');
      const bills = new Bills(k);
      const charge = async (ref: string) =>
        (
          await bills.createCharge({
            communityId: community.id,
            houseId: house.id,
            residentId: residentId ?? 'res_none',
            source: 'matrix',
            sourceRef: `${tag}-${ref}`,
            amountFen: 1000,
            subject: { zh: '测试', en: 'test' },
          })
        ).billId;
      const billId = await charge('a');
      const paid = await new Payments(k).recordOffline(
        admin,
        [(await bills.repo.bill(await charge('b')))!],
        { channel: 'cash', amountFen: 1000, offlineRef: 'M-1' },
        '127.0.0.1',
      );
      return {
        community: community.id,
        house: house.id,
        property: property.id,
        oneOff: oneOff.id,
        reading: flagged.id,
        run: run.id,
        bill: billId,
        payment: paid.id,
      };
    };
    return { own: await make(w.c1, w.house1, me, 'own'), other: await make(w.c2, w.house2, null, 'other') };
  },
  rows: {
    'GET /api/v1/me/bills': { own: 'dddddddddo', other: null },
    'GET /api/v1/me/payments': { own: 'dddddddddo', other: null },
    // a platform admin passes the gate and is stopped by the missing Idempotency-Key (400)
    'POST /api/v1/me/payments': { own: 'oddddddddo', other: null, request: (ids) => ({ body: { billIds: [ids.bill] } }) },
    'GET /api/v1/payments/:id': { ...side('odoodddddo', 'odnndddddn'), request: (ids) => ({ path: `/api/v1/payments/${ids.payment}` }) },
    'GET /api/v1/payments/:id/receipt.pdf': {
      ...side('odoodddddo', 'odnndddddn'),
      request: (ids) => ({ path: `/api/v1/payments/${ids.payment}/receipt.pdf` }),
    },
    'GET /api/v1/billing/payments': { own: 'odoodddddo', other: null },
    'POST /api/v1/billing/payments/offline': {
      ...pmOnly,
      request: (ids) => ({ body: { billIds: [ids.bill], channel: 'cash', amountFen: 1000, offlineRef: 'x' } }),
    },
    'POST /api/v1/billing/payments/:id/refund': {
      ...pmOnly,
      request: (ids) => ({ path: `/api/v1/billing/payments/${ids.payment}/refund`, body: { amountFen: 1, reason: 'matrix' } }),
    },
    'GET /api/v1/billing/fee-items': {
      ...side('odoodddddd', 'odnndddddd'),
      request: (ids) => ({ path: `/api/v1/billing/fee-items?communityId=${ids.community}` }),
    },
    'POST /api/v1/billing/fee-items': {
      ...pmOnly,
      request: (ids) => ({ body: { communityId: ids.community, code: 'matrix', nameZh: '项', nameEn: 'item', kind: 'parking', unitPrice: 1 } }),
    },
    'PATCH /api/v1/billing/fee-items/:id': { ...pmOnly, request: (ids) => ({ path: `/api/v1/billing/fee-items/${ids.property}`, body: { unitPrice: 200 } }) },
    'POST /api/v1/billing/subscriptions': { ...pmOnly, request: (ids) => ({ body: { feeItemId: ids.property, houseId: ids.house, quantity: 0 } }) },
    'GET /api/v1/billing/readings': { ...pmOnly, request: (ids) => ({ path: `/api/v1/billing/readings?communityId=${ids.community}` }) },
    'POST /api/v1/billing/readings': {
      ...pmOnly,
      request: (ids) => ({ body: { houseId: ids.house, feeItemId: ids.property, period: '2026-05', reading: 1 } }),
    },
    'POST /api/v1/billing/readings/import': { ...pmOnly, request: (ids) => ({ path: `/api/v1/billing/readings/import?communityId=${ids.community}` }) },
    'POST /api/v1/billing/readings/from-telemetry': { ...pmOnly, request: (ids) => ({ body: { communityId: ids.community, period: '2026-05' } }) },
    'POST /api/v1/billing/readings/:id/review': {
      ...pmOnly,
      request: (ids) => ({ path: `/api/v1/billing/readings/${ids.reading}/review`, body: { accept: false } }),
    },
    'GET /api/v1/billing/runs': { ...pmOnly, request: (ids) => ({ path: `/api/v1/billing/runs?communityId=${ids.community}` }) },
    'POST /api/v1/billing/runs': { ...pmOnly, request: (ids) => ({ body: { communityId: ids.community, period: '2026-03' } }) },
    'GET /api/v1/billing/runs/:id': { ...pmOnly, request: (ids) => ({ path: `/api/v1/billing/runs/${ids.run}` }) },
    'POST /api/v1/billing/runs/:id/approve': { ...pmOnly, request: (ids) => ({ path: `/api/v1/billing/runs/${ids.run}/approve` }) },
    'POST /api/v1/billing/runs/:id/publish': { ...pmOnly, request: (ids) => ({ path: `/api/v1/billing/runs/${ids.run}/publish` }) },
    'GET /api/v1/billing/bills': { own: 'odoodddddo', other: null },
    // residents read their bills through /me/bills; the staff route judges by place only
    'GET /api/v1/billing/bills/:id': { ...side('odoodddddn', 'odnndddddn'), request: (ids) => ({ path: `/api/v1/billing/bills/${ids.bill}` }) },
    'POST /api/v1/billing/bills/:id/adjustments': {
      ...pmOnly,
      request: (ids) => ({ path: `/api/v1/billing/bills/${ids.bill}/adjustments`, body: { kind: 'debit', amountFen: 1, reason: 'matrix' } }),
    },
    'POST /api/v1/billing/charges': { ...pmOnly, request: (ids) => ({ body: { houseId: ids.house, feeItemId: ids.oneOff, amountFen: 100 } }) },
    'GET /api/v1/billing/houses/:id/balance': {
      ...side('odoodddddn', 'odnndddddn'),
      request: (ids) => ({ path: `/api/v1/billing/houses/${ids.house}/balance` }),
    },
    // a government supervisor's street covers both communities
    'GET /api/v1/billing/arrears': {
      ...side('oooodddddd', 'oonndddddd'),
      request: (ids) => ({ path: `/api/v1/billing/arrears?communityId=${ids.community}` }),
    },
    'GET /api/v1/billing/collection': {
      ...side('oooodddddd', 'oonndddddd'),
      request: (ids) => ({ path: `/api/v1/billing/collection?communityId=${ids.community}` }),
    },
    'GET /api/v1/billing/arrears/export.xlsx': { ...pmOnly, request: (ids) => ({ path: `/api/v1/billing/arrears/export.xlsx?communityId=${ids.community}` }) },
    'POST /api/v1/billing/reconciliation': { ...pmOnly, request: (ids) => ({ path: `/api/v1/billing/reconciliation?communityId=${ids.community}` }) },
  },
};
/** The old name, until the matrix test reads the manifest. */
export const billingMatrix = matrix;
