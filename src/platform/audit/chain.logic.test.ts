/** Unit tests of the pure hash chain: canonical JSON, SM3/SHA-256 vectors, chaining. */
import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, canonicalJson, chainOnto, digest, entryHash, type PendingRecord } from './chain.logic.js';

const pending = (i: number): PendingRecord => ({
  at: 1_700_000_000_000 + i,
  actorId: 'usr_1',
  actorName: 'Ada',
  action: 'sensor.read',
  targetType: 'sensor',
  targetId: `s${i}`,
  details: canonicalJson({ i }),
});

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}');
  });
  it('treats undefined, non-finite numbers, dates and bigints like JSON does (deterministically)', () => {
    expect(canonicalJson({ u: undefined, n: NaN, i: Infinity, d: new Date(0), b: 10n, arr: [undefined] })).toBe(
      '{"arr":[null],"b":"10","d":"1970-01-01T00:00:00.000Z","i":null,"n":null}',
    );
  });
  it('gives the same text for equal values built in a different key order', () => {
    expect(canonicalJson({ x: 1, y: [1, 2], z: { q: 'é中' } })).toBe(canonicalJson({ z: { q: 'é中' }, y: [1, 2], x: 1 }));
  });
  it('refuses circular structures', () => {
    const a: Record<string, unknown> = {};
    a.self = a;
    expect(() => canonicalJson(a)).toThrow(/circular/);
  });
});

describe('digest', () => {
  // GB/T 32905-2016 appendix A
  it('computes SM3 test vectors', () => {
    expect(digest('sm3', 'abc')).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
    expect(digest('sm3', 'abcd'.repeat(16))).toBe('debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732');
  });
  it('computes SHA-256', () => {
    expect(digest('sha256', 'abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('chainOnto', () => {
  it.each(['sha256', 'sm3'] as const)('links consecutive entries from the genesis hash (%s)', (alg) => {
    const rows = chainOnto({ seq: 0, hash: GENESIS_HASH }, [pending(1), pending(2), pending(3)], alg);
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(rows[0]!.prevHash).toBe(GENESIS_HASH);
    expect(rows[1]!.prevHash).toBe(rows[0]!.hash);
    expect(rows[2]!.prevHash).toBe(rows[1]!.hash);
    for (const r of rows) expect(entryHash(r)).toBe(r.hash);
    expect(rows[0]!.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('continues from a head and covers every field', () => {
    const [a] = chainOnto({ seq: 41, hash: 'f'.repeat(64) }, [pending(1)], 'sha256');
    expect(a!.seq).toBe(42);
    expect(a!.prevHash).toBe('f'.repeat(64));
    const fields = ['at', 'actorId', 'actorName', 'action', 'targetType', 'targetId', 'details', 'prevHash', 'seq'] as const;
    for (const f of fields) {
      const changed = { ...a!, [f]: f === 'at' || f === 'seq' ? 7 : f === 'targetId' ? null : 'x' };
      expect(entryHash(changed), f).not.toBe(a!.hash);
    }
    expect(entryHash({ ...a!, algorithm: 'sm3' })).not.toBe(a!.hash);
    expect(entryHash({ ...a!, algorithm: 'md5' })).toBeNull();
  });

  it('hashes the prev hash and the canonical record as documented', () => {
    const [a] = chainOnto({ seq: 0, hash: GENESIS_HASH }, [pending(1)], 'sha256');
    const text = GENESIS_HASH + canonicalJson([1, a!.at, 'usr_1', 'Ada', 'sensor.read', 'sensor', 's1', '{"i":1}', 'sha256']);
    expect(a!.hash).toBe(digest('sha256', text));
  });
});
