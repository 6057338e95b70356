/** The `cityops` command. */
import { Command } from 'commander';
import { VERSION } from '../main.js';
import { registerAdminCommands } from './admin.js';
import { registerServeCommands } from './serve.js';
import { registerSimCommands } from './sim.js';

const program = new Command('cityops')
  .description('CityOps — the city operations platform (城市大脑 / 一网统管)')
  .version(VERSION)
  .showHelpAfterError();

registerServeCommands(program);
registerAdminCommands(program);
registerSimCommands(program);

await program.parseAsync(process.argv);
