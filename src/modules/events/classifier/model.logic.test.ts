// The classifier end to end: training on a corpus subset (fast), determinism, JSON round trip,
// and the committed model on clear reports, with explanations and speed.
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_FILE, loadCategories, loadCorpus, readModel } from './corpus.js';
import { classify, prepareModel, trainClassifier } from './model.logic.js';
import { parseModel, serialiseModel } from './serialise.logic.js';
import type { CategoryInfo, ClassifierModel, LabelledReport } from './types.js';

let categories: CategoryInfo[];
let subset: LabelledReport[];
let small: ClassifierModel;
const quick = { epochs: 8 };

beforeAll(async () => {
  categories = await loadCategories();
  const train = await loadCorpus('train');
  // Eight reports per category keeps training well under a second.
  subset = categories.flatMap((c) => train.filter((r) => r.category === c.code).slice(0, 8));
  small = trainClassifier({ examples: subset, categories, train: quick });
});

describe('trainClassifier', () => {
  it('is deterministic: the same data and seed give the same weights and version', () => {
    const again = trainClassifier({ examples: subset, categories, train: quick });
    expect(again.version).toBe(small.version);
    expect(again.weights).toEqual(small.weights);
    const otherSeed = trainClassifier({ examples: subset, categories, train: { ...quick, seed: 99 } });
    expect(otherSeed.version).not.toBe(small.version);
  });

  it('fits what it was trained on', () => {
    const pm = prepareModel(small);
    const right = subset.filter((r) => classify(pm, r.text).category === r.category).length;
    expect(right / subset.length).toBeGreaterThan(0.9);
  });

  it('refuses a category outside the taxonomy and an empty training set', () => {
    expect(() => trainClassifier({ examples: [{ id: 'x', text: '路灯不亮', category: 'NOPE', urgent: false }], categories })).toThrow(/not in the taxonomy/);
    expect(() => trainClassifier({ examples: [], categories })).toThrow(/at least one/);
  });
});

describe('model JSON', () => {
  it('round-trips: the parsed model is equal and predicts the same', () => {
    const back = parseModel(serialiseModel(small));
    expect(back).toEqual(small);
    const text = '楼上邻居半夜还在唱歌，吵得睡不着';
    expect(classify(prepareModel(back), text)).toEqual(classify(prepareModel(small), text));
  });

  it('refuses edited, truncated or foreign files with BAD_CLASSIFIER_MODEL', () => {
    const json = serialiseModel(small);
    const edited = JSON.parse(json) as ClassifierModel;
    edited.bias[0] = (edited.bias[0] ?? 0) + 1;
    expect(() => parseModel(JSON.stringify(edited))).toThrow(/does not match its version/);
    expect(() => parseModel(json.slice(0, 200))).toThrow(/not valid JSON/);
    expect(() => parseModel('{"format":"other"}')).toThrow(/format/);
    const shrunk = JSON.parse(json) as ClassifierModel;
    shrunk.vocab = shrunk.vocab.slice(1);
    expect(() => parseModel(JSON.stringify(shrunk))).toThrow(expect.objectContaining({ code: 'BAD_CLASSIFIER_MODEL' }));
  });
});

describe('the committed model', () => {
  let pm: ReturnType<typeof prepareModel>;
  beforeAll(async () => {
    pm = prepareModel(await readModel(DEFAULT_MODEL_FILE));
  });

  it.each([
    ['人民路上的井盖丢了，下面是个大洞', 'MANHOLE', true],
    ['The traffic lights at the crossroads are stuck on red', 'TRAFFIC_SIGNAL', false],
    ['楼道里很浓的煤气味，不知道谁家漏气了', 'GAS_POWER_HEATING', true],
    ['Neighbours upstairs play loud music every night until 2am', 'NOISE', false],
    ['河里漂着很多死鱼，水是黑的', 'WATER_POLLUTION', false],
    ['小区的垃圾三天没人收了，臭气熏天', 'GARBAGE', false],
    ['地铁站的电梯坏了一个月了', 'PUBLIC_TRANSPORT', false],
  ])('classifies %s as %s (urgent %s)', (text, category, urgent) => {
    const c = classify(pm, text);
    expect(c.category).toBe(category);
    expect(c.urgent).toBe(urgent);
    expect(c.top3[0]).toEqual({ category, p: c.confidence });
    expect(c.top3).toHaveLength(3);
    expect(c.modelVersion).toBe(pm.model.version);
  });

  it('explains with the words that carry the decision', () => {
    const gas = classify(pm, '楼道里很浓的煤气味，不知道谁家漏气了');
    expect(gas.explanation.length).toBeGreaterThan(0);
    expect(gas.explanation.some((t) => /煤气|gas|漏气|气/.test(t))).toBe(true);
    const lid = classify(pm, 'The manhole cover outside the school is missing');
    expect(lid.explanation.some((t) => /manhole|lid|cover/.test(t))).toBe(true);
  });

  it('answers for empty or meaningless text with low confidence', () => {
    const c = classify(pm, '');
    expect(pm.model.categories).toContain(c.category);
    expect(c.confidence).toBeLessThan(0.5);
  });

  it('takes well under 5 ms per report', () => {
    const texts = ['楼道里很浓的煤气味', 'Streetlights out on my road for a week', '路口红绿灯坏了 and cars are honking', '小区门口天天有人乱停车'];
    const t0 = performance.now();
    for (let i = 0; i < 400; i++) classify(pm, texts[i % texts.length] ?? '');
    expect((performance.now() - t0) / 400).toBeLessThan(5);
  });
});
