// THE ingest pipeline: MQTT and HTTP both hand device messages to submit(). Validation is
// synchronous against an in-memory cache of device profiles; accepted readings are queued and
// written in batches (one transaction per flush), so readers never wait on ingest.
// The batching, token bucket and credential cache are hand-written: no library does this
// combination (per-device profile validation + insert-or-ignore rollups) for both dialects.
// The device cache and credentials are in ingest.devices.ts, message validation in ingest.validate.ts.
import type { Kernel } from '../../kernel/index.js';
import { TelemetryRepository } from './telemetry.repository.js';
import { telemetryHub, type DeviceEvent, type Reading } from './hub.js';
import { CACHE_TTL_MS, DeviceCache, type CachedDevice, type CredentialCheck } from './ingest.devices.js';
import { DeviceThrottle } from './ingest.throttle.js';
import { RawMover, type MoveOptions } from './ingest.move.js';
import { Reject, validateEvent, validateStatus, validateTelemetry, type Queued } from './ingest.validate.js';
import { MAX_REJECT_NOTES, noteOf, RejectTally, type RejectNote } from './ingest.rejects.js';

export { FUTURE_MS, PAST_MS } from './ingest.validate.js';

export interface IngestOptions {
  batchMs?: number;
  maxBatch?: number;
  maxPayloadBytes?: number;
  now?: () => number;
  /** Token bucket per device: sustained messages per second, and burst size. */
  ratePerSec?: number;
  burst?: number;
  /** When raw readings move to the series table (SQLite; ingest.move.ts). */
  move?: MoveOptions;
}

export { MAX_REJECT_NOTES, type RejectNote } from './ingest.rejects.js';

export interface SubmitResult {
  accepted: number;
  rejected: number;
  /** The first reason, as `reason: detail` (kept for MQTT logs and existing clients). */
  error?: string;
  /** Every reason (up to MAX_REJECT_NOTES), present when something was rejected. */
  rejects?: RejectNote[];
  /** The device was not cached yet: the message is validated once it is loaded. */
  deferred?: boolean;
}

export type IngestKind = 'telemetry' | 'events' | 'status';

const SEEN_WRITE_MS = 5_000;
const MAX_PENDING_PER_DEVICE = 1000;

export class IngestPipeline {
  readonly stats = { stored: 0, duplicates: 0, rejected: 0 };
  private readonly batchMs: number;
  private readonly maxBatch: number;
  private readonly maxPayloadBytes: number;
  private readonly now: () => number;
  private readonly throttle: DeviceThrottle;
  private readonly repo: TelemetryRepository;
  private readonly mover: RawMover;

  private readonly devices: DeviceCache;

  private loading = new Map<string, Promise<void>>();
  private pending = new Map<string, [IngestKind, Buffer | string | object, { throttle?: boolean }][]>();
  private seenWritten = new Map<string, number>();

  private readings: Queued[] = [];
  private events: DeviceEvent[] = [];
  private seen = new Map<string, number>();
  private offline = new Set<string>();
  private rejects = new RejectTally();
  private retries: { readings: Queued[]; attempt: number } | null = null;
  /** Readings validated since the last 'accepted' announcement (only while someone listens). */
  private accepted: Reading[] = [];
  private acceptedTimer: NodeJS.Immediate | null = null;

  private timer: NodeJS.Timeout | null = null;
  private chain: Promise<void> = Promise.resolve();
  private closed = false;
  private flushQueued = false;

  constructor(
    private k: Kernel,
    opts: IngestOptions = {},
  ) {
    this.batchMs = opts.batchMs ?? 50;
    // 500 readings per transaction: an alarm's write waits for the writer thread's transaction in
    // progress, and 500 kept the alarm p99 lower than 2,000 at half load (docs/performance.md)
    this.maxBatch = opts.maxBatch ?? 500;
    this.maxPayloadBytes = opts.maxPayloadBytes ?? 64 * 1024;
    this.now = opts.now ?? (() => k.clock.now().getTime());
    // burst: 10 s of the sustained rate, so a short backlog after a reconnect still gets through
    this.throttle = new DeviceThrottle(opts.ratePerSec ?? 50, opts.burst ?? 500);
    this.repo = new TelemetryRepository(k.db, k.database.dialect, k.database);
    this.mover = new RawMover(k, this.repo, (f) => void (this.chain = this.chain.then(f, f)), k.database.dialect === 'sqlite', opts.move);
    this.devices = new DeviceCache(this.repo);
  }

  // ----- credentials and the device cache -----

  /** Check a device credential (per connection or HTTP request); warms the device cache. */
  authenticate(deviceId: string, secret: string): Promise<boolean> {
    return this.devices.authenticate(deviceId, secret);
  }

  /** 'valid', 'wrong' (a known device, another secret) or 'unknown' (no such device). */
  checkCredential(deviceId: string, secret: string): Promise<CredentialCheck> {
    return this.devices.check(deviceId, secret);
  }

  /** The device, if `secret` is its credential (a request's credential; one verified recently is taken from memory). */
  verify(deviceId: string, secret: string): Promise<CachedDevice | null> {
    return this.devices.verify(deviceId, secret);
  }

  /** Drop what is cached about a device (after an update, a rotation, or its creation). */
  forget(deviceId: string): void {
    this.devices.forget(deviceId);
  }

  private loadThenReplay(deviceId: string): void {
    if (this.loading.has(deviceId)) return;
    const p = this.devices
      .load(deviceId)
      .catch((err) => {
        this.k.log.error({ err, deviceId }, 'ingest: could not load device');
        return null;
      })
      .then((d) => {
        this.loading.delete(deviceId);
        const msgs = this.pending.get(deviceId) ?? [];
        this.pending.delete(deviceId);
        if (!d) {
          this.stats.rejected += msgs.length;
          return;
        }
        for (const [kind, payload, o] of msgs) this.submit(deviceId, kind, payload, o);
      });
    this.loading.set(deviceId, p);
  }

  // ----- submit -----

  submit(deviceId: string, kind: IngestKind, payload: Buffer | string | object, opts: { throttle?: boolean } = {}): SubmitResult {
    if (this.closed) return this.fail(null, new Reject('closed'));
    const size = typeof payload === 'string' ? Buffer.byteLength(payload) : Buffer.isBuffer(payload) ? payload.length : 0;
    const d = this.devices.get(deviceId);
    if (size > this.maxPayloadBytes) return this.fail(d, new Reject('too_large', `${size} bytes`));
    if (!d) {
      const until = this.devices.unknownUntil(deviceId);
      if (until !== undefined && until > Date.now()) return this.fail(null, new Reject('unknown_device', deviceId));
      if (typeof deviceId !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(deviceId))
        return this.fail(null, new Reject('unknown_device', String(deviceId).slice(0, 64)));
      const q = this.pending.get(deviceId) ?? [];
      if (q.length >= MAX_PENDING_PER_DEVICE) return this.fail(null, new Reject('throttled'));
      q.push([kind, payload, opts]);
      this.pending.set(deviceId, q);
      this.loadThenReplay(deviceId);
      return { accepted: 0, rejected: 0, deferred: true };
    }
    if (Date.now() - d.loadedAt > CACHE_TTL_MS) {
      d.loadedAt = Date.now(); // refresh in the background, keep using the entry meanwhile
      this.devices.load(deviceId).catch(() => undefined);
    }
    const now = this.now();
    if (opts.throttle !== false && !this.throttle.take(deviceId, now)) {
      this.rejects.of(d.id, now).throttledUntil = new Date(now + Math.ceil(1000 / this.throttle.rate)).toISOString();
      return this.fail(d, new Reject('throttled'));
    }
    let body: unknown = payload;
    if (typeof payload === 'string' || Buffer.isBuffer(payload)) {
      try {
        body = JSON.parse(payload.toString());
      } catch {
        return this.fail(d, new Reject('bad_json'));
      }
    }
    try {
      if (kind === 'telemetry') return this.telemetry(d, body, now);
      if (kind === 'events') return this.event(d, body, now);
      if (kind === 'status') return this.status(d, body, now);
      return this.fail(d, new Reject('bad_shape', `kind ${String(kind)}`));
    } catch (e) {
      if (e instanceof Reject) return this.fail(d, e);
      throw e;
    }
  }

  /**
   * Admission for transports that can push back (the embedded broker): takes a token and returns
   * 0, or returns how many ms until the device's next token without taking one. A caller that
   * waits that long and asks again slows only this device; submit with `{ throttle: false }`
   * after admission so the token is not taken twice.
   */
  admit(deviceId: string): number {
    return this.throttle.take(deviceId, this.now()) ? 0 : this.throttle.waitMs(deviceId);
  }

  private telemetry(d: CachedDevice, body: unknown, now: number): SubmitResult {
    let accepted = 0;
    let rejected = 0;
    let error: string | undefined;
    const rejects: RejectNote[] = [];
    const bad = (e: Reject) => {
      rejected += e.n;
      this.note(d.id, e, now);
      error ??= e.detail ? `${e.reason}: ${e.detail}` : e.reason;
      if (rejects.length < MAX_REJECT_NOTES) rejects.push(noteOf(e));
    };
    const early = telemetryHub(this.k).listenerCount('accepted') > 0;
    const accept = (q: Queued) => {
      this.readings.push(q);
      if (early) this.accepted.push(q);
      accepted++;
    };
    validateTelemetry(d, body, now, accept, bad);
    if (early && accepted && !this.acceptedTimer) this.acceptedTimer = setImmediate(() => this.announceAccepted());
    this.seen.set(d.id, now); // it spoke with a valid credential: it is alive, whatever it said
    this.schedule();
    return error ? { accepted, rejected, error, rejects } : { accepted, rejected };
  }

  private event(d: CachedDevice, body: unknown, now: number): SubmitResult {
    this.events.push(validateEvent(d, body, now));
    this.seen.set(d.id, now);
    this.schedule();
    return { accepted: 1, rejected: 0 };
  }

  private status(d: CachedDevice, body: unknown, now: number): SubmitResult {
    const s = validateStatus(body);
    if (s === 'online') this.seen.set(d.id, now);
    else {
      this.seen.delete(d.id);
      this.offline.add(d.id);
    }
    this.schedule();
    return { accepted: 1, rejected: 0 };
  }

  /**
   * 'accepted': the readings validated during this turn of the event loop, as one batch, before
   * they are stored. The alarm engine evaluates rules here, so an alarm does not wait for the
   * batch write (docs/performance.md, alarm latency). A reading a device sent twice is announced
   * twice; the engine skips readings not newer than the last it evaluated for a rule and device.
   */
  private announceAccepted(): void {
    this.acceptedTimer = null;
    const batch = this.accepted;
    this.accepted = [];
    if (!batch.length) return;
    try {
      telemetryHub(this.k).emit('accepted', batch);
    } catch (err) {
      this.k.log.error({ err }, 'ingest: a listener of accepted readings failed');
    }
  }

  /** Count a rejection against a known device (written with the next flush). */
  private note(id: string, e: Reject, now: number): void {
    this.stats.rejected += e.n;
    this.rejects.count(id, e, now);
  }

  private fail(d: CachedDevice | null, e: Reject): SubmitResult {
    if (d) {
      this.note(d.id, e, this.now());
      this.schedule();
    } else this.stats.rejected += e.n;
    return { accepted: 0, rejected: e.n, error: e.detail ? `${e.reason}: ${e.detail}` : e.reason, rejects: [noteOf(e)] };
  }

  // ----- batched writes -----

  private schedule(): void {
    if (this.readings.length >= this.maxBatch) {
      if (!this.flushQueued) {
        this.flushQueued = true;
        this.flush().catch(() => {}); // logged in write(); retried by the schedule
      }
      return;
    }
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush().catch(() => {}); // logged in write(); retried by the schedule
    }, this.batchMs);
    this.timer.unref();
  }

  /** Write everything queued so far (and wait for devices still being loaded). */
  flush(): Promise<void> {
    const run = async () => {
      // Everything queued now is written before this flush resolves, at most maxBatch readings per
      // transaction, each started in a turn of the event loop of its own (small SQLite flushes
      // still run synchronously on the main connection: telemetry.sqlite.ts).
      await new Promise<void>((r) => setImmediate(r));
      if (this.loading.size) await Promise.all([...this.loading.values()]);
      let left = this.readings.length + (this.retries?.readings.length ?? 0);
      do {
        const n = await this.write();
        if (n === 0) break;
        left -= n;
        if (left > 0) await new Promise<void>((r) => setImmediate(r));
      } while (left > 0);
    };
    this.chain = this.chain.then(run, run);
    return this.chain;
  }

  async close(): Promise<void> {
    this.mover.stop();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.acceptedTimer) {
      clearImmediate(this.acceptedTimer);
      this.announceAccepted();
    }
    await this.flush();
    this.closed = true;
    await this.repo.close();
  }

  /** Write up to maxBatch queued readings (and all pending status, events and rejects); returns how many readings it took. */
  private async write(): Promise<number> {
    this.flushQueued = false;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const retry = this.retries;
    this.retries = null;
    const all = retry ? retry.readings.concat(this.readings) : this.readings;
    const queued = all.length > this.maxBatch ? all.slice(0, this.maxBatch) : all;
    const events = this.events;
    const seen = this.seen;
    const offline = this.offline;
    const rejects = this.rejects.take();
    this.readings = queued === all ? [] : all.slice(this.maxBatch);
    this.events = [];
    this.seen = new Map();
    this.offline = new Set();
    if (!queued.length && !events.length && !seen.size && !offline.size && !rejects.size) return 0;

    const now = this.now();
    const seenIds = [...seen.entries()]
      .filter(([id, at]) => !offline.has(id) && (this.seenWritten.get(id) ?? -Infinity) <= at - SEEN_WRITE_MS)
      .map(([id]) => id);
    let fresh: Reading[] = [];
    let online: string[] = [];
    let wentOffline: string[] = [];
    try {
      ({ fresh, online, wentOffline } = await this.repo.flush({
        readings: queued,
        seen: seenIds,
        at: new Date(now).toISOString(),
        offline: [...offline],
        rejects: [...rejects.values()],
      }));
    } catch (err) {
      const attempt = (retry?.attempt ?? 0) + 1;
      this.k.log.error({ err, readings: queued.length, attempt }, 'ingest: flush failed');
      if (attempt <= 3) {
        this.retries = { readings: queued, attempt };
        for (const [id, at] of seen) if (!this.seen.has(id)) this.seen.set(id, at);
        this.rejects.restore(rejects);
        this.schedule();
      }
      // Callers that acknowledge only what is stored (MQTT QoS 1) must learn that nothing was.
      throw err;
    }
    for (const id of seenIds) this.seenWritten.set(id, now);
    for (const id of wentOffline) this.seenWritten.delete(id);
    this.stats.stored += fresh.length;
    this.mover.stored(fresh.length);
    this.stats.duplicates += queued.length - fresh.length;

    const hub = telemetryHub(this.k);
    const at = new Date(now).toISOString();
    const emit = (name: string, v: unknown) => {
      try {
        hub.emit(name, v);
      } catch (err) {
        this.k.log.error({ err, name }, 'ingest: a telemetry listener failed');
      }
    };
    for (const id of online) emit('status', { deviceId: id, status: 'online', at });
    if (fresh.length) {
      emit('readings', fresh);
    }
    for (const e of events) emit('event', e);
    for (const id of wentOffline) emit('status', { deviceId: id, status: 'offline', at });
    return queued.length;
  }

  // ----- jobs -----

  /** Mark online devices silent for longer than their type's heartbeat window offline. */
  async markStaleOffline(nowMs = this.now()): Promise<string[]> {
    await this.flush();
    const changed = await this.repo.markStaleOffline(nowMs);
    const at = new Date(nowMs).toISOString();
    for (const id of changed) {
      this.seenWritten.delete(id);
      telemetryHub(this.k).emit('status', { deviceId: id, status: 'offline', at });
    }
    return changed;
  }
}
