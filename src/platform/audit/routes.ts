/** HTTP API of the audit log: read entries (itself audited) and verify the chain; auditors and admins only. */
import { Type } from 'typebox';
import { toIso } from '../clock.js';
import { badRequest } from '../errors.js';
import { principalOf, type App } from '../http/app.js';
import type { AuditService } from './service.js';
import type { AuditEntry } from './types.js';

const tags = ['audit'];
const ACCESS = ['auditor', 'admin'] as const;

const EntryWire = Type.Object({
  seq: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  actorId: Type.String(),
  actorName: Type.String(),
  action: Type.String(),
  targetType: Type.String(),
  targetId: Type.Union([Type.String(), Type.Null()]),
  details: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  algorithm: Type.String(),
  prevHash: Type.String(),
  hash: Type.String(),
});

const Text = (description: string) => Type.Optional(Type.String({ minLength: 1, maxLength: 200, description }));
const Query = Type.Object(
  {
    actor: Text('Actor id (user id, API key id or a system actor such as "system:simulator")'),
    action: Text('Action, e.g. "sensor.create"'),
    targetType: Text('Target type, e.g. "sensor"'),
    targetId: Text('Target id'),
    since: Type.Optional(Type.String({ description: 'Entries at or after this ISO-8601 time' })),
    until: Type.Optional(Type.String({ description: 'Entries before this ISO-8601 time' })),
    afterSeq: Type.Optional(Type.Integer({ minimum: 0, description: 'Entries after this seq (pass nextAfterSeq to page on)' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  },
  { additionalProperties: false },
);

const Problem = Type.Object({ seq: Type.Integer(), kind: Type.String({ description: 'edited | deleted | inserted | reordered' }), message: Type.String() });
const Report = Type.Object({
  ok: Type.Boolean(),
  entries: Type.Integer(),
  headHash: Type.Union([Type.String(), Type.Null()]),
  problems: Type.Array(Problem),
  problemsOmitted: Type.Optional(Type.Integer()),
});

const toWire = (e: AuditEntry) => ({ ...e, at: toIso(e.at) });

function isoParam(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const t = Date.parse(v);
  if (!/^\d{4}-\d{2}-\d{2}/.test(v) || Number.isNaN(t)) throw badRequest('BAD_TIME', `${name}="${v}" is not an ISO-8601 time; use e.g. 2026-01-31T08:00:00Z`);
  return t;
}

export function registerAuditRoutes(app: App, audit: AuditService): void {
  app.get('/api/v1/audit', {
    config: { access: ACCESS },
    schema: {
      tags,
      summary: 'Audit entries in seq order, filtered by actor, action, target and time (this read is itself audited)',
      querystring: Query,
      response: { 200: Type.Object({ items: Type.Array(EntryWire), nextAfterSeq: Type.Union([Type.Integer(), Type.Null()]) }) },
    },
  }, async (req) => {
    const q = req.query;
    const filter = {
      actorId: q.actor,
      action: q.action,
      targetType: q.targetType,
      targetId: q.targetId,
      since: isoParam('since', q.since),
      until: isoParam('until', q.until),
      afterSeq: q.afterSeq,
      limit: q.limit ?? 100,
    };
    const page = await audit.readAs(principalOf(req), filter);
    return { items: page.items.map(toWire), nextAfterSeq: page.nextAfterSeq };
  });

  app.get('/api/v1/audit/verify', {
    config: { access: ACCESS },
    schema: {
      tags,
      summary: 'Walk the hash chain and report every edited, deleted, inserted or reordered entry',
      response: { 200: Report },
    },
  }, async (req) => audit.verifyAs(principalOf(req)));
}
