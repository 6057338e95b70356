/** The tamper-evident audit log every module writes to (SPEC D5). */
import type { Principal } from '../auth/roles.js';
import type { AnyDb } from '../db/index.js';

export interface AuditInput {
  /** Who acted: a principal, or a system actor such as "system:simulator". */
  actor: Principal | string;
  /** What was done, e.g. "sensor.create", "user.login", "sensor.read". */
  action: string;
  targetType: string;
  targetId?: string;
  details?: Record<string, unknown>;
}

export interface AuditEntry {
  seq: number;
  at: number;
  actorId: string;
  actorName: string;
  action: string;
  targetType: string;
  targetId: string | null;
  details: Record<string, unknown> | null;
  algorithm: 'sha256' | 'sm3';
  prevHash: string;
  hash: string;
}

export interface VerifyProblem {
  seq: number;
  kind: 'edited' | 'deleted' | 'inserted' | 'reordered';
  message: string;
}

export interface VerifyReport {
  ok: boolean;
  entries: number;
  /** Hash of the last entry of the chain (record it elsewhere to anchor the log). */
  headHash: string | null;
  problems: VerifyProblem[];
  /** Problems found beyond the ones listed (the list is capped). */
  problemsOmitted?: number;
}

export interface AuditLog {
  /** Append one entry; resolves once it is stored (it may join the caller's transaction where supported). */
  append(input: AuditInput): Promise<AuditEntry>;
  /**
   * Store a module's rows and their audit entries in ONE transaction, so neither is ever kept without
   * the other: `write` runs the module's statements on the transaction it is given (its own tables
   * only) and returns the entries to append; an error anywhere rolls everything back. Used by hot
   * paths that group many changes into one commit (event intake). On SQLite the write lock is held
   * across `write`'s awaits: fine for one connection per process (how CityOps opens it) and for other
   * processes (they wait), not for a second connection to the same file inside this process.
   */
  appendAtomically<T>(write: (trx: AnyDb) => Promise<{ result: T; entries: AuditInput[] }>): Promise<{ result: T; entries: AuditEntry[] }>;
  list(filter: { actorId?: string; action?: string; targetType?: string; targetId?: string; since?: number; until?: number; limit?: number; afterSeq?: number }): Promise<AuditEntry[]>;
  verify(): Promise<VerifyReport>;
}
