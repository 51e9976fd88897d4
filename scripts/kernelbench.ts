/**
 * Speed of checking page_ref.h as written (a benchmark, not a test): per version, the time
 * to patch, parse and compile the header (the first one also loads the C grammar), and the
 * catalog's exploration time under SC for the C and for its port; then v4 end to end and all
 * four end to end, each in a fresh process (node start-up excluded, grammar load included).
 * Goals (issue 17): v4 end to end under 5 s, all four under 15 s, the C within 3× its port.
 * Prints a markdown table headed by the machine and its load.
 *
 *   node dist/scripts/kernelbench.js
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { CATALOG } from '../src/check/catalog.js';
import { KERNEL_VERSIONS, loadVersion, runFromC } from '../src/check/kernelVersions.js';
import { runScenario } from '../src/check/scenario.js';
import { STRATEGIES } from '../src/refcount/strategies.js';

interface Measured {
  version: string;
  port: string;
  loadMs: number;
  cMs: number;
  portMs: number;
}

/** The versions named (all if none), each loaded and run through the catalog, C and port. */
async function measure(ports: readonly string[]): Promise<{ rows: Measured[]; wallMs: number }> {
  const started = performance.now();
  const rows: Measured[] = [];
  for (const v of KERNEL_VERSIONS.filter((v) => ports.length === 0 || ports.includes(v.port))) {
    const t0 = performance.now();
    const c = await loadVersion(v);
    const loadMs = performance.now() - t0;
    let [cMs, portMs] = [0, 0];
    for (const s of CATALOG) {
      cMs += runFromC(s, c, v.port).ms;
      portMs += runScenario(s, STRATEGIES[v.port], true).ms;
    }
    rows.push({ version: v.name, port: v.port, loadMs, cMs, portMs });
  }
  // the end-to-end time counts the C's side only: load, patch, parse, compile, explore
  const portMs = rows.reduce((n, r) => n + r.portMs, 0);
  return { rows, wallMs: performance.now() - started - portMs };
}

const args = process.argv.slice(2);
if (args[0] === '--child') {
  console.log(JSON.stringify(await measure(args.slice(1))));
} else {
  const run = (ports: string[]) => {
    const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', ...ports], {
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(r.stderr);
    return JSON.parse(r.stdout) as Awaited<ReturnType<typeof measure>>;
  };
  const before = loadavg()[0]!.toFixed(2);
  const v4 = run(['frozen-bit']);
  const all = run([]);
  const s = (ms: number) => (ms / 1000).toFixed(2);
  console.log(
    `${cpus()[0]?.model ?? 'cpu'}, ${availableParallelism()} cores, load ${before} before, ${loadavg()[0]!.toFixed(2)} after\n`,
  );
  console.log(
    '| version | port | patch + parse + compile (s) | C explores (s) | port explores (s) | C / port |',
  );
  console.log('|---|---|---|---|---|---|');
  for (const r of all.rows)
    console.log(
      `| ${r.version} | ${r.port} | ${s(r.loadMs)} | ${s(r.cMs)} | ${s(r.portMs)} | ${(r.cMs / r.portMs).toFixed(2)} |`,
    );
  console.log(
    `\nEnd to end, C only (fresh process; grammar load, patch, parse, compile, catalog under SC): v4 ${s(v4.wallMs)} s (goal < 5 s), all four ${s(all.wallMs)} s (goal < 15 s).`,
  );
}
