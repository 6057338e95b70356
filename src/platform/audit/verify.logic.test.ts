/** Unit tests of the streaming chain verifier: each kind of tampering, found at the right seq. */
import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, canonicalJson, chainOnto, entryHash, type ChainAlgorithm, type ChainRecord } from './chain.logic.js';
import { ChainVerifier } from './verify.logic.js';

function makeChain(n: number, alg: ChainAlgorithm = 'sha256'): ChainRecord[] {
  const pending = Array.from({ length: n }, (_, i) => ({
    at: 1_700_000_000_000 + i * 1000,
    actorId: i % 3 ? 'usr_ada' : 'system:simulator',
    actorName: i % 3 ? 'Ada' : 'system:simulator',
    action: i % 2 ? 'sensor.read' : 'sensor.update',
    targetType: 'sensor',
    targetId: `s${i}`,
    details: i % 5 ? canonicalJson({ n: i, tag: '中文' }) : null,
  }));
  return chainOnto({ seq: 0, hash: GENESIS_HASH }, pending, alg);
}

const headOf = (rows: ChainRecord[]) => ({ seq: rows.at(-1)?.seq ?? 0, hash: rows.at(-1)?.hash ?? GENESIS_HASH });

/** Rows as a table would return them: sorted by seq. */
function verify(rows: ChainRecord[], head = headOf(rows)) {
  const v = new ChainVerifier();
  for (const r of [...rows].sort((a, b) => a.seq - b.seq)) v.push(r);
  return v.finish(head);
}

const kinds = (r: ReturnType<typeof verify>) => r.problems.map((p) => `${p.kind}@${p.seq}`);

/** Move every row with seq >= from by delta (what an attacker does to make room or close a gap). */
const renumber = (rows: ChainRecord[], from: number, delta: number) => rows.map((r) => (r.seq >= from ? { ...r, seq: r.seq + delta } : r));

describe('ChainVerifier', () => {
  it.each(['sha256', 'sm3'] as const)('accepts an untampered chain (%s)', (alg) => {
    const rows = makeChain(300, alg);
    const r = verify(rows);
    expect(r).toEqual({ ok: true, entries: 300, headHash: rows[299]!.hash, problems: [] });
  });

  it('accepts a chain whose algorithm was switched part-way (each entry names its own)', () => {
    const first = makeChain(10, 'sha256');
    const more = chainOnto(headOf(first), first.map(({ seq: _s, prevHash: _p, hash: _h, algorithm: _a, ...rest }) => rest), 'sm3');
    expect(verify([...first, ...more])).toMatchObject({ ok: true, entries: 20 });
  });

  it('accepts an empty log', () => {
    expect(verify([], { seq: 0, hash: GENESIS_HASH })).toEqual({ ok: true, entries: 0, headHash: null, problems: [] });
  });

  it('finds an edited entry and says which hashes differ', () => {
    const rows = makeChain(50);
    rows[16] = { ...rows[16]!, actorName: 'Mallory' };
    const r = verify(rows);
    expect(kinds(r)).toEqual(['edited@17']);
    expect(r.problems[0]!.message).toBe(`entry 17 was edited: stored hash ${rows[16]!.hash}, recomputed ${entryHash(rows[16]!)}`);
  });

  it('finds an edit whose hash was recomputed by the next link, and at the end by the head', () => {
    const rows = makeChain(50);
    const forged = { ...rows[16]!, details: '{"n":0}' };
    rows[16] = { ...forged, hash: entryHash(forged)! };
    expect(kinds(verify(rows, headOf(makeChain(50))))).toEqual(['edited@17']);
    const rows2 = makeChain(50);
    const last = { ...rows2[49]!, action: 'nothing' };
    const head = headOf(rows2);
    rows2[49] = { ...last, hash: entryHash(last)! };
    expect(kinds(verify(rows2, head))).toEqual(['edited@50']);
  });

  it('finds an edited algorithm column', () => {
    const rows = makeChain(20);
    rows[4] = { ...rows[4]!, algorithm: 'md5' };
    const r = verify(rows);
    expect(kinds(r)).toEqual(['edited@5']);
    expect(r.problems[0]!.message).toContain('unknown hash algorithm "md5"');
  });

  it('finds a deleted entry in the middle, at the start and at the end', () => {
    const rows = makeChain(50);
    expect(kinds(verify(rows.filter((r) => r.seq !== 17), headOf(rows)))).toEqual(['deleted@17']);
    expect(kinds(verify(rows.filter((r) => r.seq !== 1), headOf(rows)))).toEqual(['deleted@1']);
    expect(kinds(verify(rows.filter((r) => r.seq < 48), headOf(rows)))).toEqual(['deleted@48', 'deleted@49', 'deleted@50']);
    const m = verify(rows.filter((r) => r.seq !== 17), headOf(rows)).problems[0]!.message;
    expect(m).toBe(`entry 17 was deleted: the chain jumps from entry 16 to entry 18, which links to hash ${rows[16]!.hash}`);
  });

  it('finds a deletion whose gap was closed by renumbering the rest', () => {
    const rows = makeChain(50);
    const r = verify(renumber(rows.filter((x) => x.seq !== 17 && x.seq !== 18), 19, -2), headOf(rows));
    expect(kinds(r)).toEqual(['deleted@17', 'deleted@18']);
  });

  it('reports a large deletion as one range', () => {
    const rows = makeChain(400);
    const r = verify(rows.filter((x) => x.seq < 100 || x.seq > 350), headOf(rows));
    expect(kinds(r)).toEqual(['deleted@100']);
    expect(r.problems[0]!.message).toMatch(/^entries 100–350 were deleted \(251 entries\)/);
  });

  it('finds an inserted forgery, even one with a valid hash and link, after renumbering', () => {
    const rows = makeChain(50);
    const shifted = renumber(rows, 17, 1);
    const fake = { ...rows[16]!, seq: 17, prevHash: rows[15]!.hash, actorName: 'Mallory', targetId: 'cover-up' };
    const r = verify([...shifted, { ...fake, hash: entryHash(fake)! }], headOf(rows));
    expect(kinds(r)).toEqual(['inserted@17']);
    // the same with a garbage hash
    expect(kinds(verify([...shifted, { ...fake, hash: 'a'.repeat(64) }], headOf(rows)))).toEqual(['inserted@17']);
  });

  it('finds an inserted copy of an earlier entry', () => {
    const rows = makeChain(50);
    const r = verify([...renumber(rows, 17, 1), { ...rows[4]!, seq: 17 }], headOf(rows));
    expect(kinds(r)).toEqual(['inserted@17']);
  });

  it('finds entries appended past the recorded head', () => {
    const rows = makeChain(50);
    const head = headOf(rows);
    const fake = { ...rows[49]!, seq: 51, prevHash: rows[49]!.hash };
    expect(kinds(verify([...rows, { ...fake, hash: entryHash(fake)! }], head))).toEqual(['inserted@51']);
    expect(kinds(verify([...rows, { ...fake, hash: 'b'.repeat(64) }], head))).toEqual(['inserted@51']);
  });

  it('finds two swapped entries, adjacent or not, and an entry moved to the end', () => {
    const rows = makeChain(50);
    const swap = (a: number, b: number) => rows.map((r) => (r.seq === a ? { ...r, seq: b } : r.seq === b ? { ...r, seq: a } : r));
    const adj = verify(swap(17, 18));
    expect(kinds(adj)).toEqual(['reordered@17', 'reordered@18']);
    expect(adj.problems[0]!.message).toBe('entry 17 is out of order: it holds the entry written as seq 18, stored before entries written earlier');
    expect(kinds(verify(swap(10, 13)))).toEqual(['reordered@10', 'reordered@13']);
    const moved = rows.map((r) => (r.seq === 17 ? { ...r, seq: 60 } : r));
    expect(kinds(verify(moved, headOf(rows)))).toEqual(['reordered@60']);
    // after a deletion closed by renumbering, a swap further on is still a swap at the stored seqs
    expect(kinds(verify(renumber(swap(30, 31).filter((x) => x.seq !== 3), 4, -1), headOf(rows)))).toEqual(['deleted@3', 'reordered@29', 'reordered@30']);
  });

  it('reports a missing head record when there are entries', () => {
    const r = new ChainVerifier();
    for (const row of makeChain(3)) r.push(row);
    expect(r.finish(null).problems.map((p) => p.kind)).toEqual(['deleted']);
  });

  it('caps the problem list and counts the rest', () => {
    const rows = makeChain(100).map((r) => ({ ...r, actorName: 'x' }));
    const v = new ChainVerifier({ maxProblems: 10 });
    for (const r of rows) v.push(r);
    const rep = v.finish(headOf(makeChain(100)));
    expect(rep.ok).toBe(false);
    expect(rep.problems).toHaveLength(10);
    expect(rep.problemsOmitted).toBe(90);
  });
});
