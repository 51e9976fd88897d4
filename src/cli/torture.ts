import { Command, Option } from 'commander';
import { runTorture } from '../torture/torture.js';
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
    .option('--json', 'print {"ops", "violations", "leaked", "perWorker"}')
    .addHelpText(
      'after',
      `\n0 violations are expected for ${PRODUCTION_STRATEGIES.join(', ')}. Exit code 1 if any is found.`,
    )
    .action(async (o: TortureCliOptions) => {
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
      process.exitCode = result.violations.length === 0 ? 0 : 1;
      if (o.json) {
        console.log(JSON.stringify(result, null, 2));
        return;
      }
      console.log(
        `${plural(result.ops, 'operation')} by ${plural(o.workers, 'worker')} in ${o.seconds} s, strategy ${o.strategy}`,
      );
      console.log('worker      ops    reads     hits  inserts   evicts     busy  removes     gets');
      for (const w of result.perWorker) {
        const cols = [w.ops, w.reads, w.hits, w.inserts, w.evicts, w.busy, w.removes, w.gets].map(
          (n) => String(n).padStart(8),
        );
        console.log(
          `${String(w.worker).padEnd(6)}${cols.join(' ')}${w.killed ? '  (killed)' : ''}`,
        );
      }
      for (const l of result.leaked)
        console.log(
          `leaked: worker ${l.worker} held page ${l.page} (key ${l.key}), which stays pinned`,
        );
      console.log(
        result.violations.length === 0
          ? 'violations: 0'
          : `violations: ${result.violations.length}`,
      );
      for (const v of result.violations) console.log(`  ✗ ${v}`);
    });
}
