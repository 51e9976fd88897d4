/**
 * Speed of the checker (a benchmark, not a test): wall time of the whole catalog against
 * every strategy, states per second, and a larger 3-thread scenario.
 *
 *   node dist/scripts/checkbench.js
 */
import { CATALOG } from '../src/check/catalog.js';
import { runScenario, type Scenario } from '../src/check/scenario.js';
import { STRATEGIES } from '../src/refcount/strategies.js';
import { X } from '../src/check/world.js';

function timed<T>(f: () => T): [T, number] {
  const t = performance.now();
  const r = f();
  return [r, performance.now() - t];
}

const all = Object.values(STRATEGIES);
runScenario(CATALOG[0]!, all[0]!, true); // load and compile before timing
const reps = 5;
const walls: number[] = [];
let states = 0;
for (let i = 0; i < reps; i++) {
  const [results, ms] = timed(() =>
    CATALOG.flatMap((s) => all.map((st) => runScenario(s, st, true))),
  );
  walls.push(ms);
  states = results.reduce((n, r) => n + r.states, 0);
}
walls.sort((a, b) => a - b);
const median = walls[reps >> 1]!;
console.log(`catalog: ${CATALOG.length} scenarios × ${all.length} strategies, ${states} states`);
console.log(
  `  wall time median ${median.toFixed(1)} ms (min ${walls[0]!.toFixed(1)}, max ${walls.at(-1)!.toFixed(1)}) over ${reps} runs`,
);
console.log(`  ${Math.round(states / (median / 1000)).toLocaleString('en')} states/s`);

// Three threads, each getting and putting the page twice with a use in between; ~30 shared
// accesses in all with debug checks and the free path.
const ROUNDS = Number(process.argv[2] ?? 1);
const heavy: Scenario = {
  name: 'three-getters',
  description:
    'three threads each get, use and put a page ROUNDS times, then drop their own reference',
  seed: 'bench',
  pages: 1,
  violates: [],
  setup: (s) => (s.refs.set(0, 3), s.live(0, X, [1, 1, 1])),
  threads: [0, 1, 2].map(() => ({
    name: 'getter',
    body: (o) => {
      for (let i = 0; i < ROUNDS; i++) {
        if (!o.get(0)) continue;
        o.touch(0);
        o.put(0);
      }
      o.put(0);
    },
  })),
};
for (const st of ['classic', 'frozen-bit'] as const) {
  const r = runScenario(heavy, STRATEGIES[st], true);
  console.log(
    `three-getters × ${st}: ${r.verdict}, ${r.states} states in ${r.ms} ms (${Math.round(r.states / (r.ms / 1000)).toLocaleString('en')} states/s)`,
  );
}
