/**
 * Speed of the catalog under LKMM (a benchmark, not a test): every catalog scenario against
 * each production strategy (or those named), one after the other in this process, with the
 * verdict, the candidate executions checked and the milliseconds of each pair; headed by the
 * machine and its load average, which a shared machine makes matter.
 *
 *   node dist/scripts/lkmmbench.js [--strategy a,b] [--scenario x,y] [--model sc]
 *
 * The CPU time of the whole run is printed too: on a shared machine the wall time of a run
 * is its CPU time stretched by the load, and the CPU time is what an idle core would take.
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
const cpuBefore = process.cpuUsage();
for (const s of scenarios) {
  const cells = strategies.map((name) => {
    const before = process.cpuUsage();
    const r = runScenarioLkmm(s, STRATEGIES[name], model ? { model } : {});
    const used = process.cpuUsage(before);
    const cpuMs = (used.user + used.system) / 1000;
    total += r.ms;
    worst = Math.max(worst, cpuMs);
    return `${r.verdict}, ${r.executions} executions, ${Math.round(r.ms)} ms (CPU ${Math.round(cpuMs)} ms)`;
  });
  console.log(`| ${s.name} | ${cells.join(' | ')} |`);
}
const cpu = process.cpuUsage(cpuBefore);
console.log('');
console.log(
  `${scenarios.length * strategies.length} runs in ${(total / 1000).toFixed(1)} s (${((cpu.user + cpu.system) / 1e6).toFixed(1)} s of CPU: what an idle core would take), the most CPU one pair took ${Math.round(worst)} ms; load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} (after)`,
);
