/**
 * The events service with a classifier plugged in (the seam the text
 * classifier fills) and the unrated auto-close, on a real SQLite store.
 * The classifier here is a fixed rule so the routing decision is the thing tested.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createEventsModule, type Classifier, type EventService } from '../src/modules/events/index.js';
import { createAuditModule } from '../src/platform/audit/index.js';
import { createAuthModule } from '../src/platform/auth/index.js';
import type { Principal } from '../src/platform/auth/roles.js';
import { createMemoryBus } from '../src/platform/bus/memory.js';
import { ManualClock } from '../src/platform/clock.js';
import { migrate, openDatabase, type Database } from '../src/platform/db/index.js';

const DAY = 86_400_000;
const clock = new ManualClock(Date.UTC(2026, 10, 22, 8));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-events-'));
let database: Database;
let events: EventService;

/** Confident about manholes, unsure about anything else. */
const classifier: Classifier = {
  classify: (text) => (text.includes('井盖')
    ? { category: 'MANHOLE', urgent: text.includes('危险'), confidence: 0.95, explanation: ['井盖'] }
    : { category: 'NOISE', urgent: false, confidence: 0.4, explanation: [] }),
};
const citizen: Principal = { kind: 'user', id: 'u_cit', name: 'citizen', roles: ['citizen'] };
const handler: Principal = { kind: 'user', id: 'u_h', name: 'handler', roles: ['handler'], department: 'CGJ' };
const PIN = { type: 'Point', coordinates: [1.5, 42.5] };

beforeAll(async () => {
  const config = { ...loadConfig({}, { dataDir: dir, logLevel: 'silent' }), jwtSecret: 'test-secret-test-secret-test-secret-0123' };
  database = await openDatabase({ sqlitePath: path.join(dir, 'e.db') });
  const kernel = { config, database, bus: createMemoryBus({ clock }), clock, log: pino({ level: 'silent' }) };
  const { module: auditModule, audit } = createAuditModule(kernel);
  const { module: authModule, auth } = createAuthModule({ ...kernel, audit });
  const built = createEventsModule({ ...kernel, audit, org: auth, classifier, options: { autoDispatchConfidence: 0.8, autoCloseDays: 7 } });
  events = built.events;
  await migrate(database.db, database.dialect, [auditModule, authModule, built.module].flatMap((m) => m.migrations));
});
afterAll(async () => {
  await database.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('events service with a classifier', () => {
  it('dispatches a confident classification at once, with urgency and confidence recorded', async () => {
    const { event } = await events.intake({ text: '小区门口井盖丢了，很危险', location: PIN }, citizen);
    expect([event.state, event.category, event.urgent, event.leadDepartment, event.classifierConfidence]).toEqual(['dispatched', 'MANHOLE', true, 'CGJ', 0.95]);
    expect(event.limitMs).toBe(2 * 3_600_000);
  });

  it('leaves an unsure classification in the dispatcher queue; an explicit category wins over the classifier', async () => {
    const unsure = (await events.intake({ text: 'loud music every night', location: PIN }, citizen)).event;
    expect([unsure.state, unsure.category]).toEqual(['received', 'NOISE']);
    const explicit = (await events.intake({ text: '井盖 — actually a pothole', category: 'ROAD_DAMAGE', location: PIN }, citizen)).event;
    expect([explicit.state, explicit.category, explicit.classifierConfidence]).toEqual(['received', 'ROAD_DAMAGE', null]);
  });

  it('closes a result the citizen never rates after the configured days, not before', async () => {
    let ev = (await events.intake({ text: '井盖松动', location: PIN }, citizen)).event;
    ev = await events.act(ev.id, { action: 'accept', expectedVersion: ev.version }, handler);
    ev = await events.act(ev.id, { action: 'report_result', expectedVersion: ev.version, note: 'fixed' }, handler);
    clock.advance(7 * DAY - 1);
    expect((await events.sweep()).closed).toBe(0);
    clock.advance(2);
    expect((await events.sweep()).closed).toBe(1);
    const { event, timeline } = await events.get(ev.id, citizen);
    expect(event.state).toBe('closed');
    expect(timeline.at(-1)).toMatchObject({ action: 'close', actorId: 'system:events', public: true });
  });
});
