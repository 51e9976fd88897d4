import { Command, Option } from 'commander';
import { runTorture, type TortureResult } from '../torture/torture.js';
import { TALLY } from '../torture/control.js';
import { FORCED_NAMES, forcedScenario, runForced, type ForcedResult } from '../torture/forced.js';
import { PRODUCTION_STRATEGIES, STRATEGY_NAMES } from '../refcount/strategies.js';
import type { StrategyName } from '../refcount/strategy.js';
import { UsageError } from './usageError.js';
import { integerOption, strategyOption } from './options.js';
import { plural } from '../text/plural.js';

interface TortureCliOptions {
  workers: number;
  seconds: number;
  strategy: StrategyName;
  kill?: boolean;
  json?: boolean;
  pages: number;
  keys?: number;
  seed: number;
  forced?: string;
}

export function tortureCommand(): Command {
  return new Command('torture')
    .description(
      'Hammer a shared page cache from N workers; verify every byte read and audit the end state.',
    )
    .addOption(
      new Option('--workers <n>', 'worker threads, 1 to 64')
        .default(4)
        .argParser(integerOption('--workers', 1, 64)),
    )
    .addOption(
      new Option('--seconds <s>', 'how long to run, 1 to 3600')
        .default(5)
        .argParser(integerOption('--seconds', 1, 3600)),
    )
    .addOption(
      new Option('--strategy <name>', `refcount strategy (${STRATEGY_NAMES.join(', ')})`)
        .default('frozen-bit')
        .argParser(strategyOption()),
    )
    .option('--kill', 'terminate one worker halfway, while it may hold page references')
    .addOption(
      new Option('--pages <n>', 'pages in the pool')
        .default(8)
        .argParser(integerOption('--pages', 1, 4096)),
    )
    .addOption(
      new Option('--keys <n>', 'size of the key space (default: 3 × pages)').argParser(
        integerOption('--keys', 1, 1 << 30),
      ),
    )
    .addOption(
      new Option('--seed <n>', 'random seed')
        .default(0x5eed)
        .argParser(integerOption('--seed', 0, 0x7fffffff)),
    )
    .addOption(
      new Option(
        '--forced <scenario>',
        `instead of the random run, replay a checker counterexample's interleaving on real workers, forced by handshakes; takes --strategy and --json only (${FORCED_NAMES.join(', ')})`,
      ).argParser((v) => {
        if (!FORCED_NAMES.includes(v))
          throw new UsageError(
            `unknown forced scenario ${JSON.stringify(v)}: expected one of ${FORCED_NAMES.join(', ')}`,
          );
        return v;
      }),
    )
    .option('--json', 'print {"seed", "ops", "violations", "found", "leaked", "perWorker"}')
    .addHelpText(
      'after',
      `\n0 violations are expected for ${PRODUCTION_STRATEGIES.join(', ')}. Exit code 1 if any is found.\n` +
        "With --workers 1 a seed replays a whole run; with more, each worker's operations but not\n" +
        'their interleaving. What the torture finds in rfc-v1 and v2-inverted, and what it\n' +
        'cannot: src/torture/README.md.',
    )
    .action(async (o: TortureCliOptions) => {
      if (o.forced !== undefined) {
        const r = await runForced(o.forced, o.strategy);
        process.exitCode = r.violations.length === 0 ? 0 : 1;
        if (o.json) console.log(JSON.stringify(r, null, 2));
        else for (const line of forcedLines(r)) console.log(line);
        return;
      }
      if (o.kill && o.workers < 2)
        throw new UsageError('--kill needs at least 2 workers, so that others carry on');
      const result = await runTorture({
        workers: o.workers,
        seconds: o.seconds,
        strategy: o.strategy,
        kill: o.kill === true,
        pages: o.pages,
        keys: o.keys,
        seed: o.seed,
        progress: (line) => process.stderr.write(`torture: ${line}\n`),
      });
      process.exitCode = result.found === 0 ? 0 : 1;
      if (o.json) {
        console.log(JSON.stringify(result, null, 2));
        return;
      }
      console.log(
        `${plural(result.ops, 'operation')} by ${plural(o.workers, 'worker')} in ${o.seconds} s, strategy ${o.strategy}, seed ${result.seed}`,
      );
      for (const line of tortureTable(result.perWorker)) console.log(line);
      for (const l of result.leaked)
        console.log(
          `leaked: worker ${l.worker} held page ${l.page} (key ${l.key}), which stays pinned`,
        );
      const shown = result.violations.length;
      console.log(
        `violations: ${result.found}${shown < result.found ? ` (a worker prints its first 20)` : ''}`,
      );
      for (const v of result.violations) console.log(`  ✗ ${v}`);
      if (result.violations.length > 0)
        console.log(
          o.workers === 1
            ? `One worker: --seed ${result.seed} replays these operations in this order.`
            : `--seed ${result.seed} replays each worker's operations, not how the threads interleaved; with --workers 1 a seed replays a whole run.`,
        );
    });
}

/** A forced run: the scenario, its schedule, each access in order, the violations. */
export function forcedLines(r: ForcedResult): string[] {
  const s = forcedScenario(r.scenario);
  return [
    `forced ${r.scenario} × ${r.strategy}, ${plural(s.roles.length, 'worker')}: ${s.about}`,
    `schedule ${r.schedule.join(',')} (a thread per access, kept by Atomics.wait/notify handshakes)`,
    ' step  thread  access',
    ...r.trace.map(
      (a) =>
        `${(a.step < 0 ? '-' : String(a.step)).padStart(5)}  T${String(a.thread).padEnd(6)} ${a.what}`,
    ),
    `violations: ${r.violations.length}`,
    ...r.violations.map((v) => `  ✗ ${v}`),
    'The handshakes fix the order of the scheduled steps (those numbered): every run prints them again.',
  ];
}

/** The columns of the per-worker table, in order: a tally's counters. */
const COLUMNS = TALLY.map((f) => (f === 'scanHits' ? 'scan hits' : f));

/** The per-worker table: a header, then one row per worker, a killed one marked. */
export function tortureTable(rows: TortureResult['perWorker']): string[] {
  const width = (i: number) => Math.max(8, COLUMNS[i]!.length);
  const header = `worker ${COLUMNS.map((c, i) => c.padStart(width(i))).join(' ')}`;
  return [
    header,
    ...rows.map(
      (w) =>
        `${String(w.worker).padEnd(6)} ${TALLY.map((f, i) => String(w[f]).padStart(width(i))).join(' ')}${w.killed ? '  (killed: counted up to where it parked)' : ''}`,
    ),
  ];
}
