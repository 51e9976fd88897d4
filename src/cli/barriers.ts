import { Command } from 'commander';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkBarriers, formatBarriers } from '../barriers/barriers.js';
import type { Client, PageRefFunction } from '../barriers/clients.js';
import { PAGE_REF_FUNCTIONS } from '../refcount/pageRefApi.js';
import { strategyByName } from '../refcount/strategies.js';
import type { StrategyName } from '../refcount/strategy.js';
import { listOption, oneOf, strategyOption } from './options.js';
import { UsageError } from './usageError.js';

/**
 * `pageref barriers`: the barrier guarantees of each page_ref function under LKMM, one
 * strategy against another (src/barriers, docs/barriers.md).
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
    .option(
      '--client <names>',
      'only these clients (comma-separated names, as the table prints them)',
      // a name ends in its counter start, `(live1)`, and may hold commas (`+put,count`)
      (v: string) => v.split(/(?<=\)),/).map((s) => s.trim()),
    )

    .option(
      '--out <dir>',
      'write each distinguishing client as kernel litmus files here, with the table (barriers.txt, barriers.json)',
    )
    .option('--json', 'print the verdicts as JSON')
    .addHelpText(
      'after',
      '\nExit code 1 if a function is weaker, or a litmus file does not show its difference.',
    )
    .action(
      (o: {
        base: StrategyName;
        strategy: StrategyName;
        function?: PageRefFunction[];
        client?: string[];
        out?: string;
        json?: boolean;
      }) => {
        const r = checkBarriers(strategyByName(o.base), strategyByName(o.strategy), {
          ...(o.function ? { functions: o.function } : {}),
          ...(o.client ? { filter: (c: Client) => o.client!.includes(c.name) } : {}),
          progress: (f) =>
            process.stderr.write(
              `barriers: ${f.fn}: ${f.verdict} (${f.clients} clients, ${f.ms} ms)\n`,
            ),
        });
        if (r.functions.every((f) => f.clients === 0))
          throw new UsageError('no client matched: --client takes names as the table prints them');
        const json = {
          base: r.base,
          strategy: r.test,
          model: 'lkmm',
          functions: r.functions.map((f) => ({
            function: f.fn,
            clients: f.clients,
            verdict: f.verdict,
            weaker: f.weaker.map((d) => d.client.name),
            stronger: f.stronger.map((d) => d.client.name),
            notInBase: f.notInBase,
            scDiffers: f.scDiffers,
            incomplete: f.incomplete,
            ms: f.ms,
          })),
          litmus: r.litmus.map((l) => ({
            name: l.name,
            strategy: l.strategy,
            answer: l.answer,
            expected: l.expected,
          })),
        };
        const table = formatBarriers(r);
        console.log(o.json ? JSON.stringify(json, null, 2) : table);
        if (o.out) {
          mkdirSync(o.out, { recursive: true });
          for (const l of r.litmus) writeFileSync(join(o.out, `${l.name}.litmus`), l.text);
          writeFileSync(join(o.out, 'barriers.txt'), `${table}\n`);
          writeFileSync(join(o.out, 'barriers.json'), `${JSON.stringify(json, null, 2)}\n`);
        }
        const weaker = r.functions.some((f) => f.weaker.length > 0);
        const shown = r.litmus.every((l) => l.answer === l.expected);
        process.exitCode = weaker || !shown ? 1 : 0;
      },
    );
}
