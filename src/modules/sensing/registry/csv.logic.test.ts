/** The CSV reader: quoting, line breaks, BOM, and the physical line of each record. */
import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv.logic.js';

describe('parseCsv', () => {
  it('splits plain records and numbers their lines', () => {
    expect(parseCsv('a,b\n1,2\n3,4\n')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '2'] },
      { line: 3, fields: ['3', '4'] },
    ]);
  });

  it('handles CRLF, a BOM and a missing final line break', () => {
    expect(parseCsv('\uFEFFid,name\r\nx,y\r\nz,w')).toEqual([
      { line: 1, fields: ['id', 'name'] },
      { line: 2, fields: ['x', 'y'] },
      { line: 3, fields: ['z', 'w'] },
    ]);
  });

  it('keeps commas, doubled quotes and line breaks inside quoted fields, counting the lines they span', () => {
    const recs = parseCsv('h1,h2\n"a, b","say ""hi"""\n"two\nlines",x\r\nlast,"multi\r\nline\r\nthree"\nafter,1\n');
    expect(recs.map((r) => r.line)).toEqual([1, 2, 3, 5, 8]);
    expect(recs[1]!.fields).toEqual(['a, b', 'say "hi"']);
    expect(recs[2]!.fields).toEqual(['two\nlines', 'x']);
    expect(recs[3]!.fields).toEqual(['last', 'multi\r\nline\r\nthree']);
    expect(recs[4]).toEqual({ line: 8, fields: ['after', '1'] });
  });

  it('skips blank lines but still counts them', () => {
    expect(parseCsv('a\n\n\r\nb\n')).toEqual([
      { line: 1, fields: ['a'] },
      { line: 4, fields: ['b'] },
    ]);
  });

  it('keeps empty fields', () => {
    expect(parseCsv('a,,c,\n')[0]!.fields).toEqual(['a', '', 'c', '']);
    expect(parseCsv('"",x\n')[0]!.fields).toEqual(['', 'x']);
  });

  it('reports a quote that is never closed on the line it opened', () => {
    const recs = parseCsv('h\nok\n"open\nnever closed\n');
    expect(recs[1]).toEqual({ line: 2, fields: ['ok'] });
    expect(recs[2]!.line).toBe(3);
    expect(recs[2]!.error).toMatch(/line 3 is never closed/);
  });

  it('reports text after a closing quote and carries on with the next record', () => {
    const recs = parseCsv('"a"b,c\nnext,1\n');
    expect(recs[0]!.error).toMatch(/after a closing quote/);
    expect(recs[1]).toEqual({ line: 2, fields: ['next', '1'] });
  });

  it('returns nothing for empty input', () => {
    expect(parseCsv('')).toEqual([]);
    expect(parseCsv('\uFEFF')).toEqual([]);
  });
});
