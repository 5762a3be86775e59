// When the ingest pipeline moves raw readings from the time table to the series table (SQLite,
// migration 0016; the steps themselves are in telemetry.sqlite.ts). A move starts once MOVE_ROWS
// new readings were stored since the last one, and every EVERY_MS in any case (so a quiet
// community's readings, and those left by a previous run, reach the series table too). Its steps
// are queued one at a time behind the pipeline's writes, so a flush waits for one step at most.
// Readers see both tables (the telemetry_raw view), so when a move runs changes no result.
import type { Kernel } from '../../kernel/index.js';
import type { TelemetryRepository } from './telemetry.repository.js';

/** Readings per move: enough that each series gets many rows at once. */
export const MOVE_ROWS = 50_000;
/** Readings per transaction of a move: a write waiting for the lock waits for one such step. */
export const MOVE_STEP = 5_000;
const EVERY_MS = 10_000;

export class RawMover {
  private since = 0;
  private running = false;
  private stopped = false;
  private readonly timer: NodeJS.Timeout | null;

  constructor(
    private readonly k: Kernel,
    private readonly repo: TelemetryRepository,
    /** Run `f` after the writes queued so far (the pipeline's chain). */
    private readonly enqueue: (f: () => Promise<void>) => void,
    sqlite: boolean,
  ) {
    this.timer = sqlite ? setInterval(() => this.start(), EVERY_MS) : null;
    this.timer?.unref();
  }

  /** `n` new readings were stored. */
  stored(n: number): void {
    if (!this.timer) return;
    this.since += n;
    if (this.since >= MOVE_ROWS) this.start();
  }

  start(): void {
    if (this.running || this.stopped || !this.timer) return;
    this.running = true;
    this.since = 0;
    const step = async () => {
      if (this.stopped) {
        this.running = false;
        return;
      }
      try {
        const r = await this.repo.moveStep(MOVE_ROWS, MOVE_STEP);
        if (r.done) this.running = false;
        else this.enqueue(step);
      } catch (err) {
        // what was copied stays, and is copied again (idempotently) by the next move
        this.running = false;
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
