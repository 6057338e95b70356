/** HTTP for the risk map (SPEC R4): current or past risk per area with its reasons, and one area's history (time slider). */
import { Type } from 'typebox';
import { toIso } from '../../../platform/clock.js';
import type { App } from '../../../platform/http/app.js';
import type { PrincipalRole } from '../../../platform/auth/roles.js';
import { parseTime } from '../alarms/routes.js';
import type { RiskMapService } from './service.js';

const TAGS = ['risk'];
const READERS: readonly PrincipalRole[] = ['admin', 'dispatcher', 'handler', 'leader', 'auditor', 'grid_worker'];

export function registerRiskMapRoutes(app: App, map: RiskMapService): void {
  app.get('/api/v1/risk/map', {
    config: { access: READERS },
    schema: {
      tags: TAGS,
      summary: 'Risk per district, street or grid (0..1) with the reasons behind each value',
      description: 'Combines active alarms (by severity), high anomaly scores and forecast warnings; an area\'s value is the noisy-OR of the reasons in it. Only areas with some risk are listed: the others are 0. With at= (ISO-8601, in the past) the answer is the stored snapshot at or before that time (snapshotAt).',
      querystring: Type.Object({
        level: Type.Optional(Type.Union([Type.Literal('district'), Type.Literal('street'), Type.Literal('grid')], { default: 'district' })),
        at: Type.Optional(Type.String({ description: 'ISO-8601; omit for now' })),
      }),
    },
  }, async (req) => {
    const r = await map.map(req.query.level ?? 'district', parseTime(req.query.at, 'at'));
    return { at: toIso(r.at), snapshotAt: r.snapshotAt === null ? null : toIso(r.snapshotAt), areas: r.areas };
  });

  app.get('/api/v1/risk/history', {
    config: { access: READERS },
    schema: {
      tags: TAGS,
      summary: 'Risk of one area over time (the map\'s time slider), from the snapshots taken every minute',
      description: 'from/to are ISO-8601 (default: the last hour; at most 31 days). One point per snapshot; 0 where the area was calm.',
      querystring: Type.Object({
        orgUnitId: Type.String({ minLength: 1, maxLength: 100 }),
        from: Type.Optional(Type.String()),
        to: Type.Optional(Type.String()),
      }),
    },
  }, async (req) => {
    const h = await map.history(req.query.orgUnitId, parseTime(req.query.from, 'from'), parseTime(req.query.to, 'to'));
    return { ...h, from: toIso(h.from), to: toIso(h.to), points: h.points.map((p) => ({ at: toIso(p.at), value: p.value })) };
  });
}
