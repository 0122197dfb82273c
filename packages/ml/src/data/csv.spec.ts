import { describe, expect, it } from 'vitest';
import { parseCsv, parseCsvRecords } from './csv.js';

describe('parseCsvRecords', () => {
  it('handles quotes, escaped quotes, embedded delimiters and line breaks, and CRLF', () => {
    const text = 'a,b,c\r\n"x, y","say ""hi""","line1\r\nline2"\r\n1,,""\r\n';
    expect(parseCsvRecords(text)).toEqual([
      ['a', 'b', 'c'],
      ['x, y', 'say "hi"', 'line1\r\nline2'],
      ['1', null, null],
    ]);
  });

  it('accepts a missing final line break, a BOM, a trailing empty field and another delimiter', () => {
    expect(parseCsvRecords('\uFEFFa,b\n1,')).toEqual([
      ['a', 'b'],
      ['1', null],
    ]);
    expect(parseCsvRecords('\uFEFFa;b\n1;', { delimiter: ';' })).toEqual([
      ['a', 'b'],
      ['1', null],
    ]);
  });

  it('skips blank lines but rejects short records and unterminated quotes with the line number', () => {
    expect(parseCsvRecords('a,b\n1,2\n\n3,4\n\n')).toEqual([
      ['a', 'b'],
      ['1', '2'],
      ['3', '4'],
    ]);
    expect(() => parseCsvRecords('a,b\n1,2\n3\n')).toThrow(/record 3 has 1 fields, the header has 2/);
    expect(() => parseCsvRecords('a,b\n1,"2\n')).toThrow(/unterminated quoted field/);
    expect(() => parseCsvRecords('a,b\n"1"x,2\n')).toThrow(/after a closing quote in record 2/);
  });

  it('returns no records for empty input', () => {
    expect(parseCsvRecords('')).toEqual([]);
  });
});

describe('parseCsv', () => {
  it('infers numeric and boolean columns, keeps codes with leading zeros as strings, empty is null', () => {
    const rows = parseCsv('n,flag,code,name\n1.5,true,007,a\n-2e3,FALSE,010,\n,,,"c"\n');
    expect(rows).toEqual([
      { n: 1.5, flag: true, code: '007', name: 'a' },
      { n: -2000, flag: false, code: '010', name: null },
      { n: null, flag: null, code: null, name: 'c' },
    ]);
  });

  it('keeps a column with one non-number as strings', () => {
    expect(parseCsv('v\n1\nx\n').map((r) => r.v)).toEqual(['1', 'x']);
  });

  it('rejects duplicate header names', () => {
    expect(() => parseCsv('a,a\n1,2\n')).toThrow(/column "a" twice/);
  });
});
