/**
 * Server-Sent Events framing for the live stream. Rows are compact
 * [sensorId, tsMs, value] arrays so 10k sensors fit in a few hundred KB. Pure.
 */

export interface PendingValue {
  id: string;
  ts: number;
  value: number;
}

/** One SSE event: "event: <name>\ndata: <json>\n\n" (data never contains a newline). */
export function sseEvent(name: string, data: string): string {
  return `event: ${name}\ndata: ${data}\n\n`;
}

/** A comment line; EventSource ignores it, proxies see traffic. */
export function sseComment(text: string): string {
  return `: ${text}\n\n`;
}

/** {"rows":[[id,ts,value],…]} plus the count of updates coalesced away since the last event. */
export function rowsJson(rows: Iterable<PendingValue>, coalesced?: number): string {
  let s = '{"rows":[';
  let first = true;
  for (const r of rows) {
    s += `${first ? '' : ','}[${JSON.stringify(r.id)},${r.ts},${r.value}]`;
    first = false;
  }
  s += ']';
  if (coalesced !== undefined) s += `,"coalesced":${coalesced}`;
  return `${s}}`;
}
