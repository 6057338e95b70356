/**
 * Streaming verification of the audit chain, pure. Rows are pushed in seq
 * order (in batches, never all at once); the verifier keeps a lookahead of two
 * rows and a bounded memory of recent gaps, so a log of millions of entries
 * verifies in constant memory.
 *
 * Because seq is part of each hash, the seq an entry was *written* at can be
 * recovered by trying nearby seqs: that tells an edit (no seq fits) from a
 * reordering or a renumbering after a deletion or insertion (another seq fits).
 * Classification, per stored row:
 * - edited:    its content no longer matches its hash (or its hash was rewritten:
 *              the next entry, or the head, links to a different hash);
 * - deleted:   an expected chain position is missing (reported at that seq);
 * - inserted:  a row that is not part of the chain: the next entry links past
 *              it, it repeats a position the chain already holds, or it lies
 *              beyond the recorded head;
 * - reordered: a row found later than its chain position (seq order differs
 *              from chain order); both rows of a swap are reported.
 */
import { GENESIS_HASH, bodyAfterSeq, hashAt, isChainAlgorithm, type ChainHead, type ChainRecord } from './chain.logic.js';
import type { VerifyProblem, VerifyReport } from './types.js';

export interface VerifierOptions {
  /** Problems kept in the report; the rest are only counted. */
  maxProblems?: number;
  /** How far (in seqs) a moved entry is looked for. */
  searchRadius?: number;
}

interface Row extends ChainRecord {
  /** Seq the entry was written at: undefined until computed, null when none fits. */
  w?: number | null;
  body?: string;
}

interface Jump {
  seq: number;
  w: number;
  /** seq − written seq of the rows before the jump: a row with this offset is in its own place. */
  baseOffset: number;
  reported: boolean;
}

interface Accepted {
  seq: number;
  w: number;
  hash: string;
  problem?: VerifyProblem;
}

const RANGE_REPORT = 100;
const MAX_PENDING = 1000;
const TAIL_KEEP = 1000;
/** After this many rows in a row that match no seq, stop searching around them (a wholesale rewrite). */
const DEGRADE_AFTER = 50;

export class ChainVerifier {
  private readonly maxProblems: number;
  private readonly radius: number;
  private readonly buf: Row[] = [];
  private readonly problems: VerifyProblem[] = [];
  private omitted = 0;
  private readonly unlisted = new WeakSet<VerifyProblem>();
  private readonly withdrawn = new WeakSet<VerifyProblem>();
  private entries = 0;
  private expectW = 1;
  private prevHash = GENESIS_HASH;
  private prevSeq: number | null = null;
  private prevFlagged = false;
  private offset = 0;
  private misses = 0;
  private readonly pending = new Map<number, { jump: Jump; problem: VerifyProblem }>();
  private tail: Accepted[] = [];

  constructor(opts: VerifierOptions = {}) {
    this.maxProblems = opts.maxProblems ?? 1000;
    this.radius = opts.searchRadius ?? 16;
  }

  /** Feed the next stored row (rows must come in ascending seq order). */
  push(row: ChainRecord): void {
    this.entries++;
    this.buf.push({ ...row });
    if (this.buf.length >= 3) this.evaluate(this.buf.shift()!, this.buf[0], this.buf[1], undefined);
  }

  /** Finish with the head record (seq and hash of the last appended entry), or null when it is missing. */
  finish(head: ChainHead | null): VerifyReport {
    while (this.buf.length) this.evaluate(this.buf.shift()!, this.buf[0], this.buf[1], head ?? undefined);
    let headHash: string | null = this.tail.at(-1)?.hash ?? null;
    if (!head) {
      if (this.entries > 0) this.add({ seq: 0, kind: 'deleted', message: 'the chain head record (audit_head) is missing, so deletions at the end of the log cannot be ruled out' });
    } else {
      for (const t of this.tail) {
        if (t.w <= head.seq) continue;
        const message = `entry ${t.seq} was inserted: it lies beyond the recorded head (entry ${head.seq}, hash ${head.hash})`;
        if (t.problem) Object.assign(t.problem, { kind: 'inserted', message });
        else this.add({ seq: t.seq, kind: 'inserted', message });
      }
      const within = this.tail.filter((t) => t.w <= head.seq);
      const last = within.at(-1);
      const lastW = last?.w ?? (this.entries === 0 ? 0 : head.seq);
      headHash = last?.hash ?? (this.entries === 0 ? null : headHash);
      if (lastW < head.seq) {
        this.reportMissing(lastW + 1, head.seq, (m) => `entry ${m} was deleted: it is missing from the end of the log, whose head records ${head.seq} entries ending in hash ${head.hash}`);
      } else if (last && last.w === head.seq && last.hash !== head.hash && !last.problem) {
        this.add({ seq: last.seq, kind: 'edited', message: `entry ${last.seq} was edited and its hash rewritten: the head records hash ${head.hash}, the entry has ${last.hash}` });
      }
    }
    const problems = this.problems.filter((p) => !this.withdrawn.has(p)).sort((a, b) => a.seq - b.seq);
    const report: VerifyReport = { ok: problems.length === 0 && this.omitted === 0, entries: this.entries, headHash, problems };
    if (this.omitted) report.problemsOmitted = this.omitted;
    return report;
  }

  private add(p: VerifyProblem): VerifyProblem {
    if (this.problems.length < this.maxProblems) this.problems.push(p);
    else {
      this.omitted++;
      this.unlisted.add(p);
    }
    return p;
  }

  private withdraw(p: VerifyProblem): void {
    if (this.unlisted.has(p)) this.omitted--;
    else this.withdrawn.add(p);
  }

  /** The seq this row's hash was computed with, searching near where it is expected. */
  private writtenSeq(r: Row): number | null {
    if (r.w !== undefined) return r.w;
    r.w = null;
    if (!isChainAlgorithm(r.algorithm)) return null;
    r.body ??= bodyAfterSeq(r);
    const primary = r.seq - this.offset;
    if (primary >= 1 && hashAt(r, primary, r.body) === r.hash) {
      this.misses = 0;
      return (r.w = primary);
    }
    const tries = [r.seq];
    if (this.misses < DEGRADE_AFTER) {
      for (let d = 1; d <= this.radius; d++) tries.push(primary + d, primary - d);
      let n = 0;
      for (const k of this.pending.keys()) if (n++ < 64) tries.push(k);
    }
    const seen = new Set<number>([primary]);
    for (const s of tries) {
      if (s < 1 || seen.has(s)) continue;
      seen.add(s);
      if (hashAt(r, s, r.body) === r.hash) {
        this.misses = 0;
        return (r.w = s);
      }
    }
    this.misses++;
    return null;
  }

  private accept(r: Row, w: number, problem?: VerifyProblem): void {
    this.prevHash = r.hash;
    this.prevSeq = r.seq;
    this.prevFlagged = problem !== undefined;
    this.expectW = w + 1;
    this.offset = r.seq - w;
    this.tail.push({ seq: r.seq, w, hash: r.hash, problem });
    if (this.tail.length > 2 * TAIL_KEEP) this.tail = this.tail.slice(-TAIL_KEEP);
  }

  private evaluate(r: Row, n1: Row | undefined, n2: Row | undefined, head: ChainHead | undefined): void {
    const w = this.writtenSeq(r);
    if (w === null) return this.unmatched(r, n1);
    if (w === this.expectW) {
      if (n1 && this.writtenSeq(n1) === w && this.isImpostor(r, n1, n2, head)) {
        this.add({ seq: r.seq, kind: 'inserted', message: `entry ${r.seq} was inserted: it claims chain position ${w}, but the chain continues through entry ${n1.seq}` });
        return;
      }
      if (r.prevHash !== this.prevHash) {
        if (this.prevSeq === null) {
          this.add({ seq: r.seq, kind: 'edited', message: `entry ${r.seq} was edited: the chain must start from prev_hash ${GENESIS_HASH}, it starts from ${r.prevHash}` });
        } else if (!this.prevFlagged) {
          this.add({ seq: this.prevSeq, kind: 'edited', message: `entry ${this.prevSeq} was edited and its hash rewritten: entry ${r.seq} links to hash ${r.prevHash}, but entry ${this.prevSeq} has hash ${this.prevHash}` });
        }
      }
      return this.accept(r, w);
    }
    if (w > this.expectW) {
      const jump: Jump = { seq: r.seq, w, baseOffset: this.offset, reported: false };
      const from = this.expectW;
      const moved = r.seq !== w ? ` (stored at seq ${r.seq})` : '';
      this.reportMissing(from, w - 1, (m) => `entry ${m} was deleted: the chain jumps from entry ${from - 1} to entry ${w}${moved}, which links to hash ${r.prevHash}`, jump);
      return this.accept(r, w);
    }
    const p = this.pending.get(w);
    if (p) {
      this.pending.delete(w);
      // A row in its own place only looked missing because a moved row came before it.
      if (r.seq - w === p.jump.baseOffset) this.withdraw(p.problem);
      else Object.assign(p.problem, { seq: r.seq, kind: 'reordered', message: `entry ${r.seq} is out of order: it holds the entry written as seq ${w}, which belongs before the entry written as seq ${p.jump.w}` });
      if (!p.jump.reported && p.jump.seq - p.jump.w !== p.jump.baseOffset) {
        p.jump.reported = true;
        this.add({ seq: p.jump.seq, kind: 'reordered', message: `entry ${p.jump.seq} is out of order: it holds the entry written as seq ${p.jump.w}, stored before entries written earlier` });
      }
      return;
    }
    this.add({ seq: r.seq, kind: 'inserted', message: `entry ${r.seq} was inserted: it repeats chain position ${w}, which the chain has already passed` });
  }

  /** A row whose content matches no seq: an edited entry, or a foreign one the chain skips. */
  private unmatched(r: Row, n1: Row | undefined): void {
    if (n1 && n1.prevHash === this.prevHash && r.hash !== this.prevHash) {
      const from = this.prevSeq === null ? 'the start of the chain' : `entry ${this.prevSeq}`;
      this.add({ seq: r.seq, kind: 'inserted', message: `entry ${r.seq} was inserted: entry ${n1.seq} links past it to ${from}` });
      return;
    }
    const message = isChainAlgorithm(r.algorithm)
      ? `entry ${r.seq} was edited: stored hash ${r.hash}, recomputed ${hashAt(r, r.seq - this.offset, r.body)}`
      : `entry ${r.seq} was edited: unknown hash algorithm "${r.algorithm}"`;
    this.accept(r, this.expectW, this.add({ seq: r.seq, kind: 'edited', message }));
  }

  /** Two rows claim the same chain position: is the first one the foreign one? */
  private isImpostor(r: Row, n1: Row, n2: Row | undefined, head: ChainHead | undefined): boolean {
    const rLinks = r.prevHash === this.prevHash;
    const nLinks = n1.prevHash === this.prevHash;
    if (nLinks !== rLinks) return nLinks;
    if (n2) return n2.prevHash === n1.hash && n2.prevHash !== r.hash;
    return head?.hash === n1.hash;
  }

  private reportMissing(from: number, to: number, message: (m: number) => string, jump?: Jump): void {
    if (to < from) return;
    if (to - from + 1 > RANGE_REPORT) {
      this.add({ seq: from, kind: 'deleted', message: `entries ${from}–${to} were deleted (${to - from + 1} entries): ${message(from).replace(/^entry \d+ was deleted: /, '')}` });
      return;
    }
    for (let m = from; m <= to; m++) {
      const problem = this.add({ seq: m, kind: 'deleted', message: message(m) });
      if (jump) {
        this.pending.set(m, { jump, problem });
        if (this.pending.size > MAX_PENDING) this.pending.delete(this.pending.keys().next().value!);
      }
    }
  }
}
