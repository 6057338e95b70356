/**
 * Builds the demo city in the store: the road network from OpenStreetMap, the
 * org tree derived from it, the departments, demo users for every role (demo
 * mode only), the simulator's device API key and ~2,500 sensors. Idempotent:
 * a second start finds what exists and only fills gaps.
 */
import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Clock } from '../platform/clock.js';
import type { AuthService } from '../platform/auth/types.js';
import type { Principal } from '../platform/auth/roles.js';
import { loadDefaultDepartments } from '../platform/auth/org.service.js';
import type { SensingService, SensorInput } from '../modules/sensing/types.js';
import type { RoadNetworkService, RoadNetworkSummary } from '../modules/emergency/types.js';
import { deriveOrgTree } from './orgtree.logic.js';
import { placeSensors, type Placement } from './placement.logic.js';
import { demoUsers } from './users.logic.js';
import type { SimStore } from './store.js';

/** Bump when placement or the org tree derivation changes, so stored demo cities are rebuilt. */
export const DEMO_CITY_VERSION = 1;
const ACTOR = 'demo-city';

export interface BuiltCity {
  placement: Placement;
  principal: Principal;
  logins: Array<{ username: string; password: string; role: string }>;
  districts: number;
  streets: number;
  grids: number;
  sensorsCreated: number;
}

export interface CityDeps {
  config: Config;
  clock: Clock;
  log: Logger;
  auth: AuthService;
  sensing: SensingService;
  roads: RoadNetworkService;
  store: SimStore;
}

const sameSource = (a: string | null, b: string) => a !== null && (path.resolve(a) === path.resolve(b) || path.basename(a) === path.basename(b));

export async function buildCity(d: CityDeps): Promise<BuiltCity> {
  const { config, log } = d;
  const started = performance.now();
  const lap = (what: string) => log.info({ ms: Math.round(performance.now() - started) }, `demo city: ${what}`);

  let net: RoadNetworkSummary = await d.roads.summary();
  if (net.nodes === 0 || !sameSource(net.source, config.osmFile)) {
    log.info({ file: config.osmFile }, 'demo city: importing the road network');
    net = await d.roads.importOsm(config.osmFile, undefined, ACTOR);
    lap(`road network imported (${net.nodes} nodes, ${net.segments} segments)`);
  }
  const prev = await d.store.getBuild();
  const fresh = !prev || prev.version !== DEMO_CITY_VERSION || prev.source !== net.source || prev.importedAt !== net.importedAt;

  const [graph, features] = await Promise.all([d.roads.loadGraph(), d.roads.features()]);
  if (fresh || (await d.auth.list({ level: 'city' })).length === 0) {
    await d.auth.upsertOrgUnits(deriveOrgTree({ nodes: graph.nodes, segments: graph.segments, features }), ACTOR);
    lap('org tree derived');
  }
  const depts = await ensureDepartments(d.auth);

  const placement = placeSensors({ ...graph, features });
  const missing = fresh ? placement.sensors : placement.sensors.filter((s) => !d.sensing.directory.byId(s.id));
  let sensorsCreated = 0;
  for (let i = 0; i < missing.length; i += 1000) {
    const slice = missing.slice(i, i + 1000).map(toSensorInput);
    sensorsCreated += (await d.sensing.upsertSensors(slice, ACTOR)).created;
  }
  if (missing.length) lap(`${missing.length} sensors upserted (${sensorsCreated} new)`);

  const logins = config.demo ? await ensureUsers(d.auth, depts, placement.centre) : [];
  let apiKeyId = prev?.apiKeyId ?? null;
  if (!apiKeyId) {
    const { info } = await d.auth.createApiKey({ name: 'demo-simulator', roles: ['device'], autoProvision: false }, ACTOR);
    apiKeyId = info.id;
  }
  if (fresh || apiKeyId !== prev?.apiKeyId) {
    await d.store.setBuild({ source: net.source, importedAt: net.importedAt, version: DEMO_CITY_VERSION, apiKeyId, builtAt: d.clock.now() });
  }

  const [districts, streets, grids] = await Promise.all((['district', 'street', 'grid'] as const).map(async (level) => (await d.auth.list({ level })).length));
  lap('ready');
  return {
    placement,
    principal: { kind: 'apikey', id: apiKeyId, name: 'demo-simulator', roles: ['device'], autoProvision: false },
    logins,
    districts: districts!,
    streets: streets!,
    grids: grids!,
    sensorsCreated,
  };
}

function toSensorInput(s: Placement['sensors'][number]): SensorInput {
  return {
    id: s.id,
    name: s.name,
    class: s.class,
    metric: s.metric,
    location: { type: 'Point', coordinates: [s.lon, s.lat] },
    department: s.department,
    thresholds: s.thresholds,
  };
}

/** The auth module seeds the taxonomy's departments at start; make sure they are there. */
async function ensureDepartments(auth: AuthService) {
  const have = await auth.listDepartments();
  const defaults = await loadDefaultDepartments();
  const known = new Set(have.map((x) => x.code));
  const absent = defaults.filter((x) => !known.has(x.code));
  if (absent.length) await auth.upsertDepartments(absent, ACTOR);
  return [...have, ...absent];
}

async function ensureUsers(auth: AuthService, depts: Array<{ code: string; nameZh: string }>, centre: [number, number]) {
  const cityId = (await auth.list({ level: 'city' }))[0]?.id ?? null;
  const here = auth.locate(centre);
  const gridId = here?.level === 'grid' ? here.id : ((await auth.list({ level: 'grid' }))[0]?.id ?? null);
  const logins: BuiltCity['logins'] = [];
  for (const u of demoUsers(depts)) {
    if (!(await auth.findUser(u.username))) {
      const orgUnitId = u.scope === 'grid' ? gridId : u.scope === 'city' ? cityId : null;
      await auth.createUser({ username: u.username, password: u.password, displayName: u.displayName, roles: [u.role], orgUnitId, department: u.department }, ACTOR);
    }
    logins.push({ username: u.username, password: u.password, role: u.role });
  }
  return logins;
}
