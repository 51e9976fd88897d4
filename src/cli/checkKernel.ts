import { readFileSync, existsSync } from 'node:fs';
import type { Scenario, ScenarioResult } from '../check/scenario.js';
import { expectation, runScenario } from '../check/scenario.js';
import { allAsExpected } from '../check/runCatalog.js';
import { formatCatalogRun } from '../check/format.js';
import { runFromC, sameRun } from '../check/kernelVersions.js';
import { STRATEGIES, isStrategyName } from '../refcount/strategies.js';
import { strategyFromC } from '../kernel/cStrategy.js';
import { CRefused } from '../kernel/cHeader.js';
import { PatchRefused } from '../kernel/patch.js';
import { UsageError } from './usageError.js';
import { unknownStrategy } from './options.js';

/**
 * `pageref check --kernel-header FILE [--patch MAIL…] [--beside PORT]`: the page_ref
 * functions of a header, patched by mails, checked against the catalog under SC, in this
 * process (the code run is this repository's own interpreter of the C, never the user's
 * JavaScript, so no isolation is needed). With `--beside`, the port runs too and every
 * difference of verdict or counterexample is listed.
 */
export interface KernelCheckOptions {
  kernelHeader: string;
  patch?: string[];
  beside?: string;
}

/** @returns true if every verdict is as the catalog expects and, with --beside, the same. */
export async function checkKernelHeader(
  scenarios: readonly Scenario[],
  o: KernelCheckOptions,
  json: boolean,
): Promise<boolean> {
  const read = (file: string, what: string) => {
    if (!existsSync(file)) throw new UsageError(`${what} not found: ${file}`);
    return { text: readFileSync(file, 'utf8'), file };
  };
  const port = o.beside;
  if (port !== undefined && !isStrategyName(port)) throw unknownStrategy(port);
  let c;
  try {
    c = await strategyFromC({
      header: read(o.kernelHeader, 'kernel header'),
      mails: (o.patch ?? []).map((m) => read(m, 'patch mail')),
    });
  } catch (e) {
    // a hunk that does not apply, or C outside the subset: the input's fault, located
    if (e instanceof PatchRefused || e instanceof CRefused) throw new UsageError(e.message);
    throw e;
  }
  const results: ScenarioResult[] = [];
  const differences: string[] = [];
  for (const s of scenarios) {
    if (port === undefined) {
      const r = runScenario(s, c, true);
      results.push({ ...r, expected: expectation(s, c.name, false) } as ScenarioResult);
      continue;
    }
    const r = runFromC(s, c, port);
    const p = runScenario(s, STRATEGIES[port], true);
    results.push(r, p);
    const why = sameRun(r, p);
    if (why) differences.push(`${s.name}: ${why}`);
  }
  if (json) {
    console.log(
      JSON.stringify(
        { model: 'sc', strategy: c.name, sources: c.sources, results, differences },
        null,
        2,
      ),
    );
  } else {
    console.log(formatCatalogRun(results));
    if (port !== undefined)
      console.log(
        differences.length === 0
          ? `\n${c.name} and ${port} agree on every scenario: verdict and shortest counterexample, access by access.`
          : `\n${c.name} and ${port} differ:\n${differences.map((d) => `  ${d}`).join('\n')}`,
      );
  }
  return allAsExpected(results) && differences.length === 0;
}
