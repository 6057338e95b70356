/**
 * File access for the classifier: where the corpus, the taxonomy and the
 * committed model live, and reading/writing them. Everything else in this
 * folder is pure.
 */
import { readFile, readdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ASSETS_DIR } from '../../../config.js';
import { badRequest } from '../../../platform/errors.js';
import { parseLabelledJsonl, parseSource } from './corpus.logic.js';
import { parseModel, serialiseModel } from './serialise.logic.js';
import type { CategoryInfo, ClassifierModel, LabelledReport } from './types.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const CORPUS_DIR = path.resolve(HERE, '../corpus');
/** The model the server and `cityops classify` use. */
export const DEFAULT_MODEL_FILE = path.join(HERE, 'model.json');
export const TAXONOMY_FILE = path.join(ASSETS_DIR, 'taxonomy/event-categories.json');

export type CorpusSplit = 'train' | 'heldout' | 'probe';

/** The categories of a taxonomy file, in its order. */
export async function loadCategories(file = TAXONOMY_FILE): Promise<CategoryInfo[]> {
  const doc = JSON.parse(await readFile(file, 'utf8')) as { categories?: Array<Partial<CategoryInfo>> };
  const cats = (doc.categories ?? []).filter(
    (c): c is CategoryInfo => typeof c.code === 'string' && typeof c.hours === 'number' && typeof c.urgentHours === 'number',
  );
  if (cats.length === 0) throw badRequest('BAD_TAXONOMY', `${file} lists no categories with code, hours and urgentHours`);
  return cats.map((c) => ({ code: c.code, hours: c.hours, urgentHours: c.urgentHours }));
}

export async function loadCorpus(split: CorpusSplit, dir = CORPUS_DIR): Promise<LabelledReport[]> {
  const file = path.join(dir, `${split}.jsonl`);
  return parseLabelledJsonl(await readFile(file, 'utf8'), file);
}

export interface CorpusSources {
  /** First round: sources/CODE.txt, split 80/20 by splitCorpus. */
  reports: LabelledReport[];
  /** Second round, training only: more/CODE.txt. */
  trainOnly: LabelledReport[];
  /**
   * Held out only: more/heldout.txt (second round), more/heldout2.txt (third round), more/heldout3.txt (fourth round), … under "## CODE" headings,
   * each written apart from the training batches. All of them, in file order.
   */
  heldoutOnly: LabelledReport[];
  /** The same reports per file ("heldout.txt", "heldout2.txt", …), so a bench can report each round apart. */
  heldoutRounds: Array<{ file: string; reports: LabelledReport[] }>;
  probe: LabelledReport[];
}

/** All hand-written source reports and the probe file. */
export async function loadSources(dir = CORPUS_DIR): Promise<CorpusSources> {
  const perCategory = async (sub: string) => {
    const folder = path.join(dir, sub);
    const files = (await readdir(folder)).filter((f) => /^[A-Z_]+\.txt$/.test(f)).sort();
    const out: LabelledReport[] = [];
    for (const f of files) out.push(...parseSource(await readFile(path.join(folder, f), 'utf8'), f.replace(/\.txt$/, '')));
    return out;
  };
  const reports = await perCategory('sources');
  const trainOnly = await perCategory('more');
  const heldoutFiles = (await readdir(path.join(dir, 'more'))).filter((f) => /^heldout\d*\.txt$/.test(f)).sort(byRound);
  const heldoutRounds: CorpusSources['heldoutRounds'] = [];
  for (const file of heldoutFiles) heldoutRounds.push({ file, reports: parseSource(await readFile(path.join(dir, 'more', file), 'utf8')) });
  const heldoutOnly = heldoutRounds.flatMap((r) => r.reports);
  const probe = parseSource(await readFile(path.join(dir, 'probe', 'probe.txt'), 'utf8'));
  return { reports, trainOnly, heldoutOnly, heldoutRounds, probe };
}

/** heldout.txt before heldout2.txt before heldout10.txt. */
function byRound(a: string, b: string): number {
  const n = (f: string) => Number(f.match(/\d+/)?.[0] ?? 1);
  return n(a) - n(b);
}

export async function readModel(file = DEFAULT_MODEL_FILE): Promise<ClassifierModel> {
  return parseModel(await readFile(file, 'utf8'));
}

/** Writes through a temporary file and a rename, so a reader never sees half a model. */
export async function writeModel(model: ClassifierModel, file = DEFAULT_MODEL_FILE): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, serialiseModel(model));
  await rename(tmp, file);
}
