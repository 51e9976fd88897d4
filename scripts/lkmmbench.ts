/**
 * Speed of the catalog under LKMM (a benchmark, not a test): every catalog scenario against
 * each production strategy (or those named), one after the other in this process, with the
 * verdict, the candidate executions checked and the milliseconds of each pair; headed by the
 * machine and its load average, which a shared machine makes matter.
 *
 *   node dist/scripts/lkmmbench.js [--strategy a,b] [--scenario x,y] [--model sc]
 *
 * Issue 18's goal on the 2-core machine: the catalog × the three production strategies in
 * under 10 s in all, each scenario under 2 s.
 */
import { cpus, loadavg } from 'node:os';
import { CATALOG } from '../src/check/catalog.js';
import { runScenarioLkmm } from '../src/check/lkmm/lkmmScenario.js';
import { SC } from '../src/axiomatic/models/index.js';
import { PRODUCTION_STRATEGIES, STRATEGIES } from '../src/refcount/strategies.js';
import type { StrategyName } from '../src/refcount/strategy.js';

const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const strategies = (opt('--strategy')?.split(',') ?? PRODUCTION_STRATEGIES) as StrategyName[];
const only = opt('--scenario')?.split(',');
const scenarios = CATALOG.filter((s) => !only || only.includes(s.name));
const model = opt('--model') === 'sc' ? SC : undefined;

const load = loadavg().map((l) => l.toFixed(2));
console.log(
  `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}, load average ${load.join(' ')} (before)`,
);
console.log('');
console.log(`| scenario | ${strategies.join(' | ')} |`);
console.log(`| --- | ${strategies.map(() => '---').join(' | ')} |`);
let total = 0;
let worst = 0;
for (const s of scenarios) {
  const cells = strategies.map((name) => {
    const r = runScenarioLkmm(s, STRATEGIES[name], model ? { model } : {});
    total += r.ms;
    worst = Math.max(worst, r.ms);
    return r.verdict === 'unsupported'
      ? 'unsupported'
      : `${r.verdict}, ${r.executions} executions, ${Math.round(r.ms)} ms`;
  });
  console.log(`| ${s.name} | ${cells.join(' | ')} |`);
}
console.log('');
console.log(
  `${scenarios.length * strategies.length} runs in ${(total / 1000).toFixed(1)} s, the slowest ${Math.round(worst)} ms; load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} (after)`,
);
