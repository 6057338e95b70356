/** The `cityops` command. */
import { Command } from 'commander';
import { VERSION } from '../main.js';
import { ConfigError } from '../config.js';
import { isAppError } from '../platform/errors.js';
import { registerAdminCommands } from './admin.js';
import { registerClassifyCommands } from './classify.js';
import { registerServeCommands } from './serve.js';
import { registerSimCommands } from './sim.js';
import { registerDetectCommands } from './detect.js';

const program = new Command('cityops')
  .description('CityOps — the city operations platform (城市大脑 / 一网统管)')
  .version(VERSION)
  .showHelpAfterError();

registerServeCommands(program);
registerAdminCommands(program);
registerSimCommands(program);
registerClassifyCommands(program);
registerDetectCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  // Expected failures (bad input, bad settings) get their message and exit code 1, never a stack trace.
  if (isAppError(err)) {
    process.stderr.write(`cityops: ${err.message} (${err.code})\n`);
    process.exit(1);
  }
  if (err instanceof ConfigError) {
    process.stderr.write(`cityops: ${err.message}\n`);
    process.exit(2);
  }
  throw err;
}
