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
  /** Second round, held out only: more/heldout.txt under "## CODE" headings, written apart from the training batch. */
  heldoutOnly: LabelledReport[];
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
  const heldoutOnly = parseSource(await readFile(path.join(dir, 'more', 'heldout.txt'), 'utf8'));
  const probe = parseSource(await readFile(path.join(dir, 'probe', 'probe.txt'), 'utf8'));
  return { reports, trainOnly, heldoutOnly, probe };
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
