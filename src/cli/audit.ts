import { Command, Option } from 'commander';
import { CATALOG, scenarioByName } from '../check/catalog.js';
import { audit } from '../check/audit/audit.js';
import { auditTable, formatAudit } from '../check/audit/auditTable.js';
import { STRATEGIES, STRATEGY_NAMES } from '../refcount/strategies.js';
import type { StrategyName } from '../refcount/strategy.js';
import { integerOption, listOption, oneOf, strategyOption } from './options.js';

interface AuditOptions {
  strategy: StrategyName[];
  scenario?: string[];
  maxSeconds: number;
  maxEvents: number;
  maxStates: number;
  repairs: boolean;
  json?: boolean;
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
      new Option('--scenario <names>', 'comma-separated catalog scenarios (default: all)').argParser(
        listOption('--scenario', oneOf('scenario', CATALOG.map((s) => s.name))),
      ),
    )
    .addOption(
      new Option('--max-seconds <n>', 'per run: give up (unknown) after this many seconds')
        .default(20)
        .argParser(integerOption('--max-seconds')),
    )
    .addOption(
      new Option('--max-events <n>', "per run: events in one run of a thread before it is cut")
        .default(24)
        .argParser(integerOption('--max-events')),
    )
    .addOption(
      new Option('--max-states <n>', 'per run: candidate executions before giving up')
        .default(1_000_000)
        .argParser(integerOption('--max-states')),
    )
    .option('--no-repairs', 'skip strengthening the sites of scenarios that violate as written')
    .option('--json', 'print one JSON object (docs/audit.json is this output)')
    .addHelpText(
      'after',
      '\nScenarios the LKMM engine does not support are skipped. No dependency is assumed.\nExit code: 0.',
    )
    .action((o: AuditOptions) => {
      const scenarios = (o.scenario ?? CATALOG.map((s) => s.name)).map((n) => scenarioByName(n)!);
      const command = `pageref audit --strategy ${o.strategy.join(',')}${o.scenario ? ` --scenario ${o.scenario.join(',')}` : ''} --max-seconds ${o.maxSeconds}`;
      const tables = o.strategy.map((name) =>
        auditTable(
          audit(STRATEGIES[name], scenarios, {
            maxSeconds: o.maxSeconds,
            maxEvents: o.maxEvents,
            maxStates: o.maxStates,
            repairs: o.repairs,
            onRun: (what) => process.stderr.write(`audit ${name}: ${what}\n`),
          }),
          command,
        ),
      );
      console.log(
        o.json ? JSON.stringify({ audits: tables }, null, 1) : tables.map(formatAudit).join('\n\n'),
      );
    });
}
