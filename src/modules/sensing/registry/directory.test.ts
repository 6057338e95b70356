/** The in-memory directory: lookups by id and key stay in step through replace, delete and start-up loads. */
import { describe, expect, it } from 'vitest';
import { DirectoryIndex } from './directory.js';
import type { SensorEntry } from './types.js';

const entry = (id: string, key: number, updatedAt = 1, name = id): SensorEntry => ({
  id, key, name, deviceId: null, class: 'noise', metric: 'laeq', unit: 'dB(A)', location: { type: 'Point', coordinates: [1, 2] }, lon: 1, lat: 2,
  department: null, orgUnitId: null, orgPath: null, expectedIntervalS: 60, min: 20, max: 140, thresholds: null, state: 'active', createdAt: 1, updatedAt,
});

describe('DirectoryIndex', () => {
  it('finds entries by id and by key, and forgets both on delete', () => {
    const d = new DirectoryIndex();
    d.set(entry('a', 1));
    d.set(entry('b', 2));
    expect(d.byId('a')?.key).toBe(1);
    expect(d.byKey(2)?.id).toBe('b');
    expect(d.size).toBe(2);
    d.delete('a');
    expect(d.byId('a')).toBeUndefined();
    expect(d.byKey(1)).toBeUndefined();
    expect([...d.all()].map((e) => e.id)).toEqual(['b']);
    d.delete('zzz');
    expect(d.size).toBe(1);
  });

  it('replaces an entry without leaving its old key behind', () => {
    const d = new DirectoryIndex();
    d.set(entry('a', 1));
    d.set(entry('a', 7, 2, 'renamed'));
    expect(d.byKey(1)).toBeUndefined();
    expect(d.byKey(7)?.name).toBe('renamed');
    expect(d.size).toBe(1);
  });

  it('a start-up load never replaces a version written meanwhile', () => {
    const d = new DirectoryIndex();
    d.set(entry('a', 1, 5, 'fresh'));
    d.setIfNewer(entry('a', 1, 3, 'stale'));
    d.setIfNewer(entry('a', 1, 5, 'same time'));
    expect(d.byId('a')?.name).toBe('fresh');
    d.setIfNewer(entry('a', 1, 6, 'newer'));
    d.setIfNewer(entry('b', 2, 1));
    expect(d.byId('a')?.name).toBe('newer');
    expect(d.byKey(2)?.id).toBe('b');
  });

  it('answers unknown keys, including odd ones, with undefined', () => {
    const d = new DirectoryIndex();
    expect(d.byKey(0)).toBeUndefined();
    expect(d.byKey(-1)).toBeUndefined();
    expect(d.byKey(1.5)).toBeUndefined();
    expect(d.byId('__proto__')).toBeUndefined();
  });
});
