/**
 * Composition root: parse nothing itself (the Config is handed in), open the
 * store and the bus, build every module, run migrations, mount routes and
 * start workers. Tests build the same thing in-process with createCityOps().
 */
import { existsSync, readFileSync } from 'node:fs';
import pino, { type Logger } from 'pino';
import { Type } from 'typebox';
import type { Config } from './config.js';
import { systemClock, type Clock } from './platform/clock.js';
import { migrate, openDatabase, pingDatabase, type Database } from './platform/db/index.js';
import { createMemoryBus } from './platform/bus/memory.js';
import { createNatsBus } from './platform/bus/nats.js';
import type { Bus } from './platform/bus/types.js';
import { createHttpApp, type App, type RouteInfo } from './platform/http/app.js';
import { mountWeb } from './platform/http/web.js';
import type { CityModule, Kernel } from './platform/module.js';
import { createAuditModule } from './platform/audit/index.js';
import { createAuthModule } from './platform/auth/index.js';
import { createEmergencyModule } from './modules/emergency/index.js';
import { createEventsModule } from './modules/events/index.js';
import { learnedModelFile } from './modules/events/routing/index.js';
import { loadClassifier } from './modules/events/classifier/index.js';
import { createSensingModule } from './modules/sensing/index.js';
import { createRiskModule } from './modules/risk/index.js';
import { createSimModule } from './sim/index.js';

export const VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export interface CreateOptions {
  clock?: Clock;
  log?: Logger;
  /** PostgreSQL schema (tests isolate themselves with a fresh one). */
  pgSchema?: string;
  /** JetStream stream name (tests isolate themselves with a fresh one). */
  natsStream?: string;
}

export type CityOps = Awaited<ReturnType<typeof createCityOps>>;

export async function createCityOps(config: Config, opts: CreateOptions = {}) {
  const clock = opts.clock ?? systemClock;
  const log = opts.log ?? pino({ level: config.logLevel, base: undefined });
  const database: Database = await openDatabase({ databaseUrl: config.databaseUrl, sqlitePath: config.sqlitePath, pgSchema: opts.pgSchema });
  let bus: Bus;
  try {
    bus = config.natsUrl
      ? await createNatsBus({ url: config.natsUrl, clock, log, stream: opts.natsStream })
      : createMemoryBus({ clock, onError: (err, ev) => log.error({ err, event: ev.type }, 'event handler failed') });
  } catch (err) {
    await database.close();
    throw err;
  }
  const kernel: Kernel = { config, database, bus, clock, log };

  const { module: auditModule, audit } = createAuditModule(kernel);
  const { module: authModule, auth, authenticator } = createAuthModule({ ...kernel, audit });
  const { module: emergencyModule, roads } = createEmergencyModule({ ...kernel, audit });
  const { module: sensingModule, sensing } = createSensingModule({ ...kernel, audit, org: auth });
  const { module: riskModule, risk } = createRiskModule({ ...kernel, audit, org: auth, sensing });
  const { module: simModule, sim } = createSimModule({ ...kernel, audit, auth, sensing, roads });
  // The learning loop writes adopted models to the data dir; the committed model serves until then.
  const learnedModel = learnedModelFile(config.dataDir);
  const { module: eventsModule, events } = createEventsModule({
    ...kernel, audit, org: auth, classifier: await loadStartupClassifier(learnedModel, log), authenticator,
    learning: { modelFile: learnedModel },
    options: { autoDispatchConfidence: config.dispatchMinConfidence, autoCloseDays: config.autoCloseDays },
  });
  const modules: CityModule[] = [auditModule, authModule, emergencyModule, sensingModule, riskModule, simModule, eventsModule];

  await migrate(database.db, database.dialect, modules.flatMap((m) => m.migrations));

  const { app, routes } = await createHttpApp({ bodyLimitBytes: config.bodyLimitBytes, logLevel: config.logLevel, authenticator, version: VERSION });
  mountHealth(app, database, bus);
  mountWeb(app);
  for (const m of modules) await m.registerRoutes?.(app);
  await app.ready();

  let started = false;
  return {
    config,
    kernel,
    app,
    routes: routes as readonly RouteInfo[],
    services: { audit, auth, roads, sensing, sim, events, risk },
    /** Start workers and subscriptions (not listening yet). */
    async start() {
      if (started) return;
      started = true;
      for (const m of modules) await m.start?.();
      for (const m of modules) await m.ready?.();
    },
    async listen(): Promise<string> {
      await this.start();
      return app.listen({ host: config.host, port: config.port });
    },
    async close() {
      await app.close();
      for (const m of [...modules].reverse()) await m.stop?.();
      await bus.close();
      await database.close();
    },
  };
}

function mountHealth(app: App, database: Database, bus: Bus) {
  app.get('/health', {
    config: { access: 'public' },
    schema: { tags: ['platform'], summary: 'Liveness: the process is up', response: { 200: Type.Object({ status: Type.Literal('ok'), version: Type.String() }) } },
  }, async () => ({ status: 'ok' as const, version: VERSION }));

  app.get('/ready', {
    config: { access: 'public' },
    schema: { tags: ['platform'], summary: 'Readiness: store and bus answer' },
  }, async (_req, reply) => {
    const db = await pingDatabase(database);
    const busOk = bus.healthy();
    const body = { status: db && busOk ? 'ready' : 'not_ready', store: { dialect: database.dialect, ok: db }, bus: { kind: bus.kind, ok: busOk } };
    return reply.status(db && busOk ? 200 : 503).send(body);
  });
}

/** The model the learning loop adopted last, or the committed one when there is none or it cannot be read. */
async function loadStartupClassifier(learnedModel: string, log: Logger) {
  if (existsSync(learnedModel)) {
    try {
      return await loadClassifier(learnedModel);
    } catch (err) {
      log.warn({ err, file: learnedModel }, 'the learned classifier model cannot be read; using the committed model');
    }
  }
  return loadClassifier();
}
