/**
 * Worker-thread entry of a retraining (see retrain.thread.ts): training takes
 * tens of seconds of pure CPU, so it runs here and the server's event loop
 * stays free. It gets plain options, trains, judges, writes the model file if
 * adopted (as retrainClassifier does in-process) and posts the result back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { retrainClassifier, type RetrainOptions } from './train.js';
import type { RetrainReply } from './retrain.thread.js';

const port = parentPort;
if (!port) throw new Error('retrain.worker.ts runs only as a worker thread (see retrain.thread.ts)');
let reply: RetrainReply;
try {
  reply = { ok: true, result: await retrainClassifier(workerData as RetrainOptions) };
} catch (err) {
  const e = err as { message?: unknown; code?: unknown };
  reply = { ok: false, message: String(e.message ?? err), code: typeof e.code === 'string' ? e.code : undefined };
}
port.postMessage(reply);
