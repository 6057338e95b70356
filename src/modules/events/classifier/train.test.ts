// The retraining use case on a small corpus in a temporary folder: adopt, keep, dry-run, corrections.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toJsonl } from './corpus.logic.js';
import { loadCategories, loadCorpus, readModel, writeModel } from './corpus.js';
import { trainClassifier } from './model.logic.js';
import { retrainClassifier } from './train.js';
import type { LabelledReport } from './types.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-retrain-'));
const modelFile = path.join(dir, 'model.json');
let train: LabelledReport[];
let heldout: LabelledReport[];

beforeAll(async () => {
  const codes = (await loadCategories()).map((c) => c.code);
  const [fullTrain, fullHeld] = await Promise.all([loadCorpus('train'), loadCorpus('heldout')]);
  train = codes.flatMap((c) => fullTrain.filter((r) => r.category === c).slice(0, 6));
  heldout = codes.flatMap((c) => fullHeld.filter((r) => r.category === c).slice(0, 3));
  fs.writeFileSync(path.join(dir, 'train.jsonl'), toJsonl(train));
  fs.writeFileSync(path.join(dir, 'heldout.jsonl'), toJsonl(heldout));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('retrainClassifier', () => {
  it('adopts and writes the first model, then finds nothing to write when nothing changed', async () => {
    const first = await retrainClassifier({ corpusDir: dir, modelFile });
    expect(first).toMatchObject({ current: undefined, adopted: true, written: true, examples: train.length });
    expect(first.currentProblem).toMatch(/ENOENT/);
    expect((await readModel(modelFile)).version).toBe(first.candidate.version);
    const again = await retrainClassifier({ corpusDir: dir, modelFile });
    expect(again.current?.version).toBe(first.candidate.version);
    expect(again).toMatchObject({ adopted: true, written: false });
  });

  it('trains on corrections too, and a dry run never writes', async () => {
    const before = fs.readFileSync(modelFile, 'utf8');
    const corrections = [{ id: 'fix-1', text: '那条街的灯晚上全黑了，走路看不见', category: 'STREETLIGHT', urgent: false }];
    const r = await retrainClassifier({ corpusDir: dir, modelFile, extraExamples: corrections, dryRun: true });
    expect(r.examples).toBe(train.length + 1);
    expect(r.candidate.version).not.toBe(r.current?.version);
    expect(r.written).toBe(false);
    expect(fs.readFileSync(modelFile, 'utf8')).toBe(before);
  });

  it('keeps the current model when the candidate scores lower on the held-out split', async () => {
    // A model that has seen the held-out reports scores better on them than any honest candidate.
    const categories = await loadCategories();
    const peeked = trainClassifier({ examples: [...train, ...heldout], categories });
    await writeModel(peeked, modelFile);
    const r = await retrainClassifier({ corpusDir: dir, modelFile });
    expect(r.current?.accuracy).toBeGreaterThan(r.candidate.accuracy);
    expect(r).toMatchObject({ adopted: false, written: false });
    expect((await readModel(modelFile)).version).toBe(peeked.version);
  });
});
