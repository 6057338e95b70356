// The committed corpus: big enough, English enough, split cleanly, and in step with its sources.
import { beforeAll, describe, expect, it } from 'vitest';
import { assembleSplits } from './corpus.logic.js';
import { loadCategories, loadCorpus, loadSources } from './corpus.js';
import type { LabelledReport } from './types.js';

let train: LabelledReport[];
let heldout: LabelledReport[];
let probe: LabelledReport[];
let codes: string[];

beforeAll(async () => {
  [train, heldout, probe] = await Promise.all([loadCorpus('train'), loadCorpus('heldout'), loadCorpus('probe')]);
  codes = (await loadCategories()).map((c) => c.code);
});

describe('corpus', () => {
  it('has at least 40 reports in every taxonomy category and nothing else', () => {
    const all = [...train, ...heldout];
    for (const c of codes) expect(all.filter((r) => r.category === c).length, c).toBeGreaterThanOrEqual(40);
    expect(all.every((r) => codes.includes(r.category))).toBe(true);
  });

  it('is at least a quarter English and has urgent reports', () => {
    const all = [...train, ...heldout];
    expect(all.filter((r) => r.lang === 'en').length / all.length).toBeGreaterThanOrEqual(0.25);
    expect(all.filter((r) => r.urgent).length).toBeGreaterThan(100);
  });

  it('keeps the held-out split (about a fifth) and the probe set apart from training', () => {
    const trainTexts = new Set(train.map((r) => r.text.toLowerCase()));
    expect(heldout.some((r) => trainTexts.has(r.text.toLowerCase()))).toBe(false);
    expect(probe.some((r) => trainTexts.has(r.text.toLowerCase()))).toBe(false);
    expect(heldout.length / (train.length + heldout.length)).toBeCloseTo(0.2, 1);
    for (const c of codes) expect(heldout.filter((r) => r.category === c).length, c).toBeGreaterThanOrEqual(8);
  });

  it('matches its hand-written sources (rebuild with: npx tsx src/modules/events/corpus/build.ts)', async () => {
    const { reports, trainOnly, heldoutOnly, probe: probeSrc } = await loadSources();
    const split = assembleSplits(reports, trainOnly, heldoutOnly);
    expect(train).toEqual(split.train);
    expect(heldout).toEqual(split.heldout);
    expect(probe).toEqual(probeSrc);
  });
});
