/**
 * MQTT message payloads: one reading object, a JSON array of readings, or
 * NDJSON (one reading per line). Pure: bytes in, readings and per-line
 * problems out; validation of each reading is telemetry's job.
 */
import type { RejectedReading, WireReading } from '../types.js';

export type ParsedPayload =
  | { ok: true; readings: WireReading[]; /** Original index of each reading (NDJSON skips bad lines). */ indexes: number[] | null; badLines: RejectedReading[] }
  | { ok: false; code: string; reason: string };

const isObject = (v: unknown): v is WireReading => typeof v === 'object' && v !== null && !Array.isArray(v);

export function parseMqttPayload(payload: Uint8Array | string): ParsedPayload {
  const text = (typeof payload === 'string' ? payload : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8')).trim();
  if (text === '') return { ok: false, code: 'EMPTY_PAYLOAD', reason: 'the message is empty; send a reading object, a JSON array of readings or NDJSON' };
  if (text[0] !== '{' && text[0] !== '[') {
    return { ok: false, code: 'BAD_PAYLOAD', reason: 'not JSON: send {"sensor","ts","value"}, an array of them, or one per line (NDJSON)' };
  }
  try {
    const v: unknown = JSON.parse(text);
    if (Array.isArray(v)) return { ok: true, readings: v as WireReading[], indexes: null, badLines: [] };
    if (isObject(v)) return { ok: true, readings: [v], indexes: null, badLines: [] };
  } catch {
    if (text[0] === '{' && text.includes('\n')) return parseNdjson(text);
    return { ok: false, code: 'BAD_JSON', reason: 'malformed JSON: send {"sensor","ts","value"}, an array of them, or one per line (NDJSON)' };
  }
  return { ok: false, code: 'BAD_PAYLOAD', reason: 'expected a reading object or an array of readings' };
}

function parseNdjson(text: string): ParsedPayload {
  const readings: WireReading[] = [];
  const indexes: number[] = [];
  const badLines: RejectedReading[] = [];
  let index = 0;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    try {
      const v: unknown = JSON.parse(line);
      if (isObject(v)) {
        readings.push(v);
        indexes.push(index);
      } else {
        badLines.push({ index, code: 'BAD_READING', reason: 'each NDJSON line must be one reading object' });
      }
    } catch {
      badLines.push({ index, code: 'BAD_JSON', reason: `line ${index + 1}: malformed JSON` });
    }
    index++;
  }
  return { ok: true, readings, indexes, badLines };
}

/** True when an MQTT topic filter (with + and # wildcards) matches a topic name. */
export function mqttTopicMatches(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return i > 0 || !topic.startsWith('$');
    if (i >= t.length) return false;
    if (f[i] === '+') {
      if (i === 0 && t[0]!.startsWith('$')) return false;
      continue;
    }
    if (f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}
