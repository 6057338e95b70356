/**
 * The audit hash chain, pure: canonical JSON, the hash of one entry, and
 * chaining a batch of new entries onto the current head. Each entry's hash is
 * H(prev_hash + canonical JSON of [seq, at, actor_id, actor_name, action,
 * target_type, target_id, details, algorithm]); the first entry's prev_hash is
 * 64 zeros. `details` takes part as the exact stored text (itself canonical
 * JSON), so any byte changed in the table changes the hash.
 */
import { createHash, getHashes } from 'node:crypto';
import type { AuditEntry } from './types.js';

export type ChainAlgorithm = AuditEntry['algorithm'];
export const CHAIN_ALGORITHMS: readonly ChainAlgorithm[] = ['sha256', 'sm3'];
export const GENESIS_HASH = '0'.repeat(64);

/** The stored form of one entry (details as canonical JSON text). */
export interface ChainRecord {
  seq: number;
  at: number;
  actorId: string;
  actorName: string;
  action: string;
  targetType: string;
  targetId: string | null;
  details: string | null;
  algorithm: string;
  prevHash: string;
  hash: string;
}

/** An entry still to be chained: everything but seq, prev_hash and hash. */
export type PendingRecord = Omit<ChainRecord, 'seq' | 'prevHash' | 'hash' | 'algorithm'>;

export interface ChainHead {
  seq: number;
  hash: string;
}

/**
 * JSON with object keys sorted (by UTF-16 code units) and no whitespace, so one
 * value always serialises to the same text. Like JSON.stringify, undefined and
 * functions are dropped from objects (null in arrays), non-finite numbers become
 * null and objects with toJSON (Date) use it; bigints become strings.
 */
export function canonicalJson(value: unknown): string {
  const out = canon(value, new Set());
  return out ?? 'null';
}

function canon(v: unknown, stack: Set<object>): string | undefined {
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'number':
      return Number.isFinite(v) ? JSON.stringify(v) : 'null';
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      return JSON.stringify(v.toString());
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
  if (v === null) return 'null';
  const obj = v as object & { toJSON?: () => unknown };
  if (typeof obj.toJSON === 'function') return canon(obj.toJSON(), stack);
  if (stack.has(obj)) throw new TypeError('cannot serialise a circular structure into the audit log');
  stack.add(obj);
  let text: string;
  if (Array.isArray(obj)) {
    text = `[${obj.map((x) => canon(x, stack) ?? 'null').join(',')}]`;
  } else {
    const rec = obj as Record<string, unknown>;
    const parts: string[] = [];
    for (const k of Object.keys(rec).sort()) {
      const c = canon(rec[k], stack);
      if (c !== undefined) parts.push(`${JSON.stringify(k)}:${c}`);
    }
    text = `{${parts.join(',')}}`;
  }
  stack.delete(obj);
  return text;
}

const available = new Set(getHashes().map((h) => h.toLowerCase()));

export function isChainAlgorithm(a: string): a is ChainAlgorithm {
  return (CHAIN_ALGORITHMS as readonly string[]).includes(a) && available.has(a);
}

/** Hex digest of text with SHA-256 or SM3 (both built into Node's OpenSSL 3). */
export function digest(algorithm: ChainAlgorithm, text: string): string {
  return createHash(algorithm).update(text, 'utf8').digest('hex');
}

/**
 * Everything the hash covers except seq, as the JSON text that follows
 * "[seq," — so a verifier can try other seqs cheaply.
 */
export function bodyAfterSeq(r: Omit<ChainRecord, 'seq' | 'prevHash' | 'hash'>): string {
  // All primitives (details is text), so plain JSON.stringify is already canonical — and much faster.
  const at = Number.isFinite(r.at) ? r.at : null;
  return JSON.stringify([at, r.actorId, r.actorName, r.action, r.targetType, r.targetId, r.details, r.algorithm]).slice(1);
}

/** The hash an entry must have, given the seq it was written at. Null for an unknown algorithm. */
export function hashAt(r: Omit<ChainRecord, 'seq' | 'hash'>, seq: number, body = bodyAfterSeq(r)): string | null {
  if (!isChainAlgorithm(r.algorithm)) return null;
  return digest(r.algorithm, `${r.prevHash}[${seq},${body}`);
}

/** The hash of a stored entry as written (its own seq). */
export function entryHash(r: Omit<ChainRecord, 'hash'>): string | null {
  return hashAt(r, r.seq);
}

/** Chain new entries onto the head: consecutive seqs, each linked to the one before. */
export function chainOnto(head: ChainHead, pending: readonly PendingRecord[], algorithm: ChainAlgorithm): ChainRecord[] {
  const out: ChainRecord[] = [];
  let { seq, hash } = head;
  for (const p of pending) {
    seq += 1;
    const unsigned = { ...p, seq, algorithm, prevHash: hash };
    hash = hashAt(unsigned, seq) ?? '';
    if (!hash) throw new Error(`hash algorithm ${algorithm} is not available in this Node.js`);
    out.push({ ...unsigned, hash });
  }
  return out;
}
