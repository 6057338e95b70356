/**
 * Background WAL checkpoints for a SQLite file. A checkpoint copies the WAL's
 * pages into the database file and fsyncs it; run by the writing connection
 * (SQLite's auto-checkpoint) that I/O stalls the whole event loop for tens of
 * milliseconds under load. Here a worker thread with its own connection runs
 * PASSIVE checkpoints, which never block the writer and never lose a commit:
 * a commit is durable once in the WAL, the checkpoint only moves it.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the worker looks at the WAL (ms). */
const EVERY_MS = 250;

// CommonJS source for an eval'd worker: it cannot import this project's TypeScript, only the driver by its resolved path.
const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* busy or closing: the next round tries again */ }
}, workerData.everyMs);
parentPort.on('message', () => {
  clearInterval(timer);
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* the closing connection checkpoints anyway */ }
  db.close();
  parentPort.postMessage('closed');
});
`;

export interface Checkpointer { stop(): Promise<void> }

export function startCheckpointer(file: string): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(SOURCE, { eval: true, workerData: { driver, file, everyMs: EVERY_MS } });
  worker.unref();
  // A worker that cannot run leaves checkpoints to the writer's own auto-checkpoint (the backstop in database.ts).
  worker.on('error', () => undefined);
  let stopped: Promise<void> | null = null;
  return {
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        const done = () => { void worker.terminate().finally(resolve); };
        worker.once('message', done);
        worker.once('error', done);
        worker.once('exit', () => resolve());
        worker.postMessage('close');
      });
      return stopped;
    },
  };
}
