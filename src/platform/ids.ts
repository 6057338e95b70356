/** Opaque, time-ordered identifiers (ULIDs) for every record. */
import { monotonicFactory } from 'ulid';

const next = monotonicFactory();

export function newId(prefix?: string): string {
  const id = next();
  return prefix ? `${prefix}_${id}` : id;
}
