// A SQLite connection of its own on a worker thread, for writes that should not run on the event
// loop. better-sqlite3 runs statements synchronously, so a large or frequent write on the main
// connection holds up every socket for its whole duration; on a worker the same transaction runs
// beside the event loop, and SQLite's WAL lets the main connection read meanwhile.
//
// The writer is plain JavaScript (the worker is eval'd and cannot import TypeScript):
// `function makeWriter(db) { …; return (arg) => result; }`. The same source can run on the main
// thread's connection (writerOnThisThread), e.g. for an in-memory database, which has no second
// connection. The caller holds the process's write turn (sqlite-turns.ts) around each post.
//
// The worker starts at the first post and again after it dies (what it had in hand is refused,
// with the error); it keeps the process alive only while a post is outstanding.
// Used by the ingest pipeline (devices/telemetry.sqlite.ts) and the access log (access/access.logthread.ts).
// Hand-written: no library moves better-sqlite3 writes off the event loop.
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import type SQLite from 'better-sqlite3';
import { SAFETY_NET_PAGES } from './checkpointer.js';

const workerSource = (writer: string) => `
const { parentPort, workerData } = require('node:worker_threads');
const SQLite = require(workerData.module);
${writer}
const db = new SQLite(workerData.file);
db.pragma('busy_timeout = 5000');
db.pragma('synchronous = NORMAL');
db.pragma('foreign_keys = ON');
db.pragma('wal_autocheckpoint = ' + workerData.autocheckpoint);
db.pragma('mmap_size = 268435456');
const write = makeWriter(db);
parentPort.on('message', (m) => {
  if (m === 'stop') {
    db.close();
    parentPort.postMessage({ stopped: true });
    return;
  }
  try {
    parentPort.postMessage({ id: m.id, result: write(m.arg) });
  } catch (e) {
    parentPort.postMessage({ id: m.id, error: String((e && e.message) || e), code: e && e.code });
  }
});
`;

/** The writer on a connection of this thread (synchronous). */
export function writerOnThisThread<In, Out>(writer: string, db: SQLite.Database): (arg: In) => Out {
  const make = new Function(`${writer}\nreturn makeWriter;`)() as (db: SQLite.Database) => (arg: In) => Out;
  return make(db);
}

export class SqliteThread<In, Out> {
  /** The running worker, if any (tests end it to check that a new one starts). */
  worker: Worker | null = null;
  private seq = 0;
  private waiting = new Map<number, { resolve: (r: Out) => void; reject: (e: Error) => void }>();
  private closed = false;

  /** `name` prefixes errors ("telemetry writer: …"). */
  constructor(
    private readonly file: string,
    private readonly writer: string,
    private readonly name: string,
  ) {}

  private start(): Worker {
    const w = new Worker(workerSource(this.writer), {
      eval: true,
      workerData: { file: this.file, module: createRequire(import.meta.url).resolve('better-sqlite3'), autocheckpoint: SAFETY_NET_PAGES },
    });
    w.unref();
    w.on('message', (m: { id: number; result?: Out; error?: string; code?: string }) => {
      const p = this.waiting.get(m.id);
      if (!p) return;
      this.waiting.delete(m.id);
      if (!this.waiting.size) w.unref();
      if (m.error === undefined) p.resolve(m.result as Out);
      else p.reject(Object.assign(new Error(`${this.name}: ${m.error}`), { code: m.code }));
    });
    const dead = (err: Error) => {
      if (this.worker !== w) return;
      this.worker = null;
      for (const p of this.waiting.values()) p.reject(err);
      this.waiting.clear();
    };
    w.on('error', dead);
    w.on('exit', (code) => dead(new Error(`${this.name} exited (${code})`)));
    return w;
  }

  /** Run the writer on the thread. Hold the write turn (sqlite-turns.ts) until this settles. */
  post(arg: In): Promise<Out> {
    if (this.closed) return Promise.reject(new Error(`${this.name} closed`));
    const w = (this.worker ??= this.start());
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      w.ref();
      w.postMessage({ id, arg });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const w = this.worker;
    if (!w) return;
    // Held (ref) until the thread answers: an unreferenced worker does not keep the process alive, so
    // a CLI or bench awaiting close() would otherwise end mid-close, silently, with exit code 0.
    w.ref();
    await new Promise<void>((resolve) => {
      const done = () => resolve();
      w.once('exit', done);
      w.on('message', (m: { stopped?: boolean }) => m.stopped && void w.terminate().then(done, done));
      w.postMessage('stop');
      setTimeout(() => void w.terminate().then(done, done), 2000).unref();
    });
    this.worker = null;
  }
}
