/**
 * TF-IDF features: a vocabulary pruned by document frequency, smoothed IDF,
 * sublinear term frequency (1 + ln tf) and L2-normalised sparse vectors.
 */

/** A sparse feature vector: parallel arrays of feature ids (ascending) and values. */
export interface SparseVector {
  idx: number[];
  val: number[];
}

export interface Vocabulary {
  /** Feature strings, sorted so the same corpus always gives the same ids. */
  terms: string[];
  idf: number[];
  index: Map<string, number>;
}

/**
 * The vocabulary of a tokenised corpus: terms in at least minDf documents,
 * idf = ln((1 + N) / (1 + df)) + 1 (the smoothed form: never zero, never
 * infinite).
 */
export function buildVocabulary(docs: readonly string[][], minDf: number): Vocabulary {
  const df = new Map<string, number>();
  for (const doc of docs) {
    for (const t of new Set(doc)) df.set(t, (df.get(t) ?? 0) + 1);
  }
  const terms = [...df.entries()].filter(([, n]) => n >= minDf).map(([t]) => t).sort();
  const n = docs.length;
  const idf = terms.map((t) => Math.log((1 + n) / (1 + (df.get(t) ?? 0))) + 1);
  return { terms, idf, index: indexOf(terms) };
}

export function indexOf(terms: readonly string[]): Map<string, number> {
  return new Map(terms.map((t, i) => [t, i]));
}

/**
 * The TF-IDF vector of one tokenised document; tokens outside the vocabulary
 * are ignored. `scale` (per feature, optional) weights kinds of features
 * before normalisation.
 */
export function vectorize(tokens: readonly string[], index: ReadonlyMap<string, number>, idf: ArrayLike<number>, scale?: ArrayLike<number>): SparseVector {
  const tf = new Map<number, number>();
  for (const t of tokens) {
    const i = index.get(t);
    if (i !== undefined) tf.set(i, (tf.get(i) ?? 0) + 1);
  }
  const idx = [...tf.keys()].sort((a, b) => a - b);
  const val = idx.map((i) => (1 + Math.log(tf.get(i) ?? 1)) * (idf[i] ?? 0) * (scale ? (scale[i] ?? 1) : 1));
  const norm = Math.hypot(...val);
  if (norm > 0) for (let k = 0; k < val.length; k++) val[k] = (val[k] ?? 0) / norm;
  return { idx, val };
}
