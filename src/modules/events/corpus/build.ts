/**
 * Rebuilds the corpus JSON Lines from the hand-written sources:
 *   npx tsx src/modules/events/corpus/build.ts
 * sources/CODE.txt (one report a line, "!" = urgent) → train.jsonl + heldout.jsonl
 * (deterministic 80/20 split per category), more/CODE.txt → train.jsonl,
 * more/heldout.txt → heldout.jsonl, probe/probe.txt → probe.jsonl.
 * Checks the corpus on the way: known categories, at least 40 reports per
 * category, at least a quarter in English, no duplicate texts.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CORPUS_DIR, loadCategories, loadSources } from '../classifier/corpus.js';
import { assembleSplits, toJsonl } from '../classifier/corpus.logic.js';
import type { LabelledReport } from '../classifier/types.js';

const MIN_PER_CATEGORY = 40;
const MIN_ENGLISH_SHARE = 0.25;

function check(reports: LabelledReport[], codes: Set<string>, perCategory: number): string[] {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  const counts = new Map<string, number>();
  for (const r of reports) {
    if (!codes.has(r.category)) problems.push(`${r.id}: unknown category ${r.category}`);
    const key = r.text.toLowerCase();
    if (seen.has(key)) problems.push(`${r.id}: same text as ${seen.get(key)}`);
    seen.set(key, r.id);
    counts.set(r.category, (counts.get(r.category) ?? 0) + 1);
  }
  for (const c of codes) if ((counts.get(c) ?? 0) < perCategory) problems.push(`${c}: ${counts.get(c) ?? 0} reports, need ${perCategory}`);
  return problems;
}

const codes = new Set((await loadCategories()).map((c) => c.code));
const sources = await loadSources();
const { probe } = sources;
const reports = [...sources.reports, ...sources.trainOnly, ...sources.heldoutOnly];
const english = reports.filter((r) => r.lang === 'en').length / reports.length;
const problems = [...check(reports, codes, MIN_PER_CATEGORY), ...check(probe, codes, 1)];
if (english < MIN_ENGLISH_SHARE) problems.push(`only ${(english * 100).toFixed(1)} % English, need ${MIN_ENGLISH_SHARE * 100} %`);
const probeTexts = new Set(probe.map((r) => r.text.toLowerCase()));
for (const r of reports) if (probeTexts.has(r.text.toLowerCase())) problems.push(`${r.id}: also in the probe set`);
if (problems.length) {
  process.stderr.write(`corpus has problems:\n  ${problems.join('\n  ')}\n`);
  process.exit(1);
}
const { train, heldout } = assembleSplits(sources.reports, sources.trainOnly, sources.heldoutOnly);
await writeFile(path.join(CORPUS_DIR, 'train.jsonl'), toJsonl(train));
await writeFile(path.join(CORPUS_DIR, 'heldout.jsonl'), toJsonl(heldout));
await writeFile(path.join(CORPUS_DIR, 'probe.jsonl'), toJsonl(probe));
const urgent = reports.filter((r) => r.urgent).length;
process.stdout.write(
  `${reports.length} reports (${train.length} train, ${heldout.length} held out), ${(english * 100).toFixed(1)} % English, ` +
    `${urgent} urgent; ${probe.length} probe reports\n`,
);
