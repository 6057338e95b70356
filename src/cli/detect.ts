/**
 * `cityops detect --input <file.csv> --output <file.csv>`: scores a NAB-format
 * series (timestamp,value) with the CityOps streaming detector and writes
 * timestamp,value,anomaly_score, so the detector can be scored with NAB's own tools.
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import { badRequest } from '../platform/errors.js';
import { formatScoredCsv, parseNabCsv } from '../modules/risk/detectors/csv.logic.js';
import { createDetector } from '../modules/risk/detectors/detector.logic.js';

export function registerDetectCommands(program: Command): void {
  program
    .command('detect')
    .description('score a NAB-format series (timestamp,value) with the streaming anomaly detector')
    .requiredOption('--input <file>', 'CSV with the header "timestamp,value"')
    .requiredOption('--output <file>', 'where to write timestamp,value,anomaly_score')
    .action((opts: { input: string; output: string }) => {
      if (!fs.existsSync(opts.input) || !fs.statSync(opts.input).isFile()) {
        throw badRequest('DETECT_INPUT_NOT_FOUND', `input file ${opts.input} does not exist`);
      }
      const series = parseNabCsv(fs.readFileSync(opts.input, 'utf8'), opts.input);
      const detector = createDetector();
      const scores = series.rows.map((r) => detector.update(r.ts, r.value));
      fs.writeFileSync(opts.output, formatScoredCsv(series, scores));
      process.stderr.write(`cityops: scored ${series.rows.length} readings → ${opts.output}\n`);
    });
}
