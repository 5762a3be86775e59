// SQLite WAL checkpoints on a worker thread. In WAL mode with synchronous=NORMAL a commit does
// not sync the disk; the checkpoint that copies the WAL back into the database file does, and by
// default it runs inside whichever commit crosses 1,000 WAL pages — on the main thread, where it
// stalls every request and MQTT message for its duration (measured: commits were 70% of the
// ingest pipeline's time at 35,000 messages/s). Here a second connection on its own thread runs
// PASSIVE checkpoints (they never block readers or writers) every few hundred milliseconds, and
// the main connection's automatic checkpoint stays on only as a safety net far above what the
// worker leaves behind. Hand-written: better-sqlite3 has no background checkpointing.
import { Worker } from 'node:worker_threads';

/** WAL pages the main connection tolerates before it checkpoints itself (the safety net). */
export const SAFETY_NET_PAGES = 16_384;

const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const SQLite = require(workerData.module);
const db = new SQLite(workerData.file);
db.pragma('busy_timeout = 5000');
let stopped = false;
const tick = () => {
  if (stopped) return;
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (e) {
    parentPort.postMessage({ error: String(e && e.message || e) });
  }
  setTimeout(tick, workerData.everyMs);
};
parentPort.on('message', (m) => {
  if (m === 'stop') {
    stopped = true;
    try { db.pragma('wal_checkpoint(PASSIVE)'); db.close(); } catch {}
    parentPort.postMessage({ stopped: true });
  }
});
setTimeout(tick, workerData.everyMs);
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

export function startCheckpointer(file: string, modulePath: string, everyMs = 250, onError: (msg: string) => void = () => {}): Checkpointer {
  const worker = new Worker(workerSource, { eval: true, workerData: { file, module: modulePath, everyMs } });
  worker.unref();
  worker.on('message', (m: { error?: string }) => m.error && onError(m.error));
  worker.on('error', (e) => onError(e.message));
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        const done = () => resolve();
        worker.ref(); // hold the process until the thread answers (see sqlite-thread.ts close)
        worker.once('message', (m: { stopped?: boolean }) => m.stopped && void worker.terminate().then(done, done));
        worker.once('exit', done);
        worker.postMessage('stop');
        setTimeout(() => void worker.terminate().then(done, done), 2000).unref();
      }),
  };
}
