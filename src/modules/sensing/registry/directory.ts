/**
 * The in-memory sensor directory: O(1) lookups by id and by telemetry key
 * for the ingestion hot path. Entries are replaced, never mutated, so a
 * reader holding one sees a consistent sensor.
 */
import type { SensorEntry } from './types.js';

export class DirectoryIndex {
  private readonly ids = new Map<string, SensorEntry>();
  /** Keys are small dense integers: an array beats a Map on the hot path. */
  private readonly keys: Array<SensorEntry | undefined> = [];

  byId(id: string): SensorEntry | undefined {
    return this.ids.get(id);
  }

  byKey(key: number): SensorEntry | undefined {
    return this.keys[key];
  }

  all(): IterableIterator<SensorEntry> {
    return this.ids.values();
  }

  get size(): number {
    return this.ids.size;
  }

  set(e: SensorEntry): void {
    const old = this.ids.get(e.id);
    if (old && old.key !== e.key) this.keys[old.key] = undefined;
    this.ids.set(e.id, e);
    this.keys[e.key] = e;
  }

  /** Set unless the directory already holds this version or a newer one (a start-up load racing a write). */
  setIfNewer(e: SensorEntry): void {
    const cur = this.ids.get(e.id);
    if (!cur || cur.updatedAt < e.updatedAt) this.set(e);
  }

  delete(id: string): void {
    const old = this.ids.get(id);
    if (!old) return;
    this.ids.delete(id);
    this.keys[old.key] = undefined;
  }
}
