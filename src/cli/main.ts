#!/usr/bin/env node
/**
 * The `pageref` command: one subcommand per concern, each in its own file.
 * User errors print one line and exit with code 2; no stack traces.
 *
 * Start-up: a subcommand's module is imported only when that subcommand runs, so that
 * `pageref check FILE.litmus` loads the litmus parser and the models, not the benchmark's
 * charts (vega), the report or the torture test. --version loads none; help and a command
 * line without a known subcommand load them all, so that help lists every command.
 */
import { Command, CommanderError } from 'commander';
import { createRequire } from 'node:module';
import { UsageError } from './usageError.js';

const { version } = createRequire(import.meta.url)('../../../package.json') as { version: string };

/** Each subcommand's module, imported on demand. */
const SUBCOMMANDS: Readonly<Record<string, () => Promise<Command>>> = {
  check: async () => (await import('./check.js')).checkCommand(),
  bench: async () => (await import('./bench.js')).benchCommand(),
  torture: async () => (await import('./torture.js')).tortureCommand(),
  report: async () => (await import('./report.js')).reportCommand(),
  audit: async () => (await import('./audit.js')).auditCommand(),
  barriers: async () => (await import('./barriers.js')).barriersCommand(),
};

/**
 * The subcommands a command line needs: the one it names as its first word, none for
 * --version, or all of them (no subcommand, an option first such as --help, or a name that is
 * not one).
 */
function subcommandsFor(args: readonly string[]): string[] {
  const first = args[0];
  if (first !== undefined && Object.hasOwn(SUBCOMMANDS, first)) return [first];
  return first === '--version' || first === '-V' ? [] : Object.keys(SUBCOMMANDS);
}

async function program(names: string[]): Promise<Command> {
  const p = new Command('pageref')
    .description('Scalable, freezable page reference counts: library, checker and benchmark.')
    .version(version)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const command of await Promise.all(names.map((n) => SUBCOMMANDS[n]!())))
    p.addCommand(command.exitOverride());
  return p;
}

async function main(argv: string[]): Promise<number> {
  try {
    await (await program(subcommandsFor(argv.slice(2)))).parseAsync(argv);
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

// `pageref check dir/*.litmus | head`: a reader that has seen enough closes the pipe; stop
// quietly, as a C program killed by SIGPIPE does, rather than print a stack trace
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') throw e;
  process.exit(0);
});

process.exitCode = await main(process.argv);
