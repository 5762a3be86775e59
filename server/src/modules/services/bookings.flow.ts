// What happens to a booking after it is made: the provider confirms, declines, completes or
// cancels it; the resident cancels (under the service's rule), pays through billing and rates.
// Every change is a conditional UPDATE on (status, version), audited with its actor and time, and
// told to the other party's inbox.
import { systemActor, type Actor } from '../../kernel/authz/index.js';
import { AppError, conflict, forbidden } from '../../kernel/http/errors.js';
import type { Lang } from '../../kernel/http/i18n.js';
import { t as tr } from '../../kernel/http/i18n.js';
import { iso } from '../../kernel/clock.js';
import { createCharge } from '../billing/index.js';
import type { BookingRow } from './services.repository.js';
import { cancellationFee, providerTransitions, residentCancelFrom, seatHolding, type BookingStatus, type ProviderAction } from './services.states.js';
import type { NoteBody, RateBody } from './services.schema.js';
import type { ChargePaid } from '../billing/index.js';
import type { BookingsService } from './bookings.service.js';
import { BOOKING_STATUS_CHANGED, type BookingStatusChanged } from './services.events.js';

const illegal = (from: string, action: string) => conflict('services.illegal_transition', { from, action });
const statusName = (s: string) => ({ zh: tr('zh-CN', `services.status.${s}`), en: tr('en', `services.status.${s}`) });

interface Move {
  action: string;
  actor: Actor;
  to: BookingStatus;
  patch?: Partial<BookingRow>;
  note?: string | null;
  ip: string | null;
  detail?: Record<string, unknown>;
}

export class BookingFlow {
  constructor(private svc: BookingsService) {}

  private get k() {
    return this.svc.k;
  }

  /** Apply one transition if the booking is still as it was read; 409 otherwise. */
  private async move(b: BookingRow, m: Move): Promise<BookingRow> {
    const at = iso(this.k.clock.now());
    const patch: Partial<BookingRow> = { ...m.patch, status: m.to, updated_at: at };
    await this.k.db.transaction().execute(async (t) => {
      if (!(await this.svc.repo.updateBookingIf(t, b.id, { status: b.status, version: b.version }, patch))) throw conflict('services.version_conflict');
      // a booking that leaves the slot gives its seat back
      if (seatHolding.includes(b.status) && !seatHolding.includes(m.to)) await this.svc.repo.freeSeat(t, b.id);
      await this.svc.recordEvent(t, b, { action: m.action, actor: m.actor, from: b.status, to: m.to, note: m.note ?? null, at, ip: m.ip, detail: m.detail });
    });
    const after = (await this.svc.repo.bookingById(b.id))!;
    if (b.status !== after.status) {
      await this.k.events.publish<BookingStatusChanged>(BOOKING_STATUS_CHANGED, {
        bookingId: after.id,
        providerId: after.provider_id,
        communityId: after.community_id,
        from: b.status,
        to: after.status,
        action: m.action,
      });
    }
    return after;
  }

  // ---------- provider ----------
  async providerAct(actor: Actor, id: string, action: ProviderAction, body: NoteBody, ip: string, lang: Lang) {
    const { b } = await this.svc.providerReachable(actor, id);
    if (!this.k.authz.can(actor, action, 'ProviderBooking', { placePath: b.place_path })) throw forbidden();
    const def = providerTransitions[action];
    if (!def.from.includes(b.status)) throw illegal(b.status, action);
    const patch: Partial<BookingRow> = action === 'cancel' ? { cancelled_by: 'provider' } : {};
    let after = await this.move(b, { action, actor, to: def.to, patch, note: body.note?.trim() || null, ip });
    await this.svc.notifyResident(after, 'services.notify.status', { number: after.number, status: statusName(after.status) }, `services.${action}`);
    if (action === 'done') after = await this.charge(after, after.price_fen);
    return this.svc.detail(actor, after, lang, 'provider');
  }

  // ---------- resident ----------
  private async ownBooking(actor: Actor, id: string, action: string): Promise<BookingRow> {
    const b = await this.svc.reachable(actor, id);
    if (
      !actor.residentId ||
      b.resident_id !== actor.residentId ||
      !this.k.authz.can(actor, action, 'ServiceBooking', { placePath: b.place_path, residentId: b.resident_id })
    ) {
      throw forbidden();
    }
    return b;
  }

  async cancel(actor: Actor, id: string, body: NoteBody, ip: string, lang: Lang) {
    const b = await this.ownBooking(actor, id, 'cancel');
    if (!residentCancelFrom.includes(b.status)) throw illegal(b.status, 'cancel');
    const fee = cancellationFee(b, this.k.clock.now());
    let after = await this.move(b, {
      action: 'cancel',
      actor,
      to: 'cancelled',
      patch: { cancelled_by: 'resident', charged_fen: fee || null },
      note: body.note?.trim() || null,
      ip,
      detail: { feeFen: fee, freeCancelHours: b.free_cancel_hours, slotStart: b.slot_start },
    });
    await this.svc.notifyProvider(after, 'services.notify.cancelled', { number: after.number }, 'services.cancelled');
    if (fee > 0) after = await this.charge(after, fee);
    return this.svc.detail(actor, after, lang, 'resident');
  }

  async rate(actor: Actor, id: string, body: RateBody, ip: string, lang: Lang) {
    const b = await this.ownBooking(actor, id, 'rate');
    if (b.rating != null || b.status === 'rated') throw conflict('services.already_rated');
    if (b.status !== 'paid') throw conflict('services.not_ratable');
    const comment = body.comment?.trim() || null;
    let after: BookingRow;
    try {
      after = await this.move(b, {
        action: 'rate',
        actor,
        to: 'rated',
        patch: { rating: body.rating, rating_comment: comment },
        note: comment,
        ip,
        detail: { rating: body.rating },
      });
    } catch (e) {
      // two rates at once: the loser learns it is already rated
      if (e instanceof AppError && e.code === 'services.version_conflict' && (await this.svc.repo.bookingById(b.id))?.rating != null)
        throw conflict('services.already_rated');
      throw e;
    }
    await this.svc.notifyProvider(after, 'services.notify.rated', { number: after.number, rating: body.rating }, 'services.rated');
    return this.svc.detail(actor, after, lang, 'resident');
  }

  /** The bill to pay for a done booking (or a late-cancellation fee); creates it if it is missing. */
  async payTarget(actor: Actor, id: string) {
    const b = await this.ownBooking(actor, id, 'pay');
    const payable = b.status === 'done' || (b.status === 'cancelled' && !!b.charged_fen && !b.paid_at);
    if (!payable) throw conflict('services.not_payable');
    const after = b.bill_id ? b : await this.charge(b, b.status === 'done' ? b.price_fen : b.charged_fen!);
    if (!after.bill_id) throw new AppError(503, 'services.billing_unavailable');
    return { bookingId: after.id, billId: after.bill_id, amountFen: after.charged_fen };
  }

  // ---------- payment (billing) ----------
  /**
   * Ask billing for the bill of this booking. Billing is idempotent on (source, sourceRef), so a
   * retry after a failure gets the same bill. A failure leaves the booking as it is (the resident's
   * pay button asks again).
   */
  private async charge(b: BookingRow, amountFen: number): Promise<BookingRow> {
    if (b.bill_id || amountFen <= 0) return b;
    const fee = b.status === 'cancelled';
    try {
      const { billId } = await createCharge(this.k, {
        communityId: b.community_id,
        houseId: b.house_id,
        residentId: b.resident_id,
        source: 'services',
        sourceRef: b.id,
        amountFen,
        subject: fee
          ? { zh: `家政服务取消费：${b.service_name_zh}（${b.number}）`, en: `Cancellation fee: ${b.service_name_en} (${b.number})` }
          : { zh: `家政服务：${b.service_name_zh}（${b.number}）`, en: `Household service: ${b.service_name_en} (${b.number})` },
      });
      await this.svc.repo.setBill(b.id, billId, amountFen);
    } catch (err) {
      this.k.log.error({ err, bookingId: b.id }, 'services: creating the charge failed');
    }
    return (await this.svc.repo.bookingById(b.id))!;
  }

  /** From `billing.charge.paid`: a done booking becomes paid; a cancellation fee is marked paid. Once only. */
  async onChargePaid(p: ChargePaid): Promise<BookingRow | null> {
    if (p.source !== 'services') return null;
    const b = await this.svc.repo.bookingById(p.sourceRef);
    if (!b || b.paid_at) return b ?? null;
    if (b.bill_id && b.bill_id !== p.billId) {
      this.k.log.warn({ bookingId: b.id, billId: p.billId }, "services: payment for a bill that is not the booking's");
      return b;
    }
    const to: BookingStatus = b.status === 'done' ? 'paid' : b.status;
    if (b.status !== 'done' && b.status !== 'cancelled') return b;
    let after: BookingRow;
    try {
      after = await this.move(b, {
        action: 'paid',
        // billing's payment event, not a person, moves it: the system actor of this subscription
        actor: systemActor('services.charge-paid'),
        to,
        patch: { payment_id: p.paymentId, paid_at: p.paidAt, bill_id: b.bill_id ?? p.billId },
        ip: null,
        detail: { billId: p.billId, paymentId: p.paymentId },
      });
    } catch (e) {
      if (e instanceof AppError && e.code === 'services.version_conflict') return (await this.svc.repo.bookingById(b.id)) ?? null; // a duplicate delivery won
      throw e;
    }
    await this.svc.notifyProvider(after, 'services.notify.paid', { number: after.number }, 'services.paid');
    return after;
  }
}
