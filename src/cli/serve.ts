/** `cityops serve` and `cityops demo`: run the server (demo: build the demo city first and stream simulated data). */
import { Command, Option } from 'commander';
import { createCityOps } from '../main.js';
import { configFrom, withServerOptions } from './boot.js';

export function registerServeCommands(program: Command): void {
  withServerOptions(program.command('serve'))
    .description('Start CityOps (API, ingestion, live stream). Create the first admin with `cityops user add` beforehand.')
    .action(async (opts: Record<string, unknown>) => {
      const config = configFrom(opts);
      const city = await createCityOps(config);
      stopOnSignals(city.close.bind(city));
      const url = await city.listen();
      city.kernel.log.info(`CityOps listening on ${url} — API docs at ${url}/docs`);
    });

  withServerOptions(program.command('demo'))
    .description('Start CityOps with the demo city (Andorra road network, org tree, 2,000+ sensors, demo users, live simulator).')
    .addOption(new Option('--sim-rate <n>', 'simulated readings per sensor per second (env CITYOPS_SIM_RATE, default 1; 0 = off)'))
    .addOption(new Option('--osm-file <file>', 'OpenStreetMap extract for the map (env CITYOPS_OSM_FILE, default Andorra)'))
    .action(async (opts: Record<string, unknown>) => {
      const config = configFrom(opts, { demo: true });
      const city = await createCityOps(config);
      stopOnSignals(city.close.bind(city));
      await city.start();
      const report = await city.services.sim.buildDemoCity();
      const url = await city.listen();
      city.services.sim.start();
      const lines = [
        '',
        `CityOps demo city is running: ${url}`,
        `  API docs (sign in there):  ${url}/docs`,
        `  ${report.districts} districts, ${report.streets} streets, ${report.grids} grids, ${report.sensors} sensors`,
        '  Demo logins (demo mode only):',
        ...report.logins.map((l) => `    ${l.role.padEnd(14)} ${l.username} / ${l.password}`),
        '  Map data © OpenStreetMap contributors (ODbL)',
        '',
      ];
      process.stdout.write(lines.join('\n') + '\n');
    });
}

function stopOnSignals(close: () => Promise<void>): void {
  let closing = false;
  const stop = (signal: string) => {
    if (closing) process.exit(1);
    closing = true;
    process.stderr.write(`\n${signal}: shutting down…\n`);
    close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`shutdown failed: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}
