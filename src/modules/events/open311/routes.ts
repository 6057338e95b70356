/**
 * Open311 GeoReport v2 over city events (SPEC E8), under /open311/v2: discovery,
 * services (the taxonomy), requests (POST with an api_key; public GET without
 * personal data), tokens. The format is the path's extension (.json / .xml);
 * errors are the spec's list of {code, description}, code being the HTTP status.
 * Registered as an encapsulated plugin so the form-body parser and the error
 * shape apply to these routes only.
 */
import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App, Authenticator } from '../../../platform/http/app.js';
import type { Principal } from '../../../platform/auth/roles.js';
import type { Clock } from '../../../platform/clock.js';
import { AppError, badRequest, notFound } from '../../../platform/errors.js';
import { toErrorReply } from '../../../platform/http/errors.js';
import type { EventService } from '../service.js';
import type { Taxonomy } from '../timelimits.logic.js';
import type { CityEvent } from '../types.js';
import { splitFormat, toXml, type Open311Format } from './format.logic.js';
import { MAX_RESULTS, contactOf, intakeOf, requestOf, requestQueryOf, serviceOf, servicesOf, type Locale } from './open311.logic.js';

export interface Open311Deps {
  events: EventService;
  taxonomy: Taxonomy;
  clock: Clock;
  /** Resolves a posted api_key to its principal; without one only the X-API-Key header is honoured. */
  authenticator?: Authenticator;
}

const BASE = '/open311/v2';
const TAGS = ['open311'];
const FORMATS: Open311Format[] = ['json', 'xml'];
const CHANGESET = '2026-11-22T00:00:00Z';

const Query = Type.Object({
  locale: Type.Optional(Type.String({ description: 'zh (default) or en: language of service and agency names' })),
  jurisdiction_id: Type.Optional(Type.String({ description: 'Accepted and ignored: this endpoint serves one city' })),
}, { additionalProperties: true });
const File = Type.Object({ file: Type.String({ maxLength: 200, description: 'The id followed by .json or .xml' }) });

const formatOfUrl = (url: string): Open311Format => (/\.xml(\?|$)/i.test(url.split('?')[0] ?? '') ? 'xml' : 'json');
const localeOf = (q: unknown): Locale => ((q as { locale?: unknown } | undefined)?.locale === 'en' ? 'en' : 'zh');

function send(reply: FastifyReply, format: Open311Format, status: number, root: string, value: unknown) {
  if (format === 'xml') return reply.status(status).type('text/xml; charset=utf-8').send(toXml(root, value));
  return reply.status(status).type('application/json; charset=utf-8').send(JSON.stringify(value));
}

/** "CODE.json" → its parts; an unknown extension is a 404 (there is no such document). */
function fileOf(file: string): { name: string; format: Open311Format } {
  const f = splitFormat(file);
  if (!f) throw notFound('UNKNOWN_FORMAT', 'Add .json or .xml to the path');
  return f;
}

export function registerOpen311Routes(app: App, deps: Open311Deps) {
  const { events, taxonomy } = deps;

  async function keyPrincipal(req: FastifyRequest, params: Record<string, unknown>): Promise<Principal> {
    const raw = params.api_key;
    const key = typeof raw === 'string' ? raw.trim() : '';
    if (key === '') {
      if (req.principal?.kind === 'apikey') return req.principal;
      if (req.headers['x-api-key'] !== undefined) throw new AppError(403, 'INVALID_API_KEY', 'The X-API-Key is not valid; ask a CityOps administrator for a key');
      throw badRequest('API_KEY_REQUIRED', 'api_key is required to create a service request');
    }
    let p: Principal | null = null;
    try {
      p = deps.authenticator ? await deps.authenticator.authenticate({ 'x-api-key': key }, req.ip) : null;
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
    }
    if (!p || p.kind !== 'apikey') throw new AppError(403, 'INVALID_API_KEY', 'Invalid api_key; ask a CityOps administrator for a key');
    return p;
  }

  async function byCodes(codes: string[]): Promise<CityEvent[]> {
    const out: CityEvent[] = [];
    for (const c of codes) {
      try {
        out.push((await events.track(c)).event);
      } catch (err) {
        if (!(err instanceof AppError) || err.status !== 404) throw err;
      }
    }
    return out;
  }

  return app.register(async (sub: App) => {
    sub.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    });
    sub.setErrorHandler((err, req, reply) => {
      const e = toErrorReply(err);
      if (e.status >= 500) req.log.error({ err }, 'unhandled error');
      return send(reply, formatOfUrl(req.url), e.status, 'errors', [{ code: e.status, description: `${e.code}: ${e.message}` }]);
    });

    for (const fmt of FORMATS) {
      sub.get(`${BASE}/discovery.${fmt}`, {
        config: { access: 'public' },
        schema: { tags: TAGS, summary: `Open311 discovery (${fmt})`, querystring: Query },
      }, async (req, reply) => send(reply, fmt, 200, 'discovery', {
        changeset: CHANGESET, contact: 'CityOps operations centre',
        key_service: 'API keys are issued by a CityOps administrator (POST /api/v1/api-keys)',
        endpoints: [{
          specification: 'http://wiki.open311.org/GeoReport_v2', url: `${req.protocol}://${req.host}${BASE}`, changeset: CHANGESET,
          type: 'production', formats: ['application/json', 'text/xml'],
        }],
      }));

      sub.get(`${BASE}/services.${fmt}`, {
        config: { access: 'public' },
        schema: { tags: TAGS, summary: `Open311 service list: the event categories (${fmt})`, querystring: Query },
      }, async (req, reply) => send(reply, fmt, 200, 'services', servicesOf(taxonomy, localeOf(req.query))));

      sub.get(`${BASE}/requests.${fmt}`, {
        config: { access: 'public' },
        schema: {
          tags: TAGS, summary: `Open311 service requests, public fields only (${fmt})`,
          description: 'service_request_id (comma list, overrides the other filters), service_code, start_date/end_date (ISO-8601, at most 90 days apart; default the last 90 days), status (open|closed). At most 1,000 newest first.',
          querystring: Query,
        },
      }, async (req, reply) => {
        const q = requestQueryOf(req.query as Record<string, unknown>, deps.clock.now());
        const list = q.ids ? await byCodes(q.ids) : await events.publicList({ category: q.category, states: q.states, from: q.from, to: q.to, limit: MAX_RESULTS });
        return send(reply, fmt, 200, 'service_requests', list.map((e) => requestOf(e, taxonomy, localeOf(req.query))));
      });

      sub.post(`${BASE}/requests.${fmt}`, {
        config: { access: 'public' },
        schema: {
          tags: TAGS, summary: `Open311: create a service request with an api_key (${fmt})`,
          description: 'Form-encoded (or JSON): api_key, service_code, and lat+long or address_string or address_id; optional description (≤ 4000), media_url, and the personal fields first_name, last_name, email, phone, device_id, account_id (≤ 200 characters each; stored privately with the event for dispatchers and admins, never in any GET here). Answers [{service_request_id, service_notice, account_id}]; service_request_id is the event\'s tracking code.',
          querystring: Query,
        },
      }, async (req, reply) => {
        const params = { ...(req.query as Record<string, unknown>), ...((req.body ?? {}) as Record<string, unknown>) };
        const principal = await keyPrincipal(req, params);
        const { code, intake } = intakeOf(params, taxonomy);
        const cat = taxonomy.categories.find((c) => c.code === code);
        if (!cat) throw notFound('SERVICE_NOT_FOUND', `Unknown service_code ${code}; see ${BASE}/services.json`);
        // Personal fields are kept apart from the event: only dispatchers and admins ever see them.
        const { event } = await events.intake(intake, principal, undefined, { contact: contactOf(params) });
        const accountId = typeof params.account_id === 'string' && params.account_id !== '' ? params.account_id : null;
        const notice = `Tracking code ${event.trackingCode}; time limit ${event.limitMs / 3_600_000} hours`;
        return send(reply, fmt, 200, 'service_requests', [{ service_request_id: event.trackingCode, service_notice: notice, account_id: accountId }]);
      });
    }

    sub.get(`${BASE}/services/:file`, {
      config: { access: 'public' },
      schema: { tags: TAGS, summary: 'Open311 service definition ({service_code}.json|xml); ours carry no extra attributes', params: File, querystring: Query },
    }, async (req, reply) => {
      const { name, format } = fileOf(req.params.file);
      const cat = taxonomy.categories.find((c) => c.code === name);
      if (!cat) throw notFound('SERVICE_NOT_FOUND', `Unknown service_code ${name}; see ${BASE}/services.json`);
      // metadata=false: the definition is truthful and empty, so clients that fetch it anyway still work.
      return send(reply, format, 200, 'service_definition', { service_code: serviceOf(cat, 'zh').service_code, attributes: [] });
    });

    sub.get(`${BASE}/requests/:file`, {
      config: { access: 'public' },
      schema: { tags: TAGS, summary: 'Open311: one service request ({service_request_id}.json|xml), public fields only', params: File, querystring: Query },
    }, async (req, reply) => {
      const { name, format } = fileOf(req.params.file);
      const [e] = await byCodes([name.toUpperCase()]);
      if (!e) throw notFound('REQUEST_NOT_FOUND', `No service request ${name}`);
      return send(reply, format, 200, 'service_requests', [requestOf(e, taxonomy, localeOf(req.query))]);
    });

    sub.get(`${BASE}/tokens/:file`, {
      config: { access: 'public' },
      schema: { tags: TAGS, summary: 'Open311: token → service_request_id. POST answers ids at once, so a token is the id itself', params: File, querystring: Query },
    }, async (req, reply) => {
      const { name, format } = fileOf(req.params.file);
      const [e] = await byCodes([name.toUpperCase()]);
      if (!e) throw notFound('TOKEN_NOT_FOUND', `No token ${name}`);
      return send(reply, format, 200, 'service_requests', [{ service_request_id: e.trackingCode, token: e.trackingCode }]);
    });
  });
}
