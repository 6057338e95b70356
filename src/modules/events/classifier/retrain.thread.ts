/**
 * retrainClassifier in a worker thread, for the server (the nightly job and
 * POST /api/v1/routing/retrain): same options and result, but the event loop
 * keeps serving requests while the model trains. The CLI trains in-process.
 *
 * The worker is TypeScript like the rest of the source, and nothing here can
 * count on a loader for it: vitest transforms only its own thread's modules, and
 * hooks from a parent's `--import tsx` do not reach a worker on Node 20. So the
 * worker starts from a two-line ES module that registers tsx in its own thread
 * (as bin/cityops.js does) and then imports the worker; from a build it is
 * the compiled .js and needs nothing.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { RetrainOptions, RetrainResult } from './train.js';

/** What the worker posts back. */
export type RetrainReply = { ok: true; result: RetrainResult } | { ok: false; message: string; code?: string };

export interface RetrainRun {
  readonly result: Promise<RetrainResult>;
  /** Stops the worker (server shutdown); the result then rejects. */
  cancel(): Promise<void>;
}

const compiled = import.meta.url.endsWith('.js');

/** tsx's ES-module register API (require.resolve would give its CommonJS twin, which cannot register from a data: URL). */
function tsxEsmApi(): URL {
  const pkgFile = createRequire(import.meta.url).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { exports?: Record<string, { import?: { default?: string } } | string> };
  const entry = pkg.exports?.['./esm/api'];
  const rel = typeof entry === 'object' ? entry.import?.default : undefined;
  if (!rel) throw new Error(`tsx at ${pkgFile} has no ES-module ./esm/api export; cannot start the retraining worker`);
  return new URL(rel, pathToFileURL(pkgFile));
}

/** The worker's entry: the .js beside this file from a build, else a bootstrap that registers tsx first. */
function workerEntry(): URL {
  if (compiled) return new URL('./retrain.worker.js', import.meta.url);
  const tsxApi = tsxEsmApi().href;
  const worker = new URL('./retrain.worker.ts', import.meta.url).href;
  const code = `import { register } from ${JSON.stringify(tsxApi)}; register(); await import(${JSON.stringify(worker)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}

/** Starts a retraining in a worker thread. */
export function retrainInWorker(opts: RetrainOptions): RetrainRun {
  // Plain data only: the options are structured-cloned into the worker.
  const worker = new Worker(workerEntry(), { workerData: { ...opts, extraExamples: opts.extraExamples ? [...opts.extraExamples] : undefined } });
  let cancelled = false;
  const result = new Promise<RetrainResult>((resolve, reject) => {
    let settled = false;
    worker.once('message', (m: RetrainReply) => {
      settled = true;
      if (m.ok) resolve(m.result);
      else reject(Object.assign(new Error(m.message), m.code ? { code: m.code } : {}));
      void worker.terminate();
    });
    worker.once('error', (err) => { settled = true; reject(err); });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(cancelled ? 'classifier retraining was stopped' : `classifier retraining worker exited with code ${code} before answering`));
    });
  });
  return {
    result,
    async cancel() {
      cancelled = true;
      await worker.terminate();
    },
  };
}
