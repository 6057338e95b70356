/**
 * `npm run bench:classify`: trains the event classifier on the train split,
 * evaluates it on the held-out split (never trained on) and on the probe set
 * (reports in another voice: dialect, typos, mixed zh/en), and times
 * prediction. The last line is one JSON object.
 *
 *   --cv       also run 5-fold cross-validation over the train split for a
 *              small grid of settings (how the defaults were chosen)
 *   --only=a,b with --cv: only these rows of the grid
 *   --cv-only  stop after the grid
 *   --errors   list the misclassified held-out and probe reports
 */
import { loadCategories, loadCorpus, loadSources, readModel } from '../src/modules/events/classifier/corpus.js';
import { crossValidate, evaluate, type Evaluation } from '../src/modules/events/classifier/evaluate.logic.js';
import { classify, prepareModel, trainClassifier, type PreparedModel } from '../src/modules/events/classifier/model.logic.js';
import { parseModel, serialiseModel } from '../src/modules/events/classifier/serialise.logic.js';
import type { Classification, FeatureOptions, LabelledReport, TrainOptions } from '../src/modules/events/classifier/types.js';

const args = new Set(process.argv.slice(2));
const out = (line = '') => process.stdout.write(`${line}\n`);
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

const categories = await loadCategories();
const codes = categories.map((c) => c.code);
const [train, heldout, probe] = await Promise.all([loadCorpus('train'), loadCorpus('heldout'), loadCorpus('probe')]);
out(`corpus: ${train.length} train, ${heldout.length} held out, ${probe.length} probe; ${codes.length} categories`);

if (args.has('--cv')) runGrid(train);
if (args.has('--cv-only')) process.exit(0);

const t0 = performance.now();
const trained = trainClassifier({ examples: train, categories });
const trainMs = performance.now() - t0;
// Evaluate what would be shipped: the model after its JSON round trip.
const pm = prepareModel(parseModel(serialiseModel(trained)));
const modelKb = serialiseModel(trained).length / 1024;
out(`trained in ${(trainMs / 1000).toFixed(2)} s: ${trained.vocab.length} features, model ${modelKb.toFixed(0)} KiB, version ${trained.version}`);

const predictAll = (m: PreparedModel, reports: readonly LabelledReport[]) => reports.map((r) => classify(m, r.text));
const held = evaluate(heldout, predictAll(pm, heldout), codes);
const heldoutEn = heldout.filter((r) => r.lang === 'en');
const prb = evaluate(probe, predictAll(pm, probe), codes);

// Time prediction over every held-out and probe text, several passes after a warm-up.
const texts = [...heldout, ...probe].map((r) => r.text);
for (const t of texts) classify(pm, t);
const passes = 5;
const t1 = performance.now();
for (let i = 0; i < passes; i++) for (const t of texts) classify(pm, t);
const usPerReport = ((performance.now() - t1) * 1000) / (passes * texts.length);

printEvaluation('held-out split', held);
out();
out(`probe (unseen voice): accuracy ${pct(prb.accuracy)}, top-3 ${pct(prb.top3)}, urgent P ${pct(prb.urgent.precision)} R ${pct(prb.urgent.recall)} (n=${prb.n})`);
const subsetLine = (name: string, subset: readonly LabelledReport[]) => {
  if (subset.length === 0) return;
  const ev = evaluate(subset, predictAll(pm, subset), codes);
  out(`held-out ${name}: accuracy ${pct(ev.accuracy)}, top-3 ${pct(ev.top3)} (n=${subset.length})`);
};
for (const lang of ['zh', 'en', 'mixed'] as const) subsetLine(lang, heldout.filter((r) => r.lang === lang));
// Later held-out batches (more/heldout*.txt) were each written apart from all training text; the first round is a split of one pool.
const { heldoutRounds } = await loadSources();
const laterRounds = new Set(heldoutRounds.flatMap((r) => r.reports.map((x) => x.id)));
subsetLine('round 1 (split)', heldout.filter((r) => !laterRounds.has(r.id)));
const roundScores: Record<string, number> = {};
heldoutRounds.forEach(({ file, reports }, i) => {
  const ids = new Set(reports.map((r) => r.id));
  const subset = heldout.filter((r) => ids.has(r.id));
  subsetLine(`round ${i + 2} (${file}, written apart)`, subset);
  if (subset.length) roundScores[`accuracy_round${i + 2}`] = round(evaluate(subset, predictAll(pm, subset), codes).accuracy);
});
try {
  const committed = prepareModel(await readModel());
  const c = evaluate(heldout, predictAll(committed, heldout), codes);
  const cp = evaluate(probe, predictAll(committed, probe), codes);
  out(`committed model ${committed.model.version}: held-out ${pct(c.accuracy)}, probe ${pct(cp.accuracy)}`);
} catch (err) {
  out(`committed model: not loaded (${(err as Error).message})`);
}
out(`training ${(trainMs / 1000).toFixed(2)} s; prediction ${usPerReport.toFixed(0)} µs per report`);
if (args.has('--errors')) {
  for (const [name, ev] of [['held-out', held], ['probe', prb]] as const) {
    out(`\n${name} errors:`);
    for (const e of ev.errors) out(`  ${e.expected} → ${e.got} (${e.confidence.toFixed(2)}): ${e.text}`);
  }
}
out(
  JSON.stringify({
    bench: 'classify',
    accuracy: round(held.accuracy),
    top3: round(held.top3),
    accuracy_en: round(evaluate(heldoutEn, predictAll(pm, heldoutEn), codes).accuracy),
    ...roundScores,
    urgent_f1: round(held.urgent.f1),
    us_per_report: Math.round(usPerReport),
    probe_accuracy: round(prb.accuracy),
    probe_top3: round(prb.top3),
    train_s: round(trainMs / 1000),
    model_version: trained.version,
  }),
);

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function printEvaluation(name: string, ev: Evaluation): void {
  out();
  out(`${name}: accuracy ${pct(ev.accuracy)}, top-3 ${pct(ev.top3)} (n=${ev.n})`);
  out(`urgency: precision ${pct(ev.urgent.precision)}, recall ${pct(ev.urgent.recall)}, F1 ${pct(ev.urgent.f1)} (tp ${ev.urgent.tp}, fp ${ev.urgent.fp}, fn ${ev.urgent.fn})`);
  out('recall per category:');
  const rows = ev.categories.map((c) => {
    const r = ev.recall[c];
    return `${c.padEnd(22)} ${r ? `${r.correct}/${r.total}`.padStart(5) : ''} ${r ? pct(r.recall).padStart(6) : ''}`;
  });
  for (let i = 0; i < rows.length; i += 2) out(`  ${rows[i] ?? ''}    ${rows[i + 1] ?? ''}`);
  out('confusion (rows: true, columns: predicted; "." = 0):');
  out(`      ${ev.categories.map((_, i) => String(i).padStart(3)).join('')}`);
  ev.confusion.forEach((row, i) => {
    out(`  ${String(i).padStart(2)}  ${row.map((n) => (n ? String(n) : '.').padStart(3)).join('')}  ${ev.categories[i] ?? ''}`);
  });
}

function runGrid(examples: LabelledReport[]): void {
  const grid: Array<{ name: string; features?: Partial<FeatureOptions>; train?: Partial<TrainOptions> }> = [
    { name: 'defaults' },
    { name: 'no concepts', features: { conceptWeight: 0 } },
    { name: 'concepts ×1', features: { conceptWeight: 1 } },
    { name: 'concepts ×2', features: { conceptWeight: 2 } },
    { name: 'no pairs', features: { conceptPairs: false } },
    { name: 'keep names', features: { dropProperNouns: false } },
    { name: 'no zh chars', features: { zhChars: false } },
    { name: 'no en bigrams', features: { enBigrams: false } },
    { name: 'minDf 3', features: { minDf: 3 } },
    { name: 'l2 1e-5', train: { l2: 1e-5 } },
    { name: 'l2 1e-4', train: { l2: 1e-4 } },
    { name: 'epochs 45', train: { epochs: 45 } },
    { name: 'lr 0.03', train: { learningRate: 0.03 } },
    { name: 'urgent 0.5', train: { urgentThreshold: 0.5 } },
    { name: 'urgent unbal.', train: { urgentBalance: 0 } },
    // Tried for issue 3 round 3 and dropped, 5-fold CV accuracy: a complement naive-Bayes term added to the
    // softmax weights (2698-report split: none 85.4 %, ×0.3 85.3 %, ×1 85.0 %); on the 3046-report split
    // (defaults 86.5 %) English character 4-grams 86.6 % but urgent F1 −0.6 and a bigger model, l2 1e-5 86.2 %.
    // Round 4 (3362-report split): defaults 87.1 % (urgent F1 75.9 %), l2 1e-5 87.4 % (75.5 %), l2 1e-4 86.5 % (76.4 %),
    // minDf 3 86.6 %, epochs 45 87.1 % (76.7 %, 1.5× the training time): within fold noise and the l2 1e-5 gain reverses
    // round 3's finding, so the defaults stay.
  ];
  // --only=defaults,cnb 1 runs a part of the grid (a full grid is many minutes on a shared machine).
  const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
  out('5-fold cross-validation on the train split:');
  for (const g of grid.filter((x) => !only || only.includes(x.name))) {
    const t = performance.now();
    const cv = crossValidate(examples, codes, 5, 7, (tr) => {
      const m = prepareModel(trainClassifier({ examples: tr, categories, features: g.features, train: g.train }));
      return (text: string): Classification => classify(m, text);
    });
    out(`  ${g.name.padEnd(16)} accuracy ${pct(cv.accuracy)}  top-3 ${pct(cv.top3)}  urgent F1 ${pct(cv.urgentF1)}  (${((performance.now() - t) / 1000).toFixed(1)} s)`);
  }
}
