/**
 * The labelled corpus as data: parsing the hand-written source files
 * ("!" marks an urgent report), detecting the language, stable ids, the
 * deterministic train/held-out split, and reading/writing JSON Lines.
 */
import { badRequest } from '../../../platform/errors.js';
import type { LabelledReport, ReportLang } from './types.js';

/** Share of each category's reports kept out of training. */
export const HELD_OUT_SHARE = 0.2;
const SPLIT_SALT = 'cityops-split-v1:';

/** FNV-1a, 32 bit: a small, stable string hash (ids and the split must not change between runs or machines). */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

const HAN = /\p{Script=Han}/gu;
const LATIN_WORD = /[A-Za-z]{2,}/g;

/** zh when the text is Chinese, en when it has no Chinese, mixed when both carry weight. */
export function detectLang(text: string): ReportLang {
  const han = text.match(HAN)?.length ?? 0;
  const latin = text.match(LATIN_WORD)?.length ?? 0;
  if (han === 0) return 'en';
  return latin >= 2 ? 'mixed' : 'zh';
}

/**
 * Parses one source file: a line per report, "#" comments, blank lines
 * ignored, "!" before the text marks it urgent. With `category` unset the
 * file names categories in "## CODE" headings (the probe file).
 */
export function parseSource(text: string, category?: string): LabelledReport[] {
  const out: LabelledReport[] = [];
  let current = category;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('## ')) {
      current = line.slice(3).trim();
      continue;
    }
    if (line === '' || line.startsWith('#')) continue;
    if (!current) throw badRequest('BAD_CORPUS', `"${line.slice(0, 30)}…" comes before any "## CATEGORY" heading`);
    const urgent = line.startsWith('!');
    const body = (urgent ? line.slice(1) : line).trim();
    out.push({ id: reportId(current, body), text: body, category: current, urgent, lang: detectLang(body) });
  }
  return out;
}

export function reportId(category: string, text: string): string {
  return `${category.toLowerCase().replace(/_/g, '-')}-${fnv1a(text).toString(16).padStart(8, '0')}`;
}

/**
 * Splits per category: reports ordered by a salted hash of their text, the
 * first 20 % held out. Adding a report moves at most that one report.
 */
export function splitCorpus(reports: readonly LabelledReport[]): { train: LabelledReport[]; heldout: LabelledReport[] } {
  const byCat = new Map<string, LabelledReport[]>();
  for (const r of reports) byCat.set(r.category, [...(byCat.get(r.category) ?? []), r]);
  const train: LabelledReport[] = [];
  const heldout: LabelledReport[] = [];
  for (const cat of [...byCat.keys()].sort()) {
    const ordered = [...(byCat.get(cat) ?? [])].sort((a, b) => fnv1a(SPLIT_SALT + a.text) - fnv1a(SPLIT_SALT + b.text) || (a.id < b.id ? -1 : 1));
    const cut = Math.round(ordered.length * HELD_OUT_SHARE);
    heldout.push(...ordered.slice(0, cut));
    train.push(...ordered.slice(cut));
  }
  const byId = (a: LabelledReport, b: LabelledReport) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return { train: train.sort(byId), heldout: heldout.sort(byId) };
}

/**
 * The committed splits: the first-round sources split 80/20 as above, plus
 * the second-round reports that were written for one side only (a training
 * batch, and a held-out batch written separately in other words), so that
 * adding them never moves a first-round report between the splits.
 */
export function assembleSplits(
  reports: readonly LabelledReport[],
  trainOnly: readonly LabelledReport[],
  heldoutOnly: readonly LabelledReport[],
): { train: LabelledReport[]; heldout: LabelledReport[] } {
  const split = splitCorpus(reports);
  const byId = (a: LabelledReport, b: LabelledReport) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return { train: [...split.train, ...trainOnly].sort(byId), heldout: [...split.heldout, ...heldoutOnly].sort(byId) };
}

export function toJsonl(reports: readonly LabelledReport[]): string {
  return reports.map((r) => JSON.stringify({ id: r.id, text: r.text, category: r.category, urgent: r.urgent, lang: r.lang ?? detectLang(r.text) })).join('\n') + '\n';
}

/** Parses a labelled JSON Lines file, naming the line of the first bad record. */
export function parseLabelledJsonl(text: string, source: string): LabelledReport[] {
  const out: LabelledReport[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    let r: Partial<LabelledReport>;
    try {
      r = JSON.parse(line) as Partial<LabelledReport>;
    } catch {
      throw badRequest('BAD_CORPUS', `${source}:${i + 1}: not JSON`);
    }
    if (typeof r.id !== 'string' || typeof r.text !== 'string' || typeof r.category !== 'string' || typeof r.urgent !== 'boolean') {
      throw badRequest('BAD_CORPUS', `${source}:${i + 1}: needs {"id": string, "text": string, "category": string, "urgent": boolean}`);
    }
    out.push({ id: r.id, text: r.text, category: r.category, urgent: r.urgent, lang: r.lang ?? detectLang(r.text) });
  });
  return out;
}
