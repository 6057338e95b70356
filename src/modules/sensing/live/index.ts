/** Live state (SPEC S4): SSE/WebSocket stream of changes with backpressure; MQTT ingestion adapter (placeholder until implemented). */
import type { Kernel } from '../../../platform/module.js';
import type { App } from '../../../platform/http/app.js';
import type { SensorDirectory } from '../types.js';
import type { LatestValues, Telemetry } from '../telemetry/index.js';

export interface Live {
  registerRoutes(app: App): void | Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createLive(_k: Kernel & { directory: SensorDirectory; latest: LatestValues; ingest: Telemetry['ingest'] }): Live {
  return { registerRoutes: () => undefined, start: async () => undefined, stop: async () => undefined };
}
