/**
 * Speed of the axiomatic checker (a benchmark, not a test): each of the kernel's 35 litmus
 * tests under LKMM, then all 35 in one process, and the refcount litmus tests if present.
 * Each figure is the median of a few runs after one warm-up run of everything.
 *
 *   npm run build && npm run litmusbench [-- --model sc] [-- --reps 5]
 */
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkLitmusModel } from '../src/litmus/modelRun.js';
import { modelByName } from '../src/axiomatic/models/index.js';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const model = modelByName(arg('--model', 'lkmm'));
if (!model) throw new Error(`unknown model: expected lkmm or sc`);
const reps = Number(arg('--reps', '5'));
const root = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));
const dirs = [root('test/fixtures/litmus/kernel/'), root('litmus/refcount/')].filter(existsSync);
const files = dirs.flatMap((d) =>
  readdirSync(d)
    .filter((f) => f.endsWith('.litmus'))
    .sort()
    .map((f) => d + f),
);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
for (const f of files) checkLitmusModel(f, model); // warm-up: load and compile

console.log(`model ${model.name}, median of ${reps} runs, ms`);
console.log(`${'test'.padEnd(64)} ${'ms'.padStart(8)} ${'execs'.padStart(7)}`);
let slowest = 0;
for (const f of files) {
  const runs = Array.from({ length: reps }, () => checkLitmusModel(f, model));
  const ms = median(runs.map((r) => r.ms));
  slowest = Math.max(slowest, ms);
  const name = f.slice(f.lastIndexOf('/') + 1).replace(/\.litmus$/, '');
  console.log(
    `${name.padEnd(64)} ${ms.toFixed(2).padStart(8)} ${String(runs[0]!.result.explored).padStart(7)}`,
  );
}
const kernel = files.filter((f) => f.includes('/kernel/'));
const walls = Array.from({ length: reps }, () => {
  const t = performance.now();
  for (const f of kernel) checkLitmusModel(f, model);
  return performance.now() - t;
});
console.log(`\nslowest test: ${slowest.toFixed(2)} ms`);
console.log(`all ${kernel.length} kernel tests in one process: ${median(walls).toFixed(1)} ms`);
