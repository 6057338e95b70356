// The thesaurus: well-formed, and carrying no word that only the evaluation sets contain.
import { describe, expect, it } from 'vitest';
import { CONCEPTS } from './concepts.js';
import { loadCorpus } from './corpus.js';
import { compileConcepts, DEFAULT_FEATURES, tokenize } from './tokenize.logic.js';

describe('CONCEPTS', () => {
  it('has snake_case names and non-empty, unique forms', () => {
    for (const [name, forms] of Object.entries(CONCEPTS)) {
      expect(name).toMatch(/^[a-z][a-z_]*$/);
      expect(forms.length, name).toBeGreaterThan(0);
      expect(new Set(forms).size, name).toBe(forms.length);
    }
  });

  it('has no form that matches held-out or probe reports but no training report', async () => {
    const [train, heldout, probe] = await Promise.all([loadCorpus('train'), loadCorpus('heldout'), loadCorpus('probe')]);
    // One pseudo-concept per form, so a single pass over each text says which forms it contains.
    const forms = Object.entries(CONCEPTS).flatMap(([name, fs]) => fs.map((form) => ({ name, form })));
    const each = compileConcepts(Object.fromEntries(forms.map((f, i) => [`f${i}`, [f.form]])));
    const matched = (texts: typeof train) => {
      const seen = new Set<string>();
      for (const r of texts) for (const t of tokenize(r.text, { ...DEFAULT_FEATURES, conceptPairs: false }, each)) seen.add(t);
      return seen;
    };
    const inTrain = matched(train);
    const inEvaluation = matched([...heldout, ...probe]);
    const leaks = forms.filter((_, i) => inEvaluation.has(`k:f${i}`) && !inTrain.has(`k:f${i}`)).map((f) => `${f.name}: ${f.form}`);
    expect(leaks).toEqual([]);
  });
});
