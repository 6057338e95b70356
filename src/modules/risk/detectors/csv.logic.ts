/**
 * Parsing and writing NAB-format series (header "timestamp,value"). Pure: takes
 * and returns text; errors name the line so a user can fix the file.
 */
import { badRequest } from '../../../platform/errors.js';
import type { Reading } from './types.js';

/** Parses a NAB timestamp ("2014-07-01 00:00:00[.ffffff]", UTC) or ISO-8601 to epoch ms; NaN if unreadable. */
export function parseNabTime(s: string): number {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2})?)(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(s.trim());
  if (!m) return NaN;
  const frac = m[3] ? m[3].slice(0, 4).padEnd(4, '0') : '';
  return Date.parse(`${m[1]}T${m[2]}${frac}${m[4] ?? 'Z'}`);
}

/** A parsed series keeps the original timestamp text so output rows echo it unchanged. */
export interface ParsedSeries {
  rows: Array<Reading & { raw: string }>;
}

export function parseNabCsv(text: string, source = 'input'): ParsedSeries {
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? '').replace(/^\uFEFF/, '').trim().toLowerCase().split(',').map((h) => h.trim());
  if (header.length < 2 || header[0] !== 'timestamp' || header[1] !== 'value') {
    throw badRequest('DETECT_BAD_HEADER', `${source}: line 1 must be the header "timestamp,value" (found "${lines[0] ?? ''}")`);
  }
  const rows: ParsedSeries['rows'] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const parts = line.split(',');
    const raw = (parts[0] ?? '').trim();
    const ts = parseNabTime(raw);
    if (Number.isNaN(ts)) throw badRequest('DETECT_BAD_TIMESTAMP', `${source}: line ${i + 1}: "${raw}" is not a timestamp (use YYYY-MM-DD HH:MM:SS)`);
    const vs = (parts[1] ?? '').trim();
    const value = vs === '' ? NaN : Number(vs);
    if (!Number.isFinite(value)) throw badRequest('DETECT_BAD_VALUE', `${source}: line ${i + 1}: value "${vs}" is not a number`);
    rows.push({ ts, value, raw });
  }
  return { rows };
}

/** Writes timestamp,value,anomaly_score rows in input order. */
export function formatScoredCsv(series: ParsedSeries, scores: ArrayLike<number>): string {
  const out = ['timestamp,value,anomaly_score'];
  series.rows.forEach((r, i) => out.push(`${r.raw},${r.value},${Number(scores[i]!.toFixed(6))}`));
  return out.join('\n') + '\n';
}
