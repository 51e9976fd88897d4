import { fileURLToPath } from 'node:url';
import { readdirSync } from 'node:fs';
import { CATALOG } from '../check/catalog.js';
import { runCatalog } from '../check/runCatalog.js';
import type { ScenarioResult } from '../check/scenario.js';
import { STRATEGIES } from '../refcount/strategies.js';
import { checkLitmusModel, type ModelLitmusRun } from '../litmus/modelRun.js';
import { LKMM } from '../axiomatic/models/index.js';
import { machine, runExperiment, BENCH_STRATEGIES, type BenchResult } from '../bench/experiment.js';
import { WORKLOADS } from '../bench/workloads.js';
import { KERNEL_VERSIONS, loadVersion, runFromC, sameRun } from '../check/kernelVersions.js';
import { runCatalogLkmm } from '../check/lkmm/runLkmm.js';
import type { LkmmResult } from '../check/lkmm/lkmmResult.js';

/** Seconds each LKMM run of the report may take before it is `incomplete`. */
export const REPORT_LKMM_SECONDS = 5;

/** Everything the report shows, gathered by running the checker, the litmus tests and the bench. */
export interface ReportData {
  generated: string;
  machine: BenchResult['machine'];
  results: ScenarioResult[];
  /** The same catalog × strategies under LKMM (src/check/lkmm), each named by its model. */
  lkmm: LkmmResult[];
  /** The shipped litmus tests under LKMM (the model is named in each run). */
  litmus: ModelLitmusRun[];
  bench: BenchResult | undefined;
  /** The series as written, compiled from C, against each port (kernelVersions.ts). */
  kernel: KernelFidelity[];
}

/** The authors' four litmus files, shipped with the package. */
export const SEED_LITMUS_DIR = fileURLToPath(new URL('../../../litmus/seeds/', import.meta.url));
/** The v4 frozen-bit functions' litmus tests (litmus/refcount/README.md). */
export const REFCOUNT_LITMUS_DIR = fileURLToPath(
  new URL('../../../litmus/refcount/', import.meta.url),
);

export async function collectReport(options: {
  bench: boolean;
  progress: (line: string) => void;
}): Promise<ReportData> {
  options.progress('checker: every scenario × every strategy');
  const strategies = Object.values(STRATEGIES).map((strategy) => ({ strategy, builtIn: true }));
  const results = runCatalog(CATALOG, strategies);
  options.progress(
    'checker: the series as written (page_ref.h compiled from kernel/) beside its ports',
  );
  const kernel = await kernelBeside(results);
  results.push(...kernel.results);
  options.progress(
    'checker under LKMM: every scenario × every strategy, the code over recording cells',
  );
  const lkmm = runCatalogLkmm(CATALOG, Object.values(STRATEGIES), {
    maxSeconds: REPORT_LKMM_SECONDS,
  });
  options.progress(`litmus: the seed and refcount tests under ${LKMM.name}`);
  const litmus = [SEED_LITMUS_DIR, REFCOUNT_LITMUS_DIR].flatMap((dir) =>
    readdirSync(dir)
      .filter((f) => f.endsWith('.litmus'))
      .sort()
      .map((f) => checkLitmusModel(dir + f, LKMM)),
  );
  let bench: BenchResult | undefined;
  if (options.bench) {
    options.progress('bench: a quick run (1 and 2 workers, 250 ms × 2 repetitions)');
    bench = await runExperiment(
      {
        workloads: [...WORKLOADS],
        strategies: [...BENCH_STRATEGIES],
        workers: [1, 2],
        durationMs: 250,
        warmupMs: 100,
        repetitions: 2,
      },
      (line) => options.progress(`bench ${line}`),
    );
  }
  return {
    generated: new Date().toISOString(),
    machine: machine(),
    results,
    lkmm,
    litmus,
    bench,
    kernel: kernel.fidelity,
  };
}

/** One version's C beside its port: every scenario where the two runs differ (sameRun). */
export interface KernelFidelity {
  version: string;
  port: string;
  differences: string[];
}

/** Each version of page_ref.h compiled from C and run through the catalog, beside `ports`. */
async function kernelBeside(ports: readonly ScenarioResult[]) {
  const results: ScenarioResult[] = [];
  const fidelity: KernelFidelity[] = [];
  for (const v of KERNEL_VERSIONS) {
    const c = await loadVersion(v);
    const differences: string[] = [];
    for (const s of CATALOG) {
      const r = runFromC(s, c, v.port);
      const port = ports.find((p) => p.scenario === s.name && p.strategy === v.port)!;
      const why = sameRun(r, port);
      if (why) differences.push(`${s.name}: ${why}`);
      results.push(r);
    }
    fidelity.push({ version: v.name, port: v.port, differences });
  }
  return { results, fidelity };
}
