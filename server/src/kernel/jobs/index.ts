// Scheduled jobs that run once per time slot across the whole cluster. A slot is
// floor(now / everyMs); a node claims (job, slot) by inserting into job_runs, whose primary
// key is (job, slot): when the row already exists another node has the slot, so N nodes on
// one database run each slot exactly once. The run's end, status and error are recorded.
import type { Logger } from 'pino';
import type { Database } from '../db/index.js';
import { iso, type Clock } from '../clock.js';

export interface JobDef {
  name: string;
  everyMs: number;
  run(ctx: { slot: string; now: Date }): Promise<void>;
}

export interface JobRun {
  job: string;
  slot: string;
  node: string;
  startedAt: string;
  finishedAt: string | null;
  status: 'running' | 'ok' | 'failed';
  error: string | null;
}

export function slotOf(now: Date, everyMs: number): string {
  return String(Math.floor(now.getTime() / everyMs));
}

export class Scheduler {
  private jobs = new Map<string, JobDef>();
  private running = new Set<string>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private database: Database,
    private clock: Clock,
    private nodeId: string,
    private log: Logger,
  ) {}

  register(def: JobDef): void {
    if (!def.name || def.name.length > 100) throw new Error(`jobs: bad job name "${def.name}"`);
    if (!Number.isInteger(def.everyMs) || def.everyMs < 1000) throw new Error(`jobs: ${def.name}: everyMs must be an integer >= 1000`);
    if (this.jobs.has(def.name)) throw new Error(`jobs: ${def.name} is already registered`);
    this.jobs.set(def.name, def);
  }

  registered(): string[] {
    return [...this.jobs.keys()];
  }

  /** Tick every second until stop(); the timer does not keep the process alive. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.runDue().catch((err) => this.log.error({ err }, 'jobs: tick failed'));
    }, 1000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Run every job whose current slot nobody has claimed yet; returns the names this node ran. */
  async runDue(): Promise<string[]> {
    const now = this.clock.now();
    const ran: string[] = [];
    await Promise.all(
      [...this.jobs.values()].map(async (def) => {
        // a run still going on this node (slow job, fast ticks) is not started twice
        if (this.running.has(def.name)) return;
        this.running.add(def.name);
        try {
          const slot = slotOf(now, def.everyMs);
          if (!(await this.claim(def.name, slot, now))) return;
          ran.push(def.name);
          await this.execute(def, slot, now);
        } catch (err) {
          this.log.error({ err, job: def.name }, 'jobs: could not claim or record a run');
        } finally {
          this.running.delete(def.name);
        }
      }),
    );
    return ran;
  }

  /** Forget runs that started before `before` (the slot claims of the past; jobs every few
   * seconds leave tens of thousands of rows a day). Returns how many were removed. */
  async prune(before: Date): Promise<number> {
    const r = await this.database.db.deleteFrom('job_runs').where('started_at', '<', before.toISOString()).executeTakeFirst();
    return Number(r.numDeletedRows ?? 0);
  }

  /** Recent runs of a job, newest first (for operators and tests). */
  async runs(job: string, limit = 20): Promise<JobRun[]> {
    const rows = await this.database.db
      .selectFrom('job_runs')
      .selectAll()
      .where('job', '=', job)
      .orderBy('started_at', 'desc')
      .orderBy('slot', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      job: r.job,
      slot: r.slot,
      node: r.node,
      startedAt: r.started_at,
      finishedAt: r.finished_at,
      status: r.status as JobRun['status'],
      error: r.error,
    }));
  }

  private async claim(job: string, slot: string, now: Date): Promise<boolean> {
    // INSERT … ON CONFLICT DO NOTHING: the same claim as catching the duplicate-key error,
    // without an error (which would abort a surrounding PostgreSQL transaction).
    const r = await this.database.db
      .insertInto('job_runs')
      .values({ job, slot, node: this.nodeId, started_at: iso(now), finished_at: null, status: 'running', error: null })
      .onConflict((oc) => oc.columns(['job', 'slot']).doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0n) === 1;
  }

  private async execute(def: JobDef, slot: string, now: Date): Promise<void> {
    let status: 'ok' | 'failed' = 'ok';
    let error: string | null = null;
    try {
      await def.run({ slot, now });
    } catch (err) {
      status = 'failed';
      error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      this.log.error({ err, job: def.name, slot }, 'jobs: job failed');
    }
    await this.database.db
      .updateTable('job_runs')
      .set({ finished_at: iso(this.clock.now()), status, error: error?.slice(0, 4000) ?? null })
      .where('job', '=', def.name)
      .where('slot', '=', slot)
      .execute();
  }
}
