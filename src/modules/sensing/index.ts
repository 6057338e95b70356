/** Sensing module (SPEC S1–S4) (placeholder until implemented). */
import type { CityModule, Kernel } from '../../platform/module.js';
import type { AuditLog } from '../../platform/audit/types.js';
import type { OrgDirectory } from '../../platform/auth/types.js';
import type { SensingService } from './types.js';

export * from './types.js';

export function createSensingModule(_k: Kernel & { audit: AuditLog; org: OrgDirectory }): { module: CityModule; sensing: SensingService } {
  return { module: { name: 'sensing', migrations: [] }, sensing: {} as SensingService };
}
