/**
 * `cityops sim …`: drive the running demo city's simulator through its HTTP
 * API — inject an incident, list, stop, status, rate. Signs in first (by
 * default as the demo admin).
 */
import { Command, Option } from 'commander';
import { ConfigError, loadConfig } from '../config.js';
import { INCIDENT_KINDS } from '../sim/types.js';
import { demoPassword } from '../sim/users.logic.js';

interface ClientOpts {
  url?: string;
  user?: string;
  password?: string;
}

function defaultUrl(): string {
  try {
    const c = loadConfig();
    const host = c.host === '0.0.0.0' || c.host === '::' ? '127.0.0.1' : c.host;
    return `http://${host.includes(':') ? `[${host}]` : host}:${c.port}`;
  } catch (err) {
    if (err instanceof ConfigError) return 'http://127.0.0.1:8080';
    throw err;
  }
}

function withClientOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--url <url>', 'the running CityOps server (default from HOST/PORT, else http://127.0.0.1:8080)'))
    .addOption(new Option('--user <name>', 'sign in as (default: the demo admin, "admin")'))
    .addOption(new Option('--password <pw>', 'password (default: the demo admin\'s)'));
}

class CliError extends Error {}

async function call(base: string, method: string, path: string, body?: unknown, token?: string): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(new URL(path, base), {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string; errors?: Array<{ code?: string }> } }).cause;
    const why = cause?.code ?? cause?.errors?.[0]?.code ?? cause?.message ?? String(err);
    throw new CliError(`cannot reach CityOps at ${base} (${why}); is \`cityops demo\` running? Use --url to point elsewhere.`);
  }
  const text = await res.text();
  const json: unknown = text ? JSON.parse(text) : null;
  if (!res.ok) {
    const e = (json as { error?: { code?: string; message?: string } } | null)?.error;
    throw new CliError(`${res.status} ${e?.code ?? res.statusText}: ${e?.message ?? text}`);
  }
  return json;
}

async function session(opts: ClientOpts): Promise<{ base: string; token: string }> {
  const base = opts.url ?? defaultUrl();
  const username = opts.user ?? 'admin';
  const password = opts.password ?? demoPassword('admin');
  const r = (await call(base, 'POST', '/api/v1/auth/login', { username, password })) as { token: string };
  return { base, token: r.token };
}

function run(fn: (opts: ClientOpts & Record<string, unknown>, ...args: string[]) => Promise<void>) {
  return async (...args: unknown[]) => {
    const cmd = args[args.length - 1] as Command;
    const positional = args.slice(0, -2) as string[];
    try {
      await fn(cmd.opts(), ...positional);
    } catch (err) {
      if (err instanceof CliError) {
        process.stderr.write(`cityops: ${err.message}\n`);
        process.exit(1);
      }
      throw err;
    }
  };
}

interface IncidentWire {
  id: string;
  kind: string;
  at: number[];
  area: string | null;
  durationMin: number;
  intensity: number;
  timeScale: number;
  elapsedMin: number;
  endsAt: string;
  sensorIds: string[];
}

const describe = (i: IncidentWire) =>
  `${i.id}  ${i.kind.padEnd(10)} at [${i.at.map((v) => v.toFixed(5)).join(', ')}]${i.area ? ` area ${i.area}` : ''}  ` +
  `${i.durationMin} sim-min ×${i.intensity}  ${i.elapsedMin} sim-min elapsed  ${i.sensorIds.length} sensors  effects end ${i.endsAt}`;

function parseAt(v: string): [number, number] {
  const parts = v.split(',').map((s) => Number(s.trim()));
  if (parts.length !== 2 || parts.some((n) => !Number.isFinite(n))) throw new CliError(`--at "${v}": expected "longitude,latitude", e.g. --at 1.5212,42.5069`);
  return [parts[0]!, parts[1]!];
}

function num(name: string, v: unknown): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new CliError(`${name} "${String(v)}": expected a number`);
  return n;
}

export function registerSimCommands(program: Command): void {
  const sim = program.command('sim').description('Drive the demo city\'s simulator on a running server (inject incidents, list, stop, status, rate)');

  withClientOptions(sim.command('incident <kind>'))
    .description(`Inject an incident: ${INCIDENT_KINDS.join(', ')}. Rainstorm: rainfall rises over the area, water levels follow ~20 simulated minutes later, then recede.`)
    .option('--at <lon,lat>', 'where (longitude,latitude); default: the busiest town centre, or the middle of --area')
    .option('--area <id>', 'org unit id (district, street or grid) the incident covers')
    .option('--duration <min>', 'simulated minutes the cause lasts (default per kind)')
    .option('--intensity <x>', '0.1–5, 1 = typical (default 1)')
    .addHelpText('after', '\nExample:\n  cityops sim incident rainstorm --at 1.5212,42.5069 --duration 60 --intensity 1.5\n')
    .action(run(async (opts, kind) => {
      const body = {
        kind,
        ...(opts.at !== undefined ? { at: parseAt(String(opts.at)) } : {}),
        ...(opts.area !== undefined ? { area: String(opts.area) } : {}),
        ...(opts.duration !== undefined ? { durationMin: num('--duration', opts.duration) } : {}),
        ...(opts.intensity !== undefined ? { intensity: num('--intensity', opts.intensity) } : {}),
      };
      const s = await session(opts);
      const inc = (await call(s.base, 'POST', '/api/v1/sim/incidents', body, s.token)) as IncidentWire;
      process.stdout.write(`injected ${describe(inc)}\n`);
      process.stdout.write(`  affected sensors: ${inc.sensorIds.slice(0, 8).join(', ')}${inc.sensorIds.length > 8 ? ', …' : ''}\n`);
      process.stdout.write(`  stop it with: cityops sim stop ${inc.id}\n`);
    }));

  withClientOptions(sim.command('list'))
    .description('List incidents whose effects are still running')
    .action(run(async (opts) => {
      const s = await session(opts);
      const r = (await call(s.base, 'GET', '/api/v1/sim/incidents', undefined, s.token)) as { items: IncidentWire[] };
      if (r.items.length === 0) process.stdout.write('no active incidents\n');
      for (const i of r.items) process.stdout.write(`${describe(i)}\n`);
    }));

  withClientOptions(sim.command('stop <id>'))
    .description('Stop an incident now')
    .action(run(async (opts, id) => {
      const s = await session(opts);
      const inc = (await call(s.base, 'DELETE', `/api/v1/sim/incidents/${encodeURIComponent(String(id))}`, undefined, s.token)) as IncidentWire;
      process.stdout.write(`stopped ${inc.id} (${inc.kind})\n`);
    }));

  withClientOptions(sim.command('status'))
    .description('Show the simulator\'s state: sensors, rate, readings sent, active incidents')
    .action(run(async (opts) => {
      const s = await session(opts);
      process.stdout.write(`${JSON.stringify(await call(s.base, 'GET', '/api/v1/sim/status', undefined, s.token), null, 2)}\n`);
    }));

  withClientOptions(sim.command('rate <n>'))
    .description('Set readings per sensor per second (0 pauses the simulator); admin only')
    .option('--time-scale <x>', 'simulated minutes per wall-clock minute for new incidents (1–600)')
    .action(run(async (opts, n) => {
      const s = await session(opts);
      const body = { rate: num('rate', n), ...(opts.timeScale !== undefined ? { timeScale: num('--time-scale', opts.timeScale) } : {}) };
      const st = (await call(s.base, 'POST', '/api/v1/sim/rate', body, s.token)) as { rate: number; timeScale: number };
      process.stdout.write(`rate ${st.rate} readings/sensor/s, time scale ×${st.timeScale}\n`);
    }));
}
