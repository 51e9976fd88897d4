/**
 * Speed of the axiomatic checker (a benchmark, not a test), beside herd7's figures: the start-up
 * of a `pageref check` process that runs a trivial test (against `node -e 0`, node's own
 * start-up), then each of the kernel's 35 litmus tests under LKMM in one process, then all 35
 * in one process, and the refcount litmus tests if present. Each per-test figure is the median
 * of a few runs after one warm-up run of everything; the load average is printed before and
 * after, since on a loaded machine every figure here is slower and noisier.
 *
 *   npm run build && npm run litmusbench [-- --model sc] [-- --reps 5] [-- --startup-reps 11]
 *     [-- --herd7 PATH --lkmm-dir DIR]
 *
 * With `--herd7` (a herd7 binary, see ../shared/docs/HERD7.md) and `--lkmm-dir` (the directory
 * of the kernel's linux-kernel.cfg and its model files, where herd7 must run), herd7 is
 * measured in the same run, interleaved with pageref: its start-up on the same trivial test,
 * and the 35 kernel tests in one herd7 process. Without them, herd7's figures are those of
 * issue 19 (herd7 7.58 built from source on another busy machine, over 221 LKMM tests).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { checkLitmusModel } from '../src/litmus/modelRun.js';
import { modelByName } from '../src/axiomatic/models/index.js';
import { median } from '../src/bench/experiment.js';

/** herd7 7.58 in issue 19 (busy machine, 221 LKMM tests): seconds. */
const HERD7 = { perProcess: 0.074, onePass: 2.3, files: 221 };

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const model = modelByName(arg('--model', 'lkmm'));
if (!model) throw new Error(`unknown model: expected lkmm or sc`);
const reps = Number(arg('--reps', '5'));
const herd7 = arg('--herd7', '');
const lkmmDir = arg('--lkmm-dir', '');
if (Boolean(herd7) !== Boolean(lkmmDir)) throw new Error('--herd7 and --lkmm-dir go together');
const startupReps = Number(arg('--startup-reps', '11'));
const root = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));
const dirs = [root('test/fixtures/litmus/kernel/'), root('litmus/refcount/')].filter(existsSync);
const files = dirs.flatMap((d) =>
  readdirSync(d)
    .filter((f) => f.endsWith('.litmus'))
    .sort()
    .map((f) => d + f),
);

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
console.log(`load average (1, 5, 15 min) before: ${load()}`);

/**
 * One process's wall-clock ms, from spawn to exit, and its CPU ms (user + system, as the
 * shell's `times` gives them, in clock ticks of 10 ms): on a loaded machine the wall clock
 * includes the time spent waiting for a core, the CPU time does not.
 */
function measure(args: string[], command = process.execPath, cwd = root('')) {
  const quoted = [command, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`);
  const t = performance.now();
  const r = spawnSync('/bin/sh', ['-c', `${quoted.join(' ')} >/dev/null 2>&1 || exit 1; times`], {
    cwd,
    encoding: 'utf8',
  });
  const wall = performance.now() - t;
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')}: exit ${r.status}`);
  // the second line: the children's user and system times, "0m0.120s 0m0.030s"
  const [user = 0, sys = 0] = (r.stdout.split('\n')[1] ?? '')
    .split(' ')
    .map((t) => /^(\d+)m([\d.]+)s$/.exec(t))
    .map((m) => (m ? (Number(m[1]) * 60 + Number(m[2])) * 1000 : 0));
  return { wall, cpu: user + sys };
}
const trivial = root('test/fixtures/litmus/kernel/CoWW+poonceonce.litmus');
const herd7Args = (files: string[]) => ['-conf', 'linux-kernel.cfg', ...files];
type Cost = { wall: number; cpu: number };
const processes: (readonly [string, () => Cost])[] = [
  ['node -e 0 (node alone)', () => measure(['-e', '0'])],
  ['pageref --version', () => measure(['dist/src/cli/main.js', '--version'])],
  [
    'pageref check CoWW+poonceonce.litmus',
    () => measure(['dist/src/cli/main.js', 'check', trivial]),
  ],
  ...(herd7
    ? ([
        ['herd7 CoWW+poonceonce.litmus', () => measure(herd7Args([trivial]), herd7, lkmmDir)],
      ] as const)
    : []),
];
const runs = processes.map(() => [] as { wall: number; cpu: number }[]);
for (let i = 0; i < startupReps; i++) processes.forEach(([, m], j) => runs[j]!.push(m()));
console.log(`\nstart-up: one process each, ${startupReps} runs interleaved, median (min), ms`);
console.log(`${'process'.padEnd(40)} ${'wall'.padStart(16)} ${'CPU'.padStart(16)}`);
const cell = (xs: number[]) =>
  `${median(xs).toFixed(0)} (${Math.min(...xs).toFixed(0)})`.padStart(16);
processes.forEach(([name], j) =>
  console.log(
    `${name.padEnd(40)} ${cell(runs[j]!.map((r) => r.wall))} ${cell(runs[j]!.map((r) => r.cpu))}`,
  ),
);
if (!herd7)
  console.log(
    `${'herd7 7.58 (issue 19)'.padEnd(40)} ${`${(HERD7.perProcess * 1000).toFixed(0)}`.padStart(16)}`,
  );

for (const f of files) checkLitmusModel(f, model); // warm-up: load and compile

const herdPerTest = (HERD7.onePass * 1000) / HERD7.files;
console.log(`\nmodel ${model.name}, one process, median of ${reps} runs, ms`);
console.log(
  `(* : slower than herd7's ${herdPerTest.toFixed(1)} ms a test, ${HERD7.onePass} s for ${HERD7.files} tests in one process)`,
);
console.log(
  `${'test'.padEnd(64)} ${'ms'.padStart(8)} ${'CPU ms'.padStart(8)} ${'execs'.padStart(7)}`,
);
/** A run's wall-clock ms (the run's own figure) and this process's CPU ms over it. */
function timed(f: string) {
  const c = process.cpuUsage();
  const run = checkLitmusModel(f, model!);
  const u = process.cpuUsage(c);
  return { run, ms: run.ms, cpu: (u.user + u.system) / 1000 };
}
const kernelMs: number[] = [];
const kernelCpu: number[] = [];
let slowest = 0;
for (const f of files) {
  const runs = Array.from({ length: reps }, () => timed(f));
  const ms = median(runs.map((r) => r.ms));
  const cpu = median(runs.map((r) => r.cpu));
  slowest = Math.max(slowest, ms);
  if (f.includes('/kernel/')) {
    kernelMs.push(ms);
    kernelCpu.push(cpu);
  }
  const name = f.slice(f.lastIndexOf('/') + 1).replace(/\.litmus$/, '');
  console.log(
    `${name.padEnd(64)} ${ms.toFixed(2).padStart(8)} ${cpu.toFixed(2).padStart(8)} ${String(runs[0]!.run.result.explored).padStart(7)}${ms > herdPerTest ? ' *' : ''}`,
  );
}
const kernel = files.filter((f) => f.includes('/kernel/'));
const passes = Array.from({ length: reps }, () => {
  const t = performance.now();
  for (const f of kernel) checkLitmusModel(f, model);
  return performance.now() - t;
});
console.log(`\nslowest test: ${slowest.toFixed(2)} ms`);
console.log(
  `median kernel test: ${median(kernelMs).toFixed(2)} ms, CPU ${median(kernelCpu).toFixed(2)} ms (herd7: ${herdPerTest.toFixed(1)} ms a test on average)`,
);
console.log(
  `all ${kernel.length} kernel tests in one process: ${median(passes).toFixed(1)} ms, ${(median(passes) / kernel.length).toFixed(2)} ms a test`,
);
if (herd7) {
  // herd7 over the same files in one process, and pageref's whole command likewise, interleaved
  const whole: Record<string, Cost[]> = { herd7: [], pageref: [] };
  for (let i = 0; i < reps; i++) {
    whole.herd7!.push(measure(herd7Args(kernel), herd7, lkmmDir));
    whole.pageref!.push(measure(['dist/src/cli/main.js', 'check', ...kernel]));
  }
  console.log(
    `\nthe ${kernel.length} kernel tests, one process each command, ${reps} runs interleaved, median (min), ms`,
  );
  for (const [name, xs] of Object.entries(whole))
    console.log(
      `${`${name} (process included)`.padEnd(40)} ${cell(xs.map((r) => r.wall))} ${cell(xs.map((r) => r.cpu))}`,
    );
}
console.log(`load average (1, 5, 15 min) after: ${load()}`);
