// Tokeniser: Chinese words, bigrams and characters; English stems and bigrams; mixed text; concepts and cues.
import { describe, expect, it } from 'vitest';
import { compileConcepts, DEFAULT_FEATURES, displayToken, dropProperNouns, stemEnglish, tokenize } from './tokenize.logic.js';

describe('tokenize', () => {
  it('gives Chinese words, character bigrams and characters, without function words', () => {
    const t = tokenize('小区门口的井盖没了');
    expect(t).toEqual(expect.arrayContaining(['w:小区', 'w:门口', 'b:井盖', 'b:门口', 'c:井', 'c:盖']));
    expect(t).not.toContain('w:的');
    expect(t).not.toContain('c:的');
  });

  it('gives lower-cased, stemmed English words and bigrams, without stop words', () => {
    const t = tokenize('Roads are flooded and cars STALLED.');
    expect(t).toEqual(expect.arrayContaining(['e:road', 'e:flood', 'e:car', 'e:stall', 'f:road_flood', 'f:car_stall']));
    expect(t.some((x) => x === 'e:are' || x === 'e:and')).toBe(false);
  });

  it('handles mixed Chinese and English, and bigrams never straddle a Chinese run', () => {
    const t = tokenize('street light 在楼下一直闪 again tonight');
    expect(t).toEqual(expect.arrayContaining(['e:street', 'e:light', 'f:street_light', 'b:楼下', 'e:tonight']));
    expect(t).not.toContain('f:light_tonight');
  });

  it('folds full-width characters', () => {
    expect(tokenize('ＧＡＳ　ＬＥＡＫ')).toEqual(expect.arrayContaining(['e:gas', 'e:leak']));
  });

  it('drops capitalised names that do not start a sentence, keeps acronyms and sentence starts', () => {
    expect(dropProperNouns('Lights on Binjiang Road are out. Trees fell')).toBe('Lights on     are out. Trees fell');
    expect(dropProperNouns('The KTV is loud')).toBe('The KTV is loud');
    const t = tokenize('The lamp on Renmin Road is dark');
    expect(t).not.toContain('e:renmin');
    expect(t).toContain('e:lamp');
  });

  it('turns exclamations and questions into cue tokens', () => {
    expect(tokenize('快来人！！有人掉下去了')).toContain('p:!');
    expect(tokenize('who is responsible?')).toContain('p:?');
  });

  it('matches thesaurus concepts in both languages, and pairs of concepts', () => {
    const concepts = compileConcepts({ gas_smell: ['煤气味', 'smell of gas'], stair: ['楼道', 'stairwell'] });
    const zh = tokenize('楼道里一股煤气味', DEFAULT_FEATURES, concepts);
    const en = tokenize('A strong smell of gas in the stairwell', DEFAULT_FEATURES, concepts);
    for (const t of [zh, en]) expect(t).toEqual(expect.arrayContaining(['k:gas_smell', 'k:stair', 'k:gas_smell+stair']));
    expect(tokenize('the gas bill smells odd', DEFAULT_FEATURES, concepts)).not.toContain('k:gas_smell');
  });

  it('returns nothing for text without content', () => {
    expect(tokenize('')).toEqual([]);
    expect(tokenize('   ，。 ')).toEqual([]);
  });
});

describe('stemEnglish', () => {
  it('brings inflections together', () => {
    expect(['flooded', 'flooding', 'floods'].map(stemEnglish)).toEqual(['flood', 'flood', 'flood']);
    expect(['buses', 'bus'].map(stemEnglish)).toEqual(['bus', 'bus']);
    expect(['batteries', 'battery'].map(stemEnglish)).toEqual(['battery', 'battery']);
    expect(['stopped', 'stop'].map(stemEnglish)).toEqual(['stop', 'stop']);
  });
});

describe('displayToken', () => {
  it('shows tokens as people read them', () => {
    expect(displayToken('w:井盖')).toBe('井盖');
    expect(displayToken('f:gas_smell')).toBe('gas smell');
    expect(displayToken('k:gas_smell')).toBe('[gas smell]');
    expect(displayToken('k:dark+lamp')).toBe('[dark]+[lamp]');
  });
});
