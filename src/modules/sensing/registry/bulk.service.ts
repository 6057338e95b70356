/**
 * Bulk use cases: upsertSensors (the demo city, idempotent by id, all or
 * nothing) and import from CSV/GeoJSON (good rows import, bad rows are
 * reported). One audit entry per call, not per sensor.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { badRequest, isAppError } from '../../../platform/errors.js';
import type { ImportReport, SensorInput } from '../types.js';
import { detectFormat, rejectDuplicateIds, rowsFromCsv, rowsFromGeoJson, type ImportRow } from './import.logic.js';
import { announce, changesOf, ensureDevicesExist, withId, writeSensors, type Actor, type Identified, type RegistryContext } from './service.js';
import { validateSensor } from './validate.logic.js';

/** Rows per import transaction: progress is reported after each. */
const IMPORT_SLICE = 1000;

export function createBulkService(ctx: RegistryContext) {
  async function importRows(rows: ImportRow[], source: string, actor: Actor, onProgress?: (done: number, total: number) => void): Promise<ImportReport> {
    rejectDuplicateIds(rows);
    const total = rows.length;
    const rejected: ImportReport['rejected'] = [];
    let created = 0;
    let updated = 0;
    let unchanged = 0;
    onProgress?.(0, total);
    for (let i = 0; i < total; i += IMPORT_SLICE) {
      const slice = rows.slice(i, i + IMPORT_SLICE);
      const good: Identified[] = [];
      for (const r of slice) {
        if (r.sensor) good.push(withId(r.sensor));
        else rejected.push({ line: r.line, reason: r.reason ?? 'invalid row' });
      }
      const w = await writeSensors(ctx, good);
      created += w.created.length;
      updated += w.updated.length;
      unchanged += w.unchanged;
      await announce(ctx, changesOf(w));
      onProgress?.(Math.min(total, i + IMPORT_SLICE), total);
    }
    const imported = created + updated + unchanged;
    await ctx.audit.append({ actor, action: 'sensor.import', targetType: 'sensor', details: { source, rows: total, imported, created, updated, unchanged, rejected: rejected.length } });
    return { imported, rejected };
  }

  return {
    /** Insert or update many sensors by id in one transaction; any invalid input rejects the whole call. */
    async upsertSensors(list: SensorInput[], actor: Actor): Promise<{ created: number; updated: number }> {
      if (!Array.isArray(list)) throw badRequest('BAD_SENSOR_LIST', 'Expected an array of sensors');
      const problems: Array<{ index: number; code: string; reason: string }> = [];
      const valid: Identified[] = [];
      const seen = new Map<string, number>();
      list.forEach((input, index) => {
        try {
          const v = withId(validateSensor(input));
          const first = seen.get(v.id);
          if (first !== undefined) problems.push({ index, code: 'DUPLICATE_ID', reason: `id ${v.id} repeats item ${first}` });
          else {
            seen.set(v.id, index);
            valid.push(v);
          }
        } catch (e) {
          if (!isAppError(e)) throw e;
          problems.push({ index, code: e.code, reason: e.message });
        }
      });
      if (problems.length) {
        const p = problems[0]!;
        throw badRequest('SENSORS_INVALID', `${problems.length} of ${list.length} sensors are invalid (nothing was stored); first: item ${p.index}: ${p.reason}`, { problems: problems.slice(0, 100) });
      }
      await ensureDevicesExist(ctx, valid);
      const w = await writeSensors(ctx, valid);
      await ctx.audit.append({ actor, action: 'sensor.upsert_bulk', targetType: 'sensor', details: { count: list.length, created: w.created.length, updated: w.updated.length, unchanged: w.unchanged } });
      await announce(ctx, changesOf(w));
      return { created: w.created.length, updated: w.updated.length };
    },

    /** Import the content of a CSV or GeoJSON document; hint is a file name or content type. */
    async importText(content: string | object, hint: string | undefined, actor: Actor, onProgress?: (done: number, total: number) => void): Promise<ImportReport> {
      const format = typeof content === 'string' ? detectFormat(content, hint) : 'geojson';
      const rows = format === 'csv' ? rowsFromCsv(content as string) : rowsFromGeoJson(content);
      return importRows(rows, hint ?? format, actor, onProgress);
    },

    /** Import a CSV or GeoJSON file from disk (the CLI). */
    async importFile(file: string, actor: Actor, onProgress?: (done: number, total: number) => void): Promise<ImportReport> {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (e) {
        throw badRequest('IMPORT_FILE_UNREADABLE', `Cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
      const format = detectFormat(text, file);
      const rows = format === 'csv' ? rowsFromCsv(text) : rowsFromGeoJson(text);
      return importRows(rows, path.basename(file), actor, onProgress);
    },
  };
}

export type BulkService = ReturnType<typeof createBulkService>;
