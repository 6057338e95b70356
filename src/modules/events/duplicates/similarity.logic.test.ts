/** The duplicate finder against the labelled pairs (pairs.jsonl): precision and recall, plus the rules' edges. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DUPLICATE_OPTIONS, findDuplicates, scorePair, textSimilarity, textTokens } from './similarity.logic.js';
import type { DupReport } from './types.js';

interface Pair { dup: boolean; cat: string; catB?: string; d: number; h: number; a: string; b: string }
const H = 3_600_000;
const T0 = Date.UTC(2026, 10, 22, 8);
const BASE: [number, number] = [1.52, 42.51];
const north = (m: number): [number, number] => [BASE[0], BASE[1] + m / 111_320];

const pairs = readFileSync(new URL('./pairs.jsonl', import.meta.url), 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Pair);

function judge(p: Pair): boolean {
  const report: DupReport = { id: 'new', category: p.cat, point: BASE, at: T0, text: p.a };
  const cand: DupReport = { id: 'old', category: p.catB ?? p.cat, point: north(p.d), at: T0 - p.h * H, text: p.b };
  return findDuplicates(report, [cand]).length === 1;
}

describe('duplicate finder on the labelled pairs', () => {
  it('has at least 60 pairs, both kinds, both languages', () => {
    expect(pairs.length).toBeGreaterThanOrEqual(60);
    expect(pairs.filter((p) => p.dup).length).toBeGreaterThanOrEqual(25);
    expect(pairs.filter((p) => !p.dup).length).toBeGreaterThanOrEqual(25);
    expect(pairs.some((p) => /\p{Script=Han}/u.test(p.a))).toBe(true);
    expect(pairs.some((p) => /^[A-Za-z]/.test(p.a))).toBe(true);
  });

  it('reaches precision ≥ 0.9 and recall ≥ 0.8', () => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    const wrong: string[] = [];
    for (const p of pairs) {
      const said = judge(p);
      if (said && p.dup) tp++;
      else if (said) { fp++; wrong.push(`FP ${p.a} | ${p.b}`); }
      else if (p.dup) { fn++; wrong.push(`FN ${p.a} | ${p.b}`); }
    }
    const precision = tp / (tp + fp);
    const recall = tp / (tp + fn);
    console.log(`duplicate finder: ${pairs.length} pairs, precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)} (tp ${tp}, fp ${fp}, fn ${fn})\n${wrong.join('\n')}`);
    expect(precision).toBeGreaterThanOrEqual(0.9);
    expect(recall).toBeGreaterThanOrEqual(0.8);
  });
});

describe('duplicate rules', () => {
  const r: DupReport = { id: 'n', category: 'MANHOLE', point: BASE, at: T0, text: '井盖没了' };
  it('never matches another category, a later event, or one outside the radius or window', () => {
    const rule = DEFAULT_DUPLICATE_OPTIONS.rule;
    expect(scorePair(r, { ...r, id: 'o', category: 'GARBAGE' }, rule)).toBeNull();
    expect(scorePair(r, { ...r, id: 'o', at: T0 + 1 }, rule)).toBeNull();
    expect(scorePair(r, { ...r, id: 'o', point: north(151) }, rule)).toBeNull();
    expect(scorePair(r, { ...r, id: 'o', at: T0 - 73 * H }, rule)).toBeNull();
    expect(scorePair(r, { ...r, id: 'n' }, rule)).toBeNull();
    expect(scorePair(r, { ...r, id: 'o', point: north(149) }, rule)).not.toBeNull();
  });
  it('area-type categories reach further', () => {
    const noise = { ...r, category: 'NOISE', text: '工地噪音扰民' };
    expect(findDuplicates(noise, [{ ...noise, id: 'o', point: north(400), at: T0 - 48 * H }])).toHaveLength(1);
    expect(findDuplicates(r, [{ ...r, id: 'o', point: north(400) }])).toHaveLength(0);
  });
  it('ranks the best candidate first; text similarity is symmetric and 0 for unrelated text', () => {
    const a = textTokens('人民路井盖没了');
    const b = textTokens('Pothole on Main Street');
    expect(textSimilarity(a, b)).toBe(0);
    expect(textSimilarity(a, textTokens('井盖没了人民路'))).toBeCloseTo(textSimilarity(textTokens('井盖没了人民路'), a));
    const out = findDuplicates(r, [{ ...r, id: 'far', point: north(120), text: '井盖' }, { ...r, id: 'near', point: north(5) }]);
    expect(out.map((m) => m.id)).toEqual(['near', 'far']);
  });
});
