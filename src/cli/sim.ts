/** `cityops sim …`: inject incidents into the running demo city (placeholder until implemented). */
import type { Command } from 'commander';

export function registerSimCommands(_program: Command): void {}
