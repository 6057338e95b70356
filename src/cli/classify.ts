/**
 * `cityops classify`: JSON lines {"id","text"} on stdin → one JSON line
 * {"id","category","urgent","confidence"} per input, with the committed
 * model (the one the server loads). A bad line answers {"id","error"} and
 * the stream goes on.
 * `cityops train classifier`: retrain from the corpus (plus corrections),
 * judge on the held-out split, keep the better model.
 */
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { Command } from 'commander';
import { loadConfig, type Config } from '../config.js';
import { openDatabase } from '../platform/db/index.js';
import { badRequest, isAppError } from '../platform/errors.js';
import { storedExamples } from '../modules/events/routing/index.js';
import { parseLabelledJsonl } from '../modules/events/classifier/corpus.logic.js';
import { DEFAULT_MODEL_FILE } from '../modules/events/classifier/corpus.js';
import { loadClassifier, retrainClassifier, type EventClassifier } from '../modules/events/classifier/index.js';
import type { ModelScore } from '../modules/events/classifier/retrain.logic.js';

/** The stored corrections; a database the server never migrated has none to give. */
async function labelsFromStore(opts: { dataDir?: string; databaseUrl?: string }) {
  let config: Config;
  try {
    config = loadConfig(undefined, { dataDir: opts.dataDir, databaseUrl: opts.databaseUrl });
  } catch (err) {
    throw badRequest('BAD_CONFIG', (err as Error).message);
  }
  const database = await openDatabase({ databaseUrl: config.databaseUrl, sqlitePath: config.sqlitePath });
  try {
    return await storedExamples(database);
  } catch (err) {
    throw badRequest('NO_STORED_LABELS', `no stored corrections readable (${(err as Error).message}); start the server once on this database, or drop --from-store`);
  } finally {
    await database.close();
  }
}

/** Longest text classified; a longer one is a mistake upstream, not a report. */
const MAX_TEXT = 10_000;

type Id = string | number | null;

/** The answer for one input line; undefined for a blank line. */
export function classifyLine(line: string, classifier: EventClassifier): Record<string, unknown> | undefined {
  if (line.trim() === '') return undefined;
  let doc: unknown;
  try {
    doc = JSON.parse(line);
  } catch {
    return { id: null, error: 'not JSON: send one object {"id": …, "text": "…"} per line' };
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return { id: null, error: 'expected a JSON object {"id": …, "text": "…"}' };
  const { id: rawId, text } = doc as { id?: unknown; text?: unknown };
  const id: Id = typeof rawId === 'string' || typeof rawId === 'number' ? rawId : null;
  if (rawId !== undefined && id === null) return { id: null, error: '"id" must be a string or a number' };
  if (typeof text !== 'string') return { id, error: '"text" must be a string' };
  if (text.trim() === '') return { id, error: '"text" is empty' };
  if (text.length > MAX_TEXT) return { id, error: `"text" is longer than ${MAX_TEXT} characters` };
  const c = classifier.classify(text);
  return { id, category: c.category, urgent: c.urgent, confidence: Math.round(c.confidence * 1000) / 1000 };
}

function fail(err: unknown): never {
  if (isAppError(err) || (err as NodeJS.ErrnoException).code === 'ENOENT') {
    process.stderr.write(`cityops: ${(err as Error).message}\n`);
    process.exit(1);
  }
  throw err;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const describe = (s: ModelScore) => `${s.version}: held-out accuracy ${pct(s.accuracy)}, top-3 ${pct(s.top3)}, urgent F1 ${pct(s.urgentF1)}`;

export function registerClassifyCommands(program: Command): void {
  program
    .command('classify')
    .description('Classify city-event reports: JSON lines {"id","text"} on stdin, one {"id","category","urgent","confidence"} line out per input')
    .option('--model <file>', 'classifier model file', DEFAULT_MODEL_FILE)
    .action(async (opts: { model: string }) => {
      const classifier = await loadClassifier(opts.model).catch(fail);
      const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
      for await (const line of lines) {
        const out = classifyLine(line, classifier);
        if (out && !process.stdout.write(`${JSON.stringify(out)}\n`)) await new Promise((r) => process.stdout.once('drain', r));
      }
    });

  const train = program.command('train').description('Train CityOps models');
  train
    .command('classifier')
    .description('Retrain the event classifier from the corpus (plus corrections) and adopt it only if it scores no worse on the held-out split')
    .option('--model <file>', 'model file to compare with and replace', DEFAULT_MODEL_FILE)
    .option('--corrections <file>', 'extra labelled examples, JSON lines {"id","text","category","urgent"} (e.g. dispatcher corrections)')
    .option('--dry-run', 'evaluate and report, but do not write the model')
    .option('--from-store', 'also train on the dispatchers\' corrections stored in the CityOps database (--data-dir / --database-url, or their env)')
    .option('--data-dir <dir>', 'with --from-store: the data dir whose SQLite file holds the corrections (env CITYOPS_DATA_DIR)')
    .option('--database-url <url>', 'with --from-store: PostgreSQL holding the corrections (env DATABASE_URL)')
    .action(async (opts: { model: string; corrections?: string; dryRun?: boolean; fromStore?: boolean; dataDir?: string; databaseUrl?: string }) => {
      try {
        const extraExamples = opts.corrections ? parseLabelledJsonl(await readFile(opts.corrections, 'utf8'), opts.corrections) : [];
        if (opts.fromStore) {
          const stored = await labelsFromStore(opts);
          process.stdout.write(`corrections from the store: ${stored.length}\n`);
          extraExamples.push(...stored);
        }
        const r = await retrainClassifier({ modelFile: opts.model, extraExamples, dryRun: opts.dryRun });
        process.stdout.write(`current   ${r.current ? describe(r.current) : `none (${r.currentProblem ?? 'no model'})`}\n`);
        process.stdout.write(`candidate ${describe(r.candidate)} (trained on ${r.examples} reports)\n`);
        const verdict = !r.adopted
          ? 'kept the current model: the candidate scores lower on the held-out split'
          : r.written
            ? `adopted the candidate: written to ${opts.model}`
            : opts.dryRun
              ? 'the candidate would be adopted (dry run: nothing written)'
              : 'the candidate is the current model: nothing to write';
        process.stdout.write(`${verdict}\n`);
        process.stdout.write(`version ${r.written || !r.current ? r.candidate.version : r.current.version}\n`);
      } catch (err) {
        fail(err);
      }
    });
}
