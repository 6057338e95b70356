/**
 * The permission matrix: every route the city mounts (including those other
 * modules add later) is called anonymously, as every role and as a device API
 * key, and must answer 401/403 exactly when its declared access says so,
 * never a 500, and always the one error shape.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startTestCity } from './helpers/city.js';
import { principalsFor } from './helpers/auth.js';
import { DEVICE_ROLE, ROLES, allows, type Principal, type PrincipalRole } from '../src/platform/auth/roles.js';
import type { RouteInfo } from '../src/platform/http/app.js';

const city = await startTestCity();
await city.start();
const who = await principalsFor(city);
afterAll(() => city.destroy());

/** Headers only: long-lived streams (SSE) answer their headers at once and are then dropped. */
const HEADER_TIMEOUT_MS = 5_000;
const DUMMY = 'zz-matrix-dummy';

interface Caller {
  name: string;
  principal?: Principal;
  headers: Record<string, string>;
}

const callers: Caller[] = [
  { name: 'anonymous', headers: {} },
  ...[...ROLES, DEVICE_ROLE as PrincipalRole].map((role) => ({
    name: role,
    principal: { kind: role === DEVICE_ROLE ? 'apikey' : 'user', id: who[role].id, name: role, roles: [role] } as Principal,
    headers: who[role].headers,
  })),
];

const fillParams = (url: string) => url.replace(/:[A-Za-z0-9_]+(\([^)]*\))?/g, DUMMY).replace(/\*/g, DUMMY);

interface Answer {
  status: number;
  contentType: string;
  body?: string;
  streaming: boolean;
}

async function callRoute(route: RouteInfo, headers: Record<string, string>): Promise<Answer> {
  const hasBody = ['POST', 'PUT', 'PATCH'].includes(route.method);
  const pending = city.app.inject({
    method: route.method as 'GET',
    url: fillParams(route.url),
    headers: { accept: 'application/json', ...headers, ...(hasBody ? { 'content-type': 'application/json' } : {}) },
    ...(hasBody ? { payload: '{}' } : {}),
    payloadAsStream: true,
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no response headers within ${HEADER_TIMEOUT_MS} ms`)), HEADER_TIMEOUT_MS);
  });
  try {
    const res = await Promise.race([pending, timeout]);
    const contentType = String(res.headers['content-type'] ?? '');
    const stream = res.stream();
    if (contentType.startsWith('text/event-stream') || res.statusCode === 101) {
      stream.destroy();
      return { status: res.statusCode, contentType, streaming: true };
    }
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
    return { status: res.statusCode, contentType, body: Buffer.concat(chunks).toString('utf8'), streaming: false };
  } finally {
    clearTimeout(timer);
  }
}

/** Open311 GeoReport v2 mandates its own error shape: a list of {code, description} (JSON) or <errors> (XML). */
function open311ErrorShapeProblem(a: Answer): string | undefined {
  if (a.status < 400) return undefined;
  if (a.contentType.startsWith('text/xml') && /<errors><error><code>\d{3}<\/code><description>[^<]+<\/description><\/error><\/errors>/.test(a.body ?? '')) return undefined;
  try {
    const b = JSON.parse(a.body ?? '') as Array<{ code?: unknown; description?: unknown }>;
    if (Array.isArray(b) && b.length > 0 && b.every((e) => e.code === a.status && typeof e.description === 'string' && e.description.length > 0)) return undefined;
  } catch {
    /* not JSON: reported below */
  }
  return `status ${a.status} without the Open311 error list: ${(a.body ?? '').slice(0, 200)}`;
}

function errorShapeProblem(a: Answer): string | undefined {
  if (a.status < 400 || a.streaming) return undefined;
  try {
    const b = JSON.parse(a.body ?? '') as { error?: { code?: unknown; message?: unknown } };
    if (typeof b.error?.code === 'string' && /^[A-Z0-9_]+$/.test(b.error.code) && typeof b.error.message === 'string' && b.error.message.length > 0) return undefined;
  } catch {
    /* not JSON: reported below */
  }
  return `status ${a.status} without the {"error":{"code","message"}} shape: ${(a.body ?? '').slice(0, 200)}`;
}

const routes = city.routes.filter((r) => r.method !== 'OPTIONS');

describe('permission matrix', () => {
  it('covers the kernel routes and declares only known roles', () => {
    const known = new Set<string>([...ROLES, DEVICE_ROLE]);
    const urls = routes.map((r) => `${r.method} ${r.url}`);
    for (const u of ['POST /api/v1/auth/login', 'GET /api/v1/users', 'POST /api/v1/org/units', 'GET /health']) expect(urls).toContain(u);
    for (const r of routes) {
      if (Array.isArray(r.access)) for (const role of r.access) expect(known.has(role), `${r.method} ${r.url} names unknown role ${role}`).toBe(true);
    }
  });

  it.each(routes.map((r) => [`${r.method} ${r.url}`, r] as const))('%s', async (_name, route) => {
    const problems: string[] = [];
    const isDocs = route.url === '/docs' || route.url.startsWith('/docs/');
    for (const caller of callers) {
      let a: Answer;
      try {
        a = await callRoute(route, caller.headers);
      } catch (err) {
        // A stream that sends no headers until its first event: only its refusals can be checked.
        if (/\/stream|\/ws\b/.test(route.url) && caller.principal && allows(route.access, caller.principal)) continue;
        problems.push(`${caller.name}: ${(err as Error).message}`);
        continue;
      }
      const allowed = allows(route.access, caller.principal);
      if (route.access === 'public' || allowed) {
        if (a.status === 401 || a.status === 403) problems.push(`${caller.name}: allowed but got ${a.status} ${a.body ?? ''}`);
      } else if (!caller.principal) {
        if (a.status !== 401) problems.push(`${caller.name}: expected 401, got ${a.status}`);
      } else if (a.status !== 403) {
        problems.push(`${caller.name}: expected 403, got ${a.status}`);
      }
      if (a.status === 500) problems.push(`${caller.name}: 500 ${a.body ?? ''}`);
      const shape = isDocs ? undefined : route.url.startsWith('/open311/') ? open311ErrorShapeProblem(a) : errorShapeProblem(a);
      if (shape) problems.push(`${caller.name}: ${shape}`);
    }
    expect(problems).toEqual([]);
  });
});
