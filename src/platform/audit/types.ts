/** The tamper-evident audit log every module writes to (SPEC D5). */
import type { Principal } from '../auth/roles.js';

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
  list(filter: { actorId?: string; action?: string; targetType?: string; targetId?: string; since?: number; until?: number; limit?: number; afterSeq?: number }): Promise<AuditEntry[]>;
  verify(): Promise<VerifyReport>;
}
