import { Command } from 'commander';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkBarriers, formatBarriers } from '../check/barriers/barriers.js';
import type { PageRefFunction } from '../check/barriers/clients.js';
import { PAGE_REF_FUNCTIONS } from '../refcount/pageRefApi.js';
import { strategyByName } from '../refcount/strategies.js';
import type { StrategyName } from '../refcount/strategy.js';
import { listOption, oneOf, strategyOption } from './options.js';

/**
 * `pageref barriers`: the barrier guarantees of each page_ref function under LKMM, one
 * strategy against another (src/check/barriers, docs/barriers.md).
 */
export function barriersCommand(): Command {
  return new Command('barriers')
    .description(
      'Under LKMM, does each page_ref function of one strategy keep the barrier guarantees of another? Same, stronger or weaker, with a litmus file per difference.',
    )
    .option('--base <strategy>', 'the reference strategy', strategyOption(), 'classic')
    .option('--strategy <strategy>', 'the strategy checked', strategyOption(), 'frozen-bit')
    .option(
      '--function <names>',
      'only these page_ref functions (comma-separated API names: decAndTest,tryGet,…)',
      listOption('--function', oneOf('function', PAGE_REF_FUNCTIONS)),
    )
    .option('--out <dir>', 'write each distinguishing client as kernel litmus files here')
    .option('--json', 'print the verdicts as JSON')
    .addHelpText('after', '\nExit code 1 if a function is weaker, or a litmus file does not show its difference.')
    .action(
      (o: {
        base: StrategyName;
        strategy: StrategyName;
        function?: PageRefFunction[];
        out?: string;
        json?: boolean;
      }) => {
        const r = checkBarriers(strategyByName(o.base), strategyByName(o.strategy), {
          ...(o.function ? { functions: o.function } : {}),
          progress: (f) =>
            process.stderr.write(`barriers: ${f.fn}: ${f.verdict} (${f.clients} clients, ${f.ms} ms)\n`),
        });
        if (o.json) {
          const json = r.functions.map((f) => ({
            function: f.fn,
            clients: f.clients,
            verdict: f.verdict,
            weaker: f.weaker.map((d) => d.client.name),
            stronger: f.stronger.map((d) => d.client.name),
            notInBase: f.notInBase,
            scDiffers: f.scDiffers,
            incomplete: f.incomplete,
          }));
          console.log(JSON.stringify({ base: r.base, strategy: r.test, model: 'lkmm', functions: json, litmus: r.litmus.map(({ text: _t, ...l }) => l) }, null, 2));
        } else console.log(formatBarriers(r));
        if (o.out) {
          mkdirSync(o.out, { recursive: true });
          for (const l of r.litmus) writeFileSync(join(o.out, `${l.name}.litmus`), l.text);
        }
        const weaker = r.functions.some((f) => f.weaker.length > 0);
        const shown = r.litmus.every((l) => l.answer === l.expected);
        process.exitCode = weaker || !shown ? 1 : 0;
      },
    );
}
