// TF-IDF: document-frequency pruning, smoothed idf, sublinear tf, unit length.
import { describe, expect, it } from 'vitest';
import { buildVocabulary, vectorize } from './tfidf.logic.js';

const docs = [['a', 'b', 'b'], ['a', 'c'], ['a', 'b', 'd']];

describe('buildVocabulary', () => {
  it('keeps terms in at least minDf documents, sorted, with smoothed idf', () => {
    const v = buildVocabulary(docs, 2);
    expect(v.terms).toEqual(['a', 'b']);
    expect(v.idf[0]).toBeCloseTo(Math.log(4 / 4) + 1);
    expect(v.idf[1]).toBeCloseTo(Math.log(4 / 3) + 1);
    expect(buildVocabulary(docs, 1).terms).toEqual(['a', 'b', 'c', 'd']);
  });
});

describe('vectorize', () => {
  it('uses 1 + ln(tf) times idf, normalised to unit length, ignoring unknown terms', () => {
    const v = buildVocabulary(docs, 1);
    const x = vectorize(['b', 'b', 'a', 'zzz'], v.index, v.idf);
    expect(x.idx).toEqual([0, 1]);
    const raw = [1 * (v.idf[0] ?? 0), (1 + Math.log(2)) * (v.idf[1] ?? 0)];
    const norm = Math.hypot(...raw);
    expect(x.val[0]).toBeCloseTo(raw[0]! / norm);
    expect(x.val[1]).toBeCloseTo(raw[1]! / norm);
    expect(Math.hypot(...x.val)).toBeCloseTo(1);
  });

  it('weights features by a per-feature scale before normalising', () => {
    const v = buildVocabulary(docs, 1);
    const plain = vectorize(['a', 'c'], v.index, v.idf);
    const scaled = vectorize(['a', 'c'], v.index, v.idf, [1, 1, 3, 1]);
    expect((scaled.val[1] ?? 0) / (scaled.val[0] ?? 1)).toBeCloseTo((3 * (plain.val[1] ?? 0)) / (plain.val[0] ?? 1));
  });

  it('gives an empty vector for a document with no known terms', () => {
    const v = buildVocabulary(docs, 1);
    expect(vectorize(['x'], v.index, v.idf)).toEqual({ idx: [], val: [] });
  });
});
