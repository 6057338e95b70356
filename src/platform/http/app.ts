/**
 * Fastify set-up shared by every module: TypeBox validation, the one error
 * shape, body limits, OpenAPI at /docs, and the access check every route
 * must declare (`config: { access: [...] }`).
 */
import Fastify, { type FastifyInstance, type FastifyBaseLogger, type RawServerDefault } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { AppError, forbidden, unauthorized } from '../errors.js';
import { allows, type Access, type Principal } from '../auth/roles.js';
import { sendError, toErrorReply } from './errors.js';

export type App = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, TypeBoxTypeProvider>;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call this route; every route must say. */
    access?: Access;
    /** Also accept `?access_token=<jwt>` (EventSource cannot send headers); a header, when present, wins. */
    allowQueryToken?: boolean;
  }
  interface FastifyRequest {
    principal?: Principal;
  }
}

export interface Authenticator {
  /** Resolve the caller from request headers; null when none was presented; throws AppError(401) when invalid. */
  authenticate(headers: Record<string, string | string[] | undefined>, ip: string): Promise<Principal | null>;
}

export interface RouteInfo {
  method: string;
  url: string;
  access: Access;
}

export interface HttpOptions {
  bodyLimitBytes: number;
  logLevel: string;
  authenticator: Authenticator;
  version: string;
}

export async function createHttpApp(opts: HttpOptions): Promise<{ app: App; routes: RouteInfo[] }> {
  const app = Fastify({
    logger: {
      level: opts.logLevel,
      // Never write a query-string access_token (live stream) into the logs.
      serializers: { req: (req) => ({ method: req.method, url: req.url.replace(/([?&]access_token=)[^&]*/, '$1[redacted]'), host: req.host, remoteAddress: req.ip, remotePort: req.socket?.remotePort }) },
    },
    bodyLimit: opts.bodyLimitBytes,
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, allErrors: true } },
  }).withTypeProvider<TypeBoxTypeProvider>() as App;

  const routes: RouteInfo[] = [];
  app.addHook('onRoute', (route) => {
    const url = route.url ?? route.path;
    if (url.startsWith('/docs')) {
      route.config = { ...(route.config ?? {}), access: 'public' };
    }
    const access = (route.config as { access?: Access } | undefined)?.access;
    if (!access) throw new Error(`route ${String(route.method)} ${url} does not declare who may call it (config.access)`);
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const m of methods) if (m !== 'HEAD') routes.push({ method: m, url, access });
  });

  app.addContentTypeParser(['application/x-ndjson', 'application/ndjson'], { parseAs: 'string' }, (_req, body, done) => {
    done(null, body);
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'CityOps API',
        version: opts.version,
        description:
          'CityOps — the city operations platform (城市大脑 / 一网统管). Sign in with POST /api/v1/auth/login, then press "Authorize" and paste the token. Errors are always {"error":{"code","message","details"}}.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        },
      },
      security: [{ bearer: [] }, { apiKey: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { persistAuthorization: true } });

  app.addHook('onRequest', async (req) => {
    const access = req.routeOptions.config?.access;
    if (!access) return; // 404s: handled by the not-found handler
    let principal: Principal | null;
    try {
      principal = await opts.authenticator.authenticate(withQueryToken(req), req.ip);
    } catch (err) {
      // A stale token must not lock anyone out of public routes (login, health, docs).
      if (access !== 'public') throw err;
      principal = null;
    }
    if (principal) req.principal = principal;
    if (allows(access, principal ?? undefined)) return;
    if (!principal) throw unauthorized();
    throw forbidden(`This needs one of the roles: ${Array.isArray(access) ? access.join(', ') : String(access)}`, {
      yourRoles: principal.roles,
    });
  });

  app.setErrorHandler((err, req, reply) => {
    const body = toErrorReply(err);
    if (body.status >= 500) req.log.error({ err }, 'unhandled error');
    return sendError(reply, body);
  });
  app.setNotFoundHandler((req, reply) =>
    sendError(reply, { status: 404, code: 'ROUTE_NOT_FOUND', message: `No route ${req.method} ${req.url.split('?')[0]}; see /docs` }),
  );

  return { app, routes };
}

/** The request headers, plus the query's access_token as a Bearer token on routes that allow it. */
function withQueryToken(req: { headers: Record<string, string | string[] | undefined>; query: unknown; routeOptions: { config?: { allowQueryToken?: boolean } } }) {
  const token = (req.query as { access_token?: unknown } | undefined)?.access_token;
  if (!req.routeOptions.config?.allowQueryToken || typeof token !== 'string' || token === '' || req.headers.authorization) return req.headers;
  return { ...req.headers, authorization: `Bearer ${token}` };
}

/** Throws unless the request carries a principal (for handlers on 'authenticated' routes). */
export function principalOf(req: { principal?: Principal }): Principal {
  if (!req.principal) throw unauthorized();
  return req.principal;
}

export { AppError };
