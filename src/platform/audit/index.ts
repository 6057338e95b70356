/** The audit module: a hash-chained, append-only log (placeholder until implemented). */
import type { CityModule, Kernel } from '../module.js';
import type { AuditLog } from './types.js';

export * from './types.js';

export function createAuditModule(_k: Kernel): { module: CityModule; audit: AuditLog } {
  const audit: AuditLog = {
    append: async () => {
      throw new Error('audit not implemented');
    },
    list: async () => [],
    verify: async () => ({ ok: true, entries: 0, headHash: null, problems: [] }),
  };
  return { module: { name: 'audit', migrations: [] }, audit };
}
