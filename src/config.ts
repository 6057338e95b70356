/**
 * Settings, parsed once from the environment and command-line flags (flags win),
 * validated, typed. An invalid setting stops start-up with a message naming it.
 * Nothing else in CityOps reads process.env.
 */
import path from 'node:path';

export type HashAlgorithm = 'sha256' | 'sm3';

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  /** postgres://… when set; SQLite file under dataDir otherwise. */
  databaseUrl: string | undefined;
  sqlitePath: string;
  natsUrl: string | undefined;
  mqttUrl: string | undefined;
  /** MQTT topic filter the ingestion subscribes to; one reading or a batch per message. */
  mqttTopic: string;
  jwtSecret: string | undefined;
  /** Session token lifetime in seconds. */
  sessionTtlSeconds: number;
  auditHash: HashAlgorithm;
  /** Largest accepted HTTP body in bytes. */
  bodyLimitBytes: number;
  /** Largest number of readings in one batch. */
  maxBatchReadings: number;
  /** Largest accepted event photo in bytes (stored under dataDir/photos). */
  photoMaxBytes: number;
  /** A classified report at or above this confidence is dispatched without a dispatcher; below it waits in the dispatcher's queue. */
  dispatchMinConfidence: number;
  /** An event whose result the citizen never rates closes after this many days. */
  autoCloseDays: number;
  demo: boolean;
  /** Simulated readings per sensor per second in demo mode (0 = simulator off). */
  simRate: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  osmFile: string;
  /** Flood control: more than this many new alarms in one street within the window collapse into one incident. */
  alarmFloodLimit: number;
  alarmFloodWindowS: number;
  /** A learned detector raises its alarm after this many readings in a row scoring at least the level. */
  detectorAlarmLevel: number;
  detectorAlarmHold: number;
  /** A sensor's forecast is remade (and checked against its rules) at most this often, seconds. */
  forecastCadenceS: number;
}

export type Flags = Partial<Record<keyof Config, string | number | boolean | undefined>>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid settings:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

const ENV_NAMES: Record<keyof Config, string> = {
  host: 'HOST',
  port: 'PORT',
  dataDir: 'CITYOPS_DATA_DIR',
  databaseUrl: 'DATABASE_URL',
  sqlitePath: 'CITYOPS_SQLITE_PATH',
  natsUrl: 'NATS_URL',
  mqttUrl: 'MQTT_URL',
  mqttTopic: 'MQTT_TOPIC',
  jwtSecret: 'CITYOPS_JWT_SECRET',
  sessionTtlSeconds: 'CITYOPS_SESSION_TTL',
  auditHash: 'CITYOPS_AUDIT_HASH',
  bodyLimitBytes: 'CITYOPS_BODY_LIMIT',
  maxBatchReadings: 'CITYOPS_MAX_BATCH',
  photoMaxBytes: 'CITYOPS_PHOTO_MAX_BYTES',
  dispatchMinConfidence: 'CITYOPS_DISPATCH_MIN_CONFIDENCE',
  autoCloseDays: 'CITYOPS_AUTO_CLOSE_DAYS',
  demo: 'CITYOPS_DEMO',
  simRate: 'CITYOPS_SIM_RATE',
  logLevel: 'LOG_LEVEL',
  osmFile: 'CITYOPS_OSM_FILE',
  alarmFloodLimit: 'CITYOPS_ALARM_FLOOD_LIMIT',
  alarmFloodWindowS: 'CITYOPS_ALARM_FLOOD_WINDOW',
  detectorAlarmLevel: 'CITYOPS_DETECTOR_ALARM_LEVEL',
  detectorAlarmHold: 'CITYOPS_DETECTOR_ALARM_HOLD',
  forecastCadenceS: 'CITYOPS_FORECAST_CADENCE',
};

export const ASSETS_DIR = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../assets');
export const DEFAULT_OSM_FILE = path.join(ASSETS_DIR, 'osm/andorra.osm.pbf');

/** Parse and validate settings; throws ConfigError listing every problem. */
export function loadConfig(env: Record<string, string | undefined> = process.env, flags: Flags = {}): Config {
  const problems: string[] = [];
  const raw = (key: keyof Config): string | undefined => {
    const f = flags[key];
    if (f !== undefined && f !== '') return String(f);
    const e = env[ENV_NAMES[key]];
    return e === undefined || e === '' ? undefined : e;
  };
  const name = (key: keyof Config) => (flags[key] !== undefined ? `--${kebab(key)}` : ENV_NAMES[key]);

  const int = (key: keyof Config, dflt: number, min: number, max: number): number => {
    const v = raw(key);
    if (v === undefined) return dflt;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name(key)}="${v}": must be a whole number from ${min} to ${max}`);
      return dflt;
    }
    return n;
  };
  const num = (key: keyof Config, dflt: number, min: number, max: number): number => {
    const v = raw(key);
    if (v === undefined) return dflt;
    const n = Number(v);
    if (!Number.isFinite(n) || n < min || n > max) {
      problems.push(`${name(key)}="${v}": must be a number from ${min} to ${max}`);
      return dflt;
    }
    return n;
  };
  const bool = (key: keyof Config, dflt: boolean): boolean => {
    const v = raw(key);
    if (v === undefined) return dflt;
    if (['1', 'true', 'yes', 'on'].includes(v.toLowerCase())) return true;
    if (['0', 'false', 'no', 'off'].includes(v.toLowerCase())) return false;
    problems.push(`${name(key)}="${v}": must be true or false`);
    return dflt;
  };
  const url = (key: keyof Config, schemes: string[]): string | undefined => {
    const v = raw(key);
    if (v === undefined) return undefined;
    try {
      const u = new URL(v);
      if (!schemes.includes(u.protocol.replace(/:$/, ''))) {
        problems.push(`${name(key)}="${redact(v)}": scheme must be one of ${schemes.join(', ')}`);
        return undefined;
      }
      return v;
    } catch {
      problems.push(`${name(key)}="${redact(v)}": not a valid URL (e.g. ${schemes[0]}://127.0.0.1)`);
      return undefined;
    }
  };
  const oneOf = <T extends string>(key: keyof Config, values: readonly T[], dflt: T): T => {
    const v = raw(key);
    if (v === undefined) return dflt;
    if (!(values as readonly string[]).includes(v)) {
      problems.push(`${name(key)}="${v}": must be one of ${values.join(', ')}`);
      return dflt;
    }
    return v as T;
  };

  const dataDir = path.resolve(raw('dataDir') ?? './data');
  const jwtSecret = raw('jwtSecret');
  if (jwtSecret !== undefined && jwtSecret.length < 32) problems.push(`${name('jwtSecret')}: must be at least 32 characters`);

  const demo = bool('demo', false);
  const config: Config = {
    host: raw('host') ?? '127.0.0.1',
    port: int('port', 8080, 0, 65535),
    dataDir,
    databaseUrl: url('databaseUrl', ['postgres', 'postgresql']),
    sqlitePath: path.resolve(raw('sqlitePath') ?? path.join(dataDir, 'cityops.db')),
    natsUrl: url('natsUrl', ['nats', 'tls', 'ws', 'wss']),
    mqttUrl: url('mqttUrl', ['mqtt', 'mqtts', 'tcp', 'ws', 'wss']),
    mqttTopic: raw('mqttTopic') ?? 'cityops/readings/#',
    jwtSecret,
    sessionTtlSeconds: int('sessionTtlSeconds', 12 * 3600, 60, 30 * 24 * 3600),
    auditHash: oneOf('auditHash', ['sha256', 'sm3'] as const, 'sha256'),
    bodyLimitBytes: int('bodyLimitBytes', 16 * 1024 * 1024, 1024, 256 * 1024 * 1024),
    maxBatchReadings: int('maxBatchReadings', 50_000, 1, 1_000_000),
    photoMaxBytes: int('photoMaxBytes', 8 * 1024 * 1024, 1024, 64 * 1024 * 1024),
    dispatchMinConfidence: num('dispatchMinConfidence', 0.8, 0, 1),
    autoCloseDays: int('autoCloseDays', 7, 1, 365),
    demo,
    simRate: num('simRate', 1, 0, 100),
    logLevel: oneOf('logLevel', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
    osmFile: path.resolve(raw('osmFile') ?? DEFAULT_OSM_FILE),
    alarmFloodLimit: int('alarmFloodLimit', 5, 1, 100_000),
    alarmFloodWindowS: int('alarmFloodWindowS', 600, 10, 86_400),
    // Scores live in [0, 1]; under 0.5 a detector alarm would fire on ordinary noise.
    detectorAlarmLevel: num('detectorAlarmLevel', 0.998, 0.5, 1),
    detectorAlarmHold: int('detectorAlarmHold', 15, 1, 100_000),
    // The demo city runs incidents 30× faster than the clock, so its forecasts must be remade more often to warn in time.
    forecastCadenceS: int('forecastCadenceS', demo ? 5 : 60, 1, 86_400),
  };
  if (config.mqttTopic.length === 0 || /[+#]./.test(config.mqttTopic.replace(/\/#$/, ''))) {
    // MQTT wildcards must fill a whole topic level
    if (!/^([^+#/]*|\+)(\/([^+#/]*|\+))*(\/#)?$|^#$/.test(config.mqttTopic)) problems.push(`${name('mqttTopic')}="${config.mqttTopic}": not a valid MQTT topic filter`);
  }
  if (problems.length) throw new ConfigError(problems);
  return config;
}

function kebab(s: string): string {
  return s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function redact(u: string): string {
  return u.replace(/\/\/([^:@/]+):([^@/]+)@/, '//$1:***@');
}
