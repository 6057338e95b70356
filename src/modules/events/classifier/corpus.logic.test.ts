// Corpus data handling: source parsing, language, ids, the split and JSON Lines.
import { describe, expect, it } from 'vitest';
import { detectLang, parseLabelledJsonl, parseSource, reportId, splitCorpus, toJsonl } from './corpus.logic.js';

describe('parseSource', () => {
  it('reads one report a line, "!" for urgent, skipping comments and blanks', () => {
    const out = parseSource('# comment\n路灯不亮\n\n!井盖没了，有人掉下去了\n', 'X');
    expect(out).toEqual([
      { id: reportId('X', '路灯不亮'), text: '路灯不亮', category: 'X', urgent: false, lang: 'zh' },
      { id: reportId('X', '井盖没了，有人掉下去了'), text: '井盖没了，有人掉下去了', category: 'X', urgent: true, lang: 'zh' },
    ]);
  });

  it('takes categories from "## CODE" headings and refuses a report before any', () => {
    expect(parseSource('## A\none\n## B\ntwo').map((r) => r.category)).toEqual(['A', 'B']);
    expect(() => parseSource('orphan')).toThrow(/before any/);
  });
});

describe('detectLang', () => {
  it('tells Chinese, English and mixed apart', () => {
    expect(detectLang('路灯坏了')).toBe('zh');
    expect(detectLang('The lamp is out')).toBe('en');
    expect(detectLang('street light 坏了')).toBe('mixed');
    expect(detectLang('车牌 A·88K21 堵门')).toBe('zh');
  });
});

describe('splitCorpus', () => {
  const reports = Array.from({ length: 50 }, (_, i) => ({ id: `r${i}`, text: `report ${i}`, category: i % 2 ? 'A' : 'B', urgent: false }));

  it('holds out a fifth of every category, deterministically, without overlap', () => {
    const { train, heldout } = splitCorpus(reports);
    expect(heldout.filter((r) => r.category === 'A')).toHaveLength(5);
    expect(heldout.filter((r) => r.category === 'B')).toHaveLength(5);
    expect(train).toHaveLength(40);
    const ids = new Set(train.map((r) => r.id));
    expect(heldout.some((r) => ids.has(r.id))).toBe(false);
    expect(splitCorpus([...reports].reverse())).toEqual({ train, heldout });
  });

  it('moves at most one report into the held-out split when one is added', () => {
    const before = splitCorpus(reports).heldout.map((r) => r.id);
    const after = splitCorpus([...reports, { id: 'new', text: 'a new report', category: 'A', urgent: false }]).heldout.map((r) => r.id);
    expect(after.filter((id) => !before.includes(id)).length).toBeLessThanOrEqual(1);
  });
});

describe('JSON Lines', () => {
  it('round-trips and names the bad line', () => {
    const rs = [{ id: 'a', text: '路灯坏了', category: 'STREETLIGHT', urgent: false, lang: 'zh' as const }];
    expect(parseLabelledJsonl(toJsonl(rs), 'f')).toEqual(rs);
    expect(() => parseLabelledJsonl('{"id":"a"}\n{oops', 'f.jsonl')).toThrow(/f\.jsonl:1/);
    expect(() => parseLabelledJsonl('\n{oops', 'f.jsonl')).toThrow(/f\.jsonl:2: not JSON/);
  });
});
