import { Command, Option } from 'commander';
import { CATALOG, scenarioByName } from '../check/catalog.js';
import { audit, AUDIT_MAX_SECONDS } from '../check/audit/audit.js';
import { auditTables, formatAudit } from '../check/audit/auditTable.js';
import { STRATEGIES, STRATEGY_NAMES } from '../refcount/strategies.js';
import type { StrategyName } from '../refcount/strategy.js';
import type { Order } from '../cells/cells.js';
import { ALL_ORDERS } from '../cells/kernelAtomics.js';
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
  onRepair: boolean;
  assume?: [string, Order][];
  json?: boolean;
}

const isOrder = (o: string | undefined) =>
  o === undefined || (ALL_ORDERS as readonly string[]).includes(o);

/**
 * `frozenBit.ts:32=acquire`: a site and the ordering to assume there; `helper.ts:5@mb=acquire`
 * where the table names the site with the ordering written there.
 */
function assumption(item: string): [string, Order] {
  const m = /^([\w.-]+\.[jt]s:\d+(?:@(\w+))?)=(\w+)$/.exec(item);
  if (!m || !isOrder(m[2]) || !isOrder(m[3]))
    throw new Error(
      `expected FILE:LINE=ORDER (frozenBit.ts:32=acquire) or FILE:LINE@WRITTEN=ORDER, ORDER and WRITTEN one of ${ALL_ORDERS.join(', ')}; got ${JSON.stringify(item)}`,
    );
  return [m[1]!, m[3] as Order];
}

/** `pageref audit`: which orderings a strategy's code needs under LKMM (src/check/audit/). */
export function auditCommand(): Command {
  return new Command('audit')
    .description(
      "Weaken each ordering of a strategy's code alone, one step at a time, and rerun the catalog under LKMM: which orderings are needed, and the counterexample when one is too weak. A scenario that violates as written judges nothing; each site it reaches is strengthened alone (a repair), and the repair that makes the most such scenarios safe is assumed for a second table, in which they judge too.",
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
        .default(AUDIT_MAX_SECONDS)
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
        "comma-separated FILE:LINE=ORDER or FILE:LINE@WRITTEN=ORDER (a line the code reaches with several orderings): audit the other sites with these orderings in place of the code's (a repair)",
      ).argParser(listOption('--assume', assumption)),
    )
    .option('--no-repairs', 'skip strengthening the sites of scenarios that violate as written')
    .option(
      '--no-on-repair',
      'skip the second table, the audit again on top of the repair that makes the most violating scenarios safe',
    )
    .option('--json', 'print one JSON object (docs/audit.json is this output)')
    .addHelpText(
      'after',
      '\nScenarios the LKMM engine does not support are skipped. No dependency is assumed.\nExit code: 0.',
    )
    .action((o: AuditOptions) => {
      const scenarios = (o.scenario ?? CATALOG.map((s) => s.name)).map((n) => scenarioByName(n)!);
      const assume = o.assume ? Object.fromEntries(o.assume) : undefined;
      const command = `pageref audit --strategy ${o.strategy.join(',')}${o.scenario ? ` --scenario ${o.scenario.join(',')}` : ''}${o.assume ? ` --assume ${o.assume.map(([k, v]) => `${k}=${v}`).join(',')}` : ''}${o.repairs ? '' : ' --no-repairs'}${o.onRepair ? '' : ' --no-on-repair'} --max-seconds ${o.maxSeconds}`;
      const tables = o.strategy
        .map((name) => {
          let result;
          try {
            result = audit(STRATEGIES[name], scenarios, {
              ...(assume ? { assume } : {}),
              maxSeconds: o.maxSeconds,
              maxEvents: o.maxEvents,
              maxStates: o.maxStates,
              repairs: o.repairs,
              onRepair: o.onRepair,
              onRun: (what) => process.stderr.write(`audit ${name}: ${what}\n`),
            });
          } catch (e) {
            if ((e as Error).message.startsWith('no scenario reaches'))
              throw new UsageError((e as Error).message);
            throw e;
          }
          return auditTables(result, command);
        })
        .flat();
      console.log(
        o.json ? JSON.stringify({ audits: tables }, null, 1) : tables.map(formatAudit).join('\n\n'),
      );
    });
}
