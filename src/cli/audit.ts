import { Command, Option } from 'commander';
import { CATALOG, scenarioByName } from '../check/catalog.js';
import { audit } from '../check/audit/audit.js';
import { auditTable, formatAudit } from '../check/audit/auditTable.js';
import { STRATEGIES, STRATEGY_NAMES } from '../refcount/strategies.js';
import type { StrategyName } from '../refcount/strategy.js';
import type { Order } from '../cells/cells.js';
import { UsageError } from './usageError.js';
import { integerOption, listOption, oneOf, strategyOption } from './options.js';
import { LKMM_DEFAULTS } from '../check/lkmm/lkmmOptions.js';

interface AuditOptions {
  strategy: StrategyName[];
  scenario?: string[];
  maxSeconds: number;
  maxEvents: number;
  maxStates: number;
  repairs: boolean;
  assume?: [string, Order][];
  json?: boolean;
}

const ORDERS: readonly Order[] = ['once', 'acquire', 'release', 'relaxed', 'mb', 'noreturn'];

/** `frozenBit.ts:32=acquire`: a site and the ordering to assume there. */
function assumption(item: string): [string, Order] {
  const m = /^([\w.-]+\.[jt]s:\d+)=(\w+)$/.exec(item);
  if (!m || !(ORDERS as readonly string[]).includes(m[2]!))
    throw new Error(
      `expected FILE:LINE=ORDER (frozenBit.ts:32=acquire), ORDER one of ${ORDERS.join(', ')}; got ${JSON.stringify(item)}`,
    );
  return [m[1]!, m[2] as Order];
}

/** `pageref audit`: which orderings a strategy's code needs under LKMM (src/check/audit/). */
export function auditCommand(): Command {
  return new Command('audit')
    .description(
      "Weaken each ordering of a strategy's code alone, one step at a time, and rerun the catalog under LKMM: which orderings are needed, and the counterexample when one is too weak.",
    )
    .addOption(
      new Option('--strategy <names>', `comma-separated: ${STRATEGY_NAMES.join(', ')}`)
        .default(['frozen-bit'])
        .argParser(listOption('--strategy', (n) => strategyOption()(n))),
    )
    .addOption(
      new Option(
        '--scenario <names>',
        'comma-separated catalog scenarios (default: all)',
      ).argParser(
        listOption(
          '--scenario',
          oneOf(
            'scenario',
            CATALOG.map((s) => s.name),
          ),
        ),
      ),
    )
    .addOption(
      new Option('--max-seconds <n>', 'per run: give up (unknown) after this many seconds')
        .default(20)
        .argParser(integerOption('--max-seconds')),
    )
    .addOption(
      new Option('--max-events <n>', 'per run: events in one run of a thread before it is cut')
        .default(LKMM_DEFAULTS.maxEvents)
        .argParser(integerOption('--max-events')),
    )
    .addOption(
      new Option('--max-states <n>', 'per run: candidate executions before giving up')
        .default(LKMM_DEFAULTS.maxStates)
        .argParser(integerOption('--max-states')),
    )
    .addOption(
      new Option(
        '--assume <sites>',
        "comma-separated FILE:LINE=ORDER: audit the other sites with these orderings in place of the code's (a repair)",
      ).argParser(listOption('--assume', assumption)),
    )
    .option('--no-repairs', 'skip strengthening the sites of scenarios that violate as written')
    .option('--json', 'print one JSON object (docs/audit.json is this output)')
    .addHelpText(
      'after',
      '\nScenarios the LKMM engine does not support are skipped. No dependency is assumed.\nExit code: 0.',
    )
    .action((o: AuditOptions) => {
      const scenarios = (o.scenario ?? CATALOG.map((s) => s.name)).map((n) => scenarioByName(n)!);
      const assume = o.assume ? Object.fromEntries(o.assume) : undefined;
      const command = `pageref audit --strategy ${o.strategy.join(',')}${o.scenario ? ` --scenario ${o.scenario.join(',')}` : ''}${o.assume ? ` --assume ${o.assume.map(([k, v]) => `${k}=${v}`).join(',')}` : ''} --max-seconds ${o.maxSeconds}`;
      const tables = o.strategy.map((name) => {
        let result;
        try {
          result = audit(STRATEGIES[name], scenarios, {
            ...(assume ? { assume } : {}),
            maxSeconds: o.maxSeconds,
            maxEvents: o.maxEvents,
            maxStates: o.maxStates,
            repairs: o.repairs,
            onRun: (what) => process.stderr.write(`audit ${name}: ${what}\n`),
          });
        } catch (e) {
          if ((e as Error).message.startsWith('no scenario reaches'))
            throw new UsageError((e as Error).message);
          throw e;
        }
        return auditTable(result, command);
      });
      console.log(
        o.json ? JSON.stringify({ audits: tables }, null, 1) : tables.map(formatAudit).join('\n\n'),
      );
    });
}
