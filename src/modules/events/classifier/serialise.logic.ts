/**
 * The model's JSON form: writing it (one line per top-level field keeps
 * diffs readable), its content-hash version, and parsing with checks so a
 * wrong or damaged file fails on load with a clear message, never at
 * prediction time.
 */
import { createHash } from 'node:crypto';
import { badRequest } from '../../../platform/errors.js';
import { dequantise } from './quantise.logic.js';
import type { ClassifierModel, QuantisedMatrix } from './types.js';

export const MODEL_FORMAT = 'cityops-classifier/1';

/** The version of a model: the first 12 hex digits of SHA-256 over its content. */
export function modelVersion(body: Omit<ClassifierModel, 'version'>): string {
  return createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 12);
}

export function serialiseModel(model: ClassifierModel): string {
  const lines = Object.entries(model).map(([key, value]) => `  ${JSON.stringify(key)}: ${JSON.stringify(value)}`);
  return `{\n${lines.join(',\n')}\n}\n`;
}

export function parseModel(json: string): ClassifierModel {
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch (err) {
    throw badRequest('BAD_CLASSIFIER_MODEL', `The classifier model is not valid JSON: ${(err as Error).message}`);
  }
  const fail = (what: string) => badRequest('BAD_CLASSIFIER_MODEL', `The classifier model is damaged or of another format: ${what}`);
  const m = doc as Partial<ClassifierModel> | null;
  if (!m || typeof m !== 'object' || m.format !== MODEL_FORMAT) throw fail(`format must be "${MODEL_FORMAT}"`);
  const { categories, vocab, idf, weights, bias, urgency, features, concepts } = m;
  if (!Array.isArray(categories) || categories.length === 0 || !categories.every((c) => typeof c === 'string')) throw fail('categories');
  if (!Array.isArray(vocab) || !Array.isArray(idf) || idf.length !== vocab.length) throw fail('vocab and idf must have the same length');
  if (!matrixFits(weights, vocab.length * categories.length)) throw fail('weights must hold vocab × categories values');
  if (!Array.isArray(bias) || bias.length !== categories.length) throw fail('bias must have one value per category');
  if (!urgency || !matrixFits(urgency.weights, vocab.length)) throw fail('urgency.weights must hold one value per feature');
  if (urgency.categoryLogOdds?.length !== categories.length || urgency.categoryHoursPrior?.length !== categories.length) throw fail('urgency priors');
  if (!features || typeof features.minDf !== 'number' || typeof features.conceptWeight !== 'number') throw fail('features');
  if (!concepts || typeof concepts !== 'object') throw fail('concepts');
  if (typeof m.version !== 'string') throw fail('version');
  const { version, ...body } = m as ClassifierModel;
  if (modelVersion(body) !== version) throw fail(`its content does not match its version ${version} (edited by hand?)`);
  return m as ClassifierModel;
}

function matrixFits(q: QuantisedMatrix | undefined, length: number): boolean {
  if (!q || (q.bits !== 8 && q.bits !== 16) || q.length !== length || !Array.isArray(q.scales) || typeof q.data !== 'string') return false;
  try {
    return dequantise(q).length === length;
  } catch {
    return false;
  }
}
