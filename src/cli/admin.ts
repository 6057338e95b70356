/** `cityops import …`, `cityops user add`, `cityops audit verify`: one-shot administration commands. */
import { randomBytes } from 'node:crypto';
import { Command, Option } from 'commander';
import { ROLES, type Role } from '../platform/auth/roles.js';
import { configFrom, withCityOps, withServerOptions } from './boot.js';
import { progressBar } from './progress.js';

export function registerAdminCommands(program: Command): void {
  const imp = program.command('import').description('Import data into the store');

  withServerOptions(imp.command('sensors <file>'))
    .description('Bulk-import sensors from CSV (header: id,name,class,metric,lon,lat,department,interval_s,min,max) or GeoJSON (a FeatureCollection of Points). Good rows import; each bad row is reported with its line and reason.')
    .action(async (file: string, opts: Record<string, unknown>) => {
      const config = configFrom(opts);
      const report = await withCityOps(config, async (city) => {
        const bar = progressBar('sensors');
        try {
          return await city.services.sensing.importSensors(file, 'cli', bar.update);
        } finally {
          bar.stop();
        }
      });
      process.stdout.write(`imported ${report.imported} sensors, rejected ${report.rejected.length}\n`);
      for (const r of report.rejected) process.stdout.write(`  line ${r.line}: ${r.reason}\n`);
      process.exitCode = report.imported === 0 && report.rejected.length > 0 ? 1 : 0;
    });

  withServerOptions(imp.command('osm <file>'))
    .description('Import the road network (nodes, segments, speeds, one-way) and map features from an OpenStreetMap .osm.pbf or .osm file, replacing the stored one.')
    .action(async (file: string, opts: Record<string, unknown>) => {
      const config = configFrom(opts);
      const summary = await withCityOps(config, async (city) => {
        const bar = progressBar('osm');
        try {
          return await city.services.roads.importOsm(file, bar.update, 'cli');
        } finally {
          bar.stop();
        }
      });
      process.stdout.write(`road network: ${summary.nodes} nodes, ${summary.segments} segments, ${summary.features} map features\n`);
    });

  const user = program.command('user').description('Manage users');
  withServerOptions(user.command('add'))
    .description('Create a user (use it to create the first admin: there are no default passwords outside demo mode).')
    .requiredOption('--username <name>', 'login name')
    .addOption(new Option('--role <role...>', `one or more of: ${ROLES.join(', ')}`).default(['admin']))
    .option('--password <pw>', 'password (at least 10 characters); generated and printed once when omitted')
    .option('--display-name <name>', 'name shown in the UI')
    .option('--org-unit <id>', 'org unit the user is scoped to')
    .option('--department <code>', 'department code (handlers)')
    .action(async (opts: Record<string, unknown>) => {
      const roles = (opts.role as string[]).filter(Boolean);
      const bad = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
      if (bad.length) {
        process.stderr.write(`cityops: unknown role ${bad.join(', ')}; choose from ${ROLES.join(', ')}\n`);
        process.exit(2);
      }
      const password = (opts.password as string | undefined) ?? randomBytes(12).toString('base64url');
      const { role: _r, username, displayName, orgUnit, department, password: _p, ...serverOpts } = opts;
      const config = configFrom(serverOpts);
      const created = await withCityOps(config, (city) =>
        city.services.auth.createUser(
          { username: String(username), password, displayName: displayName as string | undefined, roles: roles as Role[], orgUnitId: (orgUnit as string | undefined) ?? null, department: (department as string | undefined) ?? null },
          'cli',
        ),
      );
      process.stdout.write(`created user ${created.username} (${created.roles.join(', ')})\n`);
      if (!opts.password) process.stdout.write(`password: ${password}\n(shown once; store it safely)\n`);
    });

  const audit = program.command('audit').description('The tamper-evident audit log');
  withServerOptions(audit.command('verify'))
    .description('Walk the hash chain and report every edited, deleted, inserted or reordered entry. Exit code 1 when the log was tampered with.')
    .action(async (opts: Record<string, unknown>) => {
      const config = configFrom(opts);
      const report = await withCityOps(config, (city) => city.services.audit.verify());
      if (report.ok) {
        process.stdout.write(`audit log intact: ${report.entries} entries, head ${report.headHash ?? '(empty)'}\n`);
        return;
      }
      process.stdout.write(`AUDIT LOG TAMPERED: ${report.problems.length} problem(s) in ${report.entries} entries\n`);
      for (const p of report.problems) process.stdout.write(`  seq ${p.seq}: ${p.kind} — ${p.message}\n`);
      process.exitCode = 1;
    });
}
