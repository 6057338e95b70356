/**
 * The audit log's use cases. Appends are serialised through one queue per
 * process and written in group commits (everything queued while the previous
 * write was in flight goes in the next transaction); the store's head lock
 * serialises processes. appendAtomically() instead joins a caller's write:
 * its rows and their entries commit in one transaction (same head lock).
 * verify() walks the table in batches.
 */
import type { Logger } from 'pino';
import type { Principal } from '../auth/roles.js';
import type { Clock } from '../clock.js';
import { badRequest } from '../errors.js';
import { canonicalJson, chainOnto, type ChainAlgorithm, type ChainRecord, type PendingRecord } from './chain.logic.js';
import type { AuditFilter, AuditStore } from './store.js';
import type { AuditEntry, AuditInput, AuditLog, VerifyReport } from './types.js';
import { ChainVerifier } from './verify.logic.js';

export interface AuditServiceDeps {
  store: AuditStore;
  clock: Clock;
  algorithm: ChainAlgorithm;
  log: Logger;
}

export interface AuditService extends AuditLog {
  /** A page of entries for a person, recording that they read it. */
  readAs(actor: Principal, filter: AuditFilter): Promise<{ items: AuditEntry[]; nextAfterSeq: number | null }>;
  /** Verify the chain for a person, recording that they did. */
  verifyAs(actor: Principal): Promise<VerifyReport>;
  /** Resolves once every append queued so far is stored. */
  flush(): Promise<void>;
}

const MAX_GROUP = 500;
const VERIFY_BATCH = 2000;
const MAX_LIST = 1000;

interface Queued {
  record: PendingRecord;
  resolve: (e: AuditEntry) => void;
  reject: (err: unknown) => void;
}

export function toEntry(r: ChainRecord): AuditEntry {
  let details: Record<string, unknown> | null = null;
  if (r.details !== null) {
    try {
      details = JSON.parse(r.details) as Record<string, unknown>;
    } catch {
      details = { unparseable: r.details };
    }
  }
  return {
    seq: r.seq,
    at: r.at,
    actorId: r.actorId,
    actorName: r.actorName,
    action: r.action,
    targetType: r.targetType,
    targetId: r.targetId,
    details,
    algorithm: r.algorithm as AuditEntry['algorithm'],
    prevHash: r.prevHash,
    hash: r.hash,
  };
}

export function createAuditService(deps: AuditServiceDeps): AuditService {
  const core = createAuditLog(deps);
  return {
    ...core,
    async readAs(actor, filter) {
      const items = await core.list(filter);
      const limit = Math.min(filter.limit ?? 100, MAX_LIST);
      const nextAfterSeq = items.length === limit ? items.at(-1)!.seq : null;
      const shown = items.length ? { firstSeq: items[0]!.seq, lastSeq: items.at(-1)!.seq } : {};
      await core.append({ actor, action: 'audit.read', targetType: 'audit_log', details: { filter, returned: items.length, ...shown } });
      return { items, nextAfterSeq };
    },
    async verifyAs(actor) {
      const report = await core.verify();
      await core.append({ actor, action: 'audit.verify', targetType: 'audit_log', details: { ok: report.ok, entries: report.entries, problems: report.problems.length + (report.problemsOmitted ?? 0) } });
      return report;
    },
  };
}

function createAuditLog(deps: AuditServiceDeps): AuditLog & { flush(): Promise<void> } {
  const { store, clock, algorithm, log } = deps;
  const queue: Queued[] = [];
  let writing: Promise<void> | null = null;

  const writeAll = async () => {
    while (queue.length) {
      const group = queue.splice(0, MAX_GROUP);
      try {
        const records = await store.appendBatch((head) => chainOnto(head, group.map((q) => q.record), algorithm));
        group.forEach((q, i) => q.resolve(toEntry(records[i]!)));
      } catch (err) {
        log.error({ err }, 'audit append failed');
        for (const q of group) q.reject(err);
      }
    }
  };
  const kick = () => {
    writing ??= writeAll().finally(() => {
      writing = null;
      if (queue.length) kick();
    });
    return writing;
  };

  function pendingOf(input: AuditInput): PendingRecord {
    const actor = typeof input.actor === 'string' ? { id: input.actor, name: input.actor } : { id: input.actor.id, name: input.actor.name };
    if (!actor.id || !input.action || !input.targetType) {
      throw badRequest('AUDIT_INPUT_INVALID', 'An audit entry needs an actor, an action and a target type');
    }
    let details: string | null;
    try {
      details = input.details === undefined ? null : canonicalJson(input.details);
    } catch (err) {
      throw badRequest('AUDIT_DETAILS_INVALID', `Audit details cannot be stored: ${(err as Error).message}`);
    }
    return {
      at: clock.now(),
      actorId: actor.id,
      actorName: actor.name,
      action: input.action,
      targetType: input.targetType,
      targetId: input.targetId ?? null,
      details,
    };
  }

  return {
    append(input: AuditInput): Promise<AuditEntry> {
      let record: PendingRecord;
      try {
        record = pendingOf(input);
      } catch (err) {
        return Promise.reject(err);
      }
      const done = new Promise<AuditEntry>((resolve, reject) => queue.push({ record, resolve, reject }));
      void kick();
      return done;
    },

    async appendAtomically(write) {
      let pending: PendingRecord[] = [];
      const { result, records } = await store.appendWithin(async (trx) => {
        const out = await write(trx);
        // Bad input throws here, inside the transaction: the caller's rows roll back with it.
        pending = out.entries.map(pendingOf);
        return out.result;
      }, (head) => chainOnto(head, pending, algorithm));
      return { result, entries: records.map(toEntry) };
    },

    async list(filter: AuditFilter) {
      const limit = Math.min(Math.max(1, filter.limit ?? 100), MAX_LIST);
      const rows = await store.list({ ...filter, limit });
      return rows.map(toEntry);
    },

    async verify(): Promise<VerifyReport> {
      const v = new ChainVerifier();
      let after = Number.MIN_SAFE_INTEGER;
      for (;;) {
        const rows = await store.readBatch(after, VERIFY_BATCH);
        for (const r of rows) v.push(r);
        if (rows.length) after = rows.at(-1)!.seq;
        if (rows.length < VERIFY_BATCH) break;
      }
      // Read after the walk: entries appended meanwhile are covered by this head.
      const head = await store.readHead();
      if (head) {
        for (;;) {
          const rows = await store.readBatch(after, VERIFY_BATCH, head.seq);
          for (const r of rows) v.push(r);
          if (!rows.length) break;
          after = rows.at(-1)!.seq;
        }
      }
      return v.finish(head);
    },

    async flush() {
      while (writing) await writing;
    },
  };
}
