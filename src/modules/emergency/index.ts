/** Emergency module: for now the OpenStreetMap road network (placeholder until implemented). */
import type { CityModule, Kernel } from '../../platform/module.js';
import type { AuditLog } from '../../platform/audit/types.js';
import type { RoadNetworkService } from './types.js';

export * from './types.js';

export function createEmergencyModule(_k: Kernel & { audit: AuditLog }): { module: CityModule; roads: RoadNetworkService } {
  return { module: { name: 'emergency', migrations: [] }, roads: {} as RoadNetworkService };
}
