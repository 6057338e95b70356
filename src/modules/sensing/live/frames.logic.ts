/**
 * Server-Sent Events framing for the live stream. The data of `snapshot` and
 * `reading` events is a JSON array of compact [sensorId, tsMs, value] rows,
 * so 10k sensors fit in a few hundred KB; a slow client is told how many
 * updates it missed in a `dropped` event ({"count":n}). Pure.
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

/** [[id,ts,value],…] */
export function rowsJson(rows: Iterable<PendingValue>): string {
  let s = '[';
  let first = true;
  for (const r of rows) {
    s += `${first ? '' : ','}[${JSON.stringify(r.id)},${r.ts},${r.value}]`;
    first = false;
  }
  return `${s}]`;
}

/** The batch of changes for one tick, preceded by how many updates the client missed while it was not reading. */
export function readingFrames(rows: Iterable<PendingValue>, dropped: number): string {
  const batch = sseEvent('reading', rowsJson(rows));
  return dropped > 0 ? `${sseEvent('dropped', `{"count":${dropped}}`)}${batch}` : batch;
}
