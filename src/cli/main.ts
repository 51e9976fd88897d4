#!/usr/bin/env node
/**
 * The `pageref` command: one subcommand per concern, each in its own file.
 * User errors print one line and exit with code 2; no stack traces.
 */
import { Command, CommanderError } from 'commander';
import { createRequire } from 'node:module';
import { checkCommand } from './check.js';
import { benchCommand } from './bench.js';
import { tortureCommand } from './torture.js';
import { reportCommand } from './report.js';
import { barriersCommand } from './barriers.js';
import { UsageError } from './usageError.js';

const { version } = createRequire(import.meta.url)('../../../package.json') as { version: string };

const program = new Command('pageref')
  .description('Scalable, freezable page reference counts: library, checker and benchmark.')
  .version(version)
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride()
  .addCommand(checkCommand().exitOverride())
  .addCommand(benchCommand().exitOverride())
  .addCommand(tortureCommand().exitOverride())
  .addCommand(reportCommand().exitOverride())
  .addCommand(barriersCommand().exitOverride());

async function main(argv: string[]): Promise<number> {
  try {
    await program.parseAsync(argv);
    return Number(process.exitCode ?? 0);
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof UsageError) {
      process.stderr.write(`pageref: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

process.exitCode = await main(process.argv);
