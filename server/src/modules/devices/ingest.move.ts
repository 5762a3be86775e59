// When the ingest pipeline moves raw readings from the time table to the series table (SQLite,
// migration 0016; the steps themselves are in telemetry.sqlite.ts). A move starts once MOVE_ROWS
// new readings were stored since the last one, every EVERY_MS when any were (so a quiet
// community's readings reach the series table too), and once EVERY_MS after start (readings a
// previous run left; an idle process does not start the writer thread for nothing). Its steps
// are queued one at a time behind the pipeline's writes, so a flush waits for one step at most.
// Readers see both tables (the telemetry_raw view), so when a move runs changes no result.
// A timer of the pipeline's own, not a kernel job: moves belong to this process's writer thread
// and its queue of writes, and a job would record a run in the database every 10 s.
import type { Kernel } from '../../kernel/index.js';
import type { TelemetryRepository } from './telemetry.repository.js';

/** Readings per move: enough that each series gets many rows at once. */
export const MOVE_ROWS = 50_000;
/** Readings per transaction of a move: a write waiting for the lock waits for one such step. */
export const MOVE_STEP = 5_000;
const EVERY_MS = 10_000;

export interface MoveOptions {
  rows?: number;
  step?: number;
  everyMs?: number;
}

export class RawMover {
  private since = 0;
  private again = true; // a move is due at the next tick even without new readings
  private running = false;
  private stopped = false;
  private readonly timer: NodeJS.Timeout | null;
  private readonly rows: number;
  private readonly step: number;

  constructor(
    private readonly k: Kernel,
    private readonly repo: TelemetryRepository,
    /** Run `f` after the writes queued so far (the pipeline's chain). */
    private readonly enqueue: (f: () => Promise<void>) => void,
    sqlite: boolean,
    opts: MoveOptions = {},
  ) {
    this.rows = opts.rows ?? MOVE_ROWS;
    this.step = opts.step ?? MOVE_STEP;
    this.timer = sqlite ? setInterval(() => (this.since > 0 || this.again) && this.start(), opts.everyMs ?? EVERY_MS) : null;
    this.timer?.unref();
  }

  /** `n` new readings were stored. */
  stored(n: number): void {
    if (!this.timer) return;
    this.since += n;
    if (this.since >= this.rows) this.start();
  }

  start(): void {
    if (this.running || this.stopped || !this.timer) return;
    this.running = true;
    this.since = 0;
    this.again = false;
    const step = async () => {
      if (this.stopped) {
        this.running = false;
        return;
      }
      try {
        const r = await this.repo.moveStep(this.rows, this.step);
        if (!r.done) return this.enqueue(step);
        this.running = false;
        if (r.moved >= this.rows) this.again = true; // there may be more: again at the next tick
      } catch (err) {
        // what was copied stays, and is copied again (idempotently) by the next move, at the next tick
        this.running = false;
        this.again = true;
        this.k.log.error({ err }, 'ingest: moving raw readings failed');
      }
    };
    this.enqueue(step);
  }

  /** No further steps (the pipeline is closing; a step in progress finishes in its chain). */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
  }
}
