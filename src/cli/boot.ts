/** Shared CLI plumbing: turn flags into a Config (failing with a clear message) and build CityOps. */
import { Command, Option } from 'commander';
import { ConfigError, loadConfig, type Config, type Flags } from '../config.js';
import { createCityOps, type CityOps } from '../main.js';

/** Flags every server-ish command accepts (each also readable from the environment). */
export function withServerOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--port <n>', 'HTTP port (env PORT, default 8080)'))
    .addOption(new Option('--host <addr>', 'listen address (env HOST, default 127.0.0.1)'))
    .addOption(new Option('--data-dir <dir>', 'where the SQLite file and uploads live (env CITYOPS_DATA_DIR, default ./data)'))
    .addOption(new Option('--database-url <url>', 'PostgreSQL URL; SQLite when absent (env DATABASE_URL)'))
    .addOption(new Option('--nats-url <url>', 'NATS JetStream URL for the bus; in-process when absent (env NATS_URL)'))
    .addOption(new Option('--mqtt-url <url>', 'MQTT broker to ingest readings from (env MQTT_URL)'))
    .addOption(new Option('--mqtt-topic <filter>', 'MQTT topic filter (env MQTT_TOPIC, default cityops/readings/#)'))
    .addOption(new Option('--audit-hash <alg>', 'audit chain hash: sha256 or sm3 (env CITYOPS_AUDIT_HASH)'))
    .addOption(new Option('--log-level <level>', 'fatal|error|warn|info|debug|trace|silent (env LOG_LEVEL)'))
    .addOption(new Option('--alarm-flood-limit <n>', 'flood control: more new alarms than this in one street within the window make one incident (env CITYOPS_ALARM_FLOOD_LIMIT, default 5)'))
    .addOption(new Option('--alarm-flood-window-s <s>', 'flood control window, seconds (env CITYOPS_ALARM_FLOOD_WINDOW, default 600)'))
    .addOption(new Option('--detector-alarm-level <x>', 'anomaly score (0.5–1) a detector alarm needs (env CITYOPS_DETECTOR_ALARM_LEVEL, default 0.998)'))
    .addOption(new Option('--detector-alarm-hold <n>', 'readings in a row at that score before it raises (env CITYOPS_DETECTOR_ALARM_HOLD, default 15)'))
    .addOption(new Option('--forecast-cadence-s <s>', 'seconds between a sensor\'s forecasts (env CITYOPS_FORECAST_CADENCE, default 60)'));
}

export function configFrom(opts: Record<string, unknown>, extra: Flags = {}): Config {
  const flags: Flags = { ...extra };
  for (const [k, v] of Object.entries(opts)) if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') (flags as Record<string, unknown>)[k] = v;
  try {
    return loadConfig(undefined, flags);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`cityops: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
}

/** Build CityOps for a one-shot command, run fn, close. */
export async function withCityOps<T>(config: Config, fn: (c: CityOps) => Promise<T>): Promise<T> {
  const city = await createCityOps({ ...config, logLevel: config.logLevel === 'info' ? 'warn' : config.logLevel });
  try {
    // Load in-memory indexes (org tree, sensor directory) that imports rely on.
    await city.start();
    return await fn(city);
  } finally {
    await city.close();
  }
}
