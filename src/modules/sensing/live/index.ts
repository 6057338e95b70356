/**
 * Live state (SPEC S4) and MQTT ingestion (SPEC S2): wires the live hub to
 * the bus (ReadingsIngested, broadcast: with NATS every process streams
 * everything), its tick timer and routes, and the MQTT adapter when
 * config.mqttUrl is set.
 */
import type { Kernel } from '../../../platform/module.js';
import type { App } from '../../../platform/http/app.js';
import type { SensorDirectory } from '../types.js';
import type { LatestValues, Telemetry } from '../telemetry/index.js';
import { createLiveHub } from './service.js';
import { createMqttIngest, type MqttIngest } from './mqtt.js';
import { registerLiveRoutes } from './routes.js';
import { DEFAULT_LIVE_OPTIONS, type LiveOptions, type LiveStats, type MqttStats } from './types.js';

export type { LiveOptions, LiveStats, MqttStats } from './types.js';

export interface Live {
  registerRoutes(app: App): void | Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  stats(): LiveStats;
  mqttStats(): MqttStats;
}

const MQTT_OFF: MqttStats = { enabled: false, connected: false, topic: null, received: 0, badMessages: 0, accepted: 0, duplicates: 0, rejected: 0, retries: 0, inFlight: 0, reconnects: 0 };

export function createLive(
  k: Kernel & { directory: SensorDirectory; latest: LatestValues; ingest: Telemetry['ingest'] },
  options: Partial<LiveOptions> = {},
): Live {
  const opts: LiveOptions = { ...DEFAULT_LIVE_OPTIONS, ...options };
  const log = k.log.child({ module: 'live' });
  const hub = createLiveHub({ directory: k.directory, latest: k.latest, clock: k.clock, log }, opts);
  const mqtt: MqttIngest | null = k.config.mqttUrl
    ? createMqttIngest({ url: k.config.mqttUrl, topic: k.config.mqttTopic, ingest: k.ingest, clock: k.clock, log })
    : null;
  let timer: NodeJS.Timeout | undefined;
  const unsubscribe: Array<() => Promise<void>> = [];
  const mqttStats = (): MqttStats => mqtt?.stats() ?? MQTT_OFF;

  return {
    registerRoutes(app) {
      registerLiveRoutes(app, { hub, directory: k.directory, mqttStats });
      // Open streams would keep app.close() waiting: end them before the server closes.
      app.addHook('preClose', (done) => {
        hub.closeAll();
        done();
      });
    },
    async start() {
      unsubscribe.push(await k.bus.subscribe('ReadingsIngested', (ev) => hub.onReadings(ev.payload)));
      timer = setInterval(() => hub.tick(), opts.tickMs);
      timer.unref();
      await mqtt?.start();
    },
    async stop() {
      await mqtt?.stop();
      clearInterval(timer);
      for (const u of unsubscribe.splice(0)) await u();
      hub.closeAll();
    },
    stats: () => hub.stats(),
    mqttStats,
  };
}
