/**
 * Speed and memory of the checker (a benchmark, not a test): the catalog against every
 * strategy, and the parametric getters T×R against each production strategy, each case in
 * a fresh process so that its peak memory (max RSS) is its own. Prints markdown tables as
 * docs/checker.md carries them ("Speed"), headed by the machine and its load (a loaded machine
 * gives slow, noisy times; states and steps do not depend on it).
 *
 *   node dist/scripts/checkbench.js [--jobs N] [--reductions] [--max-states N] [--max-seconds S]
 *
 * Each getters case runs with 1 job (the search on one thread) and with N (default: the
 * machine's cores; the search goes on on N workers once a layer holds 25,000 states, as
 * `pageref check --jobs N` does), side by side, and the table gives the ratio of their wall
 * times. Defaults: 12,000,000 states and 900 s per case, so that getters:4x2 on classic and
 * classic-optimistic (about 10 million states each) complete: those take minutes.
 * --reductions adds a table of states and steps (thread steps run) with each reduction
 * off and on.
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { CATALOG } from '../src/check/catalog.js';
import { parametricScenario } from '../src/check/parametric.js';
import { runScenario, scenarioProgram, type Scenario } from '../src/check/scenario.js';
import { scenarioSource } from '../src/check/scenarioSource.js';
import { explore, type ExploreOptions } from '../src/explore/explore.js';
import { exploreParallel } from '../src/explore/parallel/exploreParallel.js';
import type { StrategyName } from '../src/refcount/strategy.js';
import { STRATEGIES } from '../src/refcount/strategies.js';

const PRODUCTION = ['classic', 'classic-optimistic', 'frozen-bit'] as const;
const GETTERS = ['getters:3x1', 'getters:3x2', 'getters:3x3', 'getters:4x2'];
const REDUCTIONS: Record<string, ExploreOptions> = {
  none: { symmetry: false, sleepSets: false },
  symmetry: { symmetry: true, sleepSets: false },
  'sleep sets': { symmetry: false, sleepSets: true },
  both: { symmetry: true, sleepSets: true },
};

interface Measured {
  verdict: string;
  states: number;
  steps: number;
  ms: number;
  peakMB: number;
  /** Workers started (N jobs): 0 when no layer was wide enough to hand over. */
  workers?: number;
}

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};

/** One case in this process: prints one JSON line. */
async function child(
  scenario: string,
  strategy: string,
  reduction: string,
  jobs: number,
  maxStates: number,
  maxSeconds: number,
): Promise<void> {
  const limits = { maxStates, maxMs: maxSeconds * 1000, maxMemoryMB: 16_000 };
  let m: Omit<Measured, 'peakMB'>;
  if (scenario === 'catalog') m = catalog();
  else if (jobs > 1) {
    const t = performance.now();
    const source = scenarioSource({ scenario, strategy: { builtIn: strategy as StrategyName } });
    const r = await exploreParallel(source, { ...limits, jobs });
    const ms = performance.now() - t;
    m = { verdict: r.kind, states: r.states, steps: r.steps, ms, workers: r.workers };
  } else {
    const s = parametricScenario(scenario)!;
    m = oneThread(s, STRATEGIES[strategy as keyof typeof STRATEGIES], {
      ...limits,
      ...REDUCTIONS[reduction],
    });
  }
  const peakMB = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ ...m, peakMB }));
}

/** The whole catalog against all five strategies, median wall time of 5 runs. */
function catalog(): Omit<Measured, 'peakMB'> {
  const all = Object.values(STRATEGIES);
  runScenario(CATALOG[0]!, all[0]!, true); // load and compile before timing
  const walls: number[] = [];
  let states = 0;
  let steps = 0;
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    states = 0;
    steps = 0;
    for (const s of CATALOG) {
      for (const st of all) {
        const r = oneThread(s, st, {});
        states += r.states;
        steps += r.steps;
      }
    }
    walls.push(performance.now() - t);
  }
  walls.sort((a, b) => a - b);
  return { verdict: 'as expected', states, steps, ms: walls[2]! };
}

/** Explores on this thread. */
function oneThread(
  s: Scenario,
  strategy: (typeof STRATEGIES)[keyof typeof STRATEGIES],
  options: ExploreOptions,
): Omit<Measured, 'peakMB'> {
  const t = performance.now();
  const r = explore(scenarioProgram(s, strategy), options);
  return { verdict: r.kind, states: r.states, steps: r.steps, ms: performance.now() - t };
}

function run(
  scenario: string,
  strategy: string,
  reduction: string,
  jobs = 1,
  states?: number,
): Measured {
  const script = fileURLToPath(import.meta.url);
  // getters:4x2 × classic has 10.4 million states: the defaults let it finish
  const maxStates = states ?? flag('--max-states', 12_000_000);
  const maxSeconds = flag('--max-seconds', 900);
  const out = spawnSync(
    process.execPath,
    ['--max-old-space-size=8192', script, '--child', scenario, strategy, reduction].concat([
      String(jobs),
      String(maxStates),
      String(maxSeconds),
    ]),
    { encoding: 'utf8' },
  );
  if (out.status !== 0) throw new Error(`${scenario} × ${strategy}: ${out.stderr}`);
  return JSON.parse(out.stdout.trim().split('\n').at(-1)!) as Measured;
}

const n = (x: number) => Math.round(x).toLocaleString('en-US');
/** N, or N marked unused when the search ended on one thread (no layer was wide enough). */
const jobsText = (jobs: number, m: Measured) => (m.workers === 0 ? `${jobs} (unused)` : `${jobs}`);
const time = (ms: number) => (ms < 1000 ? `${ms.toFixed(1)} ms` : `${(ms / 1000).toFixed(2)} s`);
const row = (cells: string[]) => `| ${cells.join(' | ')} |`;

function parent(): void {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  const load = loadavg().map((l) => l.toFixed(1));
  console.log(
    `${cpu}, ${availableParallelism()} cores, Node ${process.version}; load average ${load.join(', ')} at the start\n`,
  );
  const jobs = flag('--jobs', availableParallelism());
  console.log(
    row([
      'case',
      'strategy',
      'jobs',
      'verdict',
      'states',
      'steps',
      'wall',
      'states/s',
      'peak RSS',
      '1 job / N',
    ]),
  );
  console.log(row(['---', '---', '--:', '---', '--:', '--:', '--:', '--:', '--:', '--:']));
  const line = (c: string, st: string, j: string, m: Measured, ratio = '') =>
    console.log(
      row([
        c,
        st,
        j,
        m.verdict,
        n(m.states),
        n(m.steps),
        time(m.ms),
        n(m.states / (m.ms / 1000)),
        `${n(m.peakMB)} MB`,
        ratio,
      ]),
    );
  line(`catalog (${CATALOG.length} scenarios)`, 'all five', '1', run('catalog', '', 'symmetry'));
  for (const c of GETTERS) {
    for (const st of PRODUCTION) {
      const one = run(c, st, 'symmetry');
      line(c, st, '1', one);
      const all = run(c, st, 'symmetry', jobs);
      line(c, st, jobsText(jobs, all), all, `${(one.ms / all.ms).toFixed(2)}×`);
    }
  }
  // memory at a million states: the search stopped there (incomplete)
  const c = 'getters:4x2 to 1M states';
  const one = run('getters:4x2', 'classic', 'symmetry', 1, 1_000_000);
  line(c, 'classic', '1', one);
  const all = run('getters:4x2', 'classic', 'symmetry', jobs, 1_000_000);
  line(c, 'classic', jobsText(jobs, all), all, `${(one.ms / all.ms).toFixed(2)}×`);

  if (!args.includes('--reductions')) return;
  console.log('\nStates and steps with each reduction (getters, classic):\n');
  console.log(row(['case', ...Object.keys(REDUCTIONS).map((r) => `${r}: states / steps`)]));
  console.log(row(['---', ...Object.keys(REDUCTIONS).map(() => '--:')]));
  for (const c of ['getters:3x1', 'getters:3x2', 'getters:4x1']) {
    const cells = Object.keys(REDUCTIONS).map((r) => {
      const m = run(c, 'classic', r);
      return `${n(m.states)} / ${n(m.steps)}${m.verdict === 'incomplete' ? ' (incomplete)' : ''}`;
    });
    console.log(row([c, ...cells]));
  }
}

if (args[0] === '--child') {
  const [scenario, strategy, reduction, jobs, maxStates, maxSeconds] = args.slice(1);
  await child(
    scenario!,
    strategy!,
    reduction!,
    Number(jobs),
    Number(maxStates),
    Number(maxSeconds),
  );
} else parent();
