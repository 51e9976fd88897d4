/**
 * The series as written, beside its ports: mainline page_ref.h, the RFC, v2 and v4, each
 * compiled from C (src/kernel/) out of the base header and the mails in kernel/, and run
 * through the catalog with its TypeScript port, so that a verdict about a port can be
 * checked against the text it ports. {@link sameRun} is what "the same" means: the same
 * verdict, the same violation kind and the same shortest counterexample, access by access
 * (operation, cell, values, ordering, thread and label).
 *
 * @module
 */

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { StrategyName } from '../refcount/strategy.js';
import { STRATEGIES } from '../refcount/strategies.js';
import { strategyFromC, type CStrategy, type KernelSource } from '../kernel/cStrategy.js';
import {
  expectation,
  runScenario,
  type Scenario,
  type ScenarioOptions,
  type ScenarioResult,
} from './scenario.js';

/** kernel/: the reconstructed base headers and the seed mails (kernel/README.md). */
export const KERNEL_DIR = fileURLToPath(new URL('../../../kernel/', import.meta.url));

/** One version of page_ref.h: its base, the mails that patch it, and its port. */
export interface KernelVersion {
  /** The C strategy's name: the version, marked as C. */
  name: string;
  port: StrategyName;
  /** Files under kernel/. */
  header: string;
  mails: readonly string[];
}

/** Mainline, the RFC (seed 000, on its own base), v2 (seed 004) and v4 (seed 002). */
export const KERNEL_VERSIONS: readonly KernelVersion[] = [
  { name: 'C:mainline', port: 'classic', header: 'page_ref.h', mails: [] },
  {
    name: 'C:rfc',
    port: 'rfc-v1',
    header: 'page_ref.rfc-base.h',
    mails: ['seeds/000_c8c2abcdf9244811.txt'],
  },
  {
    name: 'C:v2',
    port: 'v2-inverted',
    header: 'page_ref.h',
    mails: ['seeds/004_90422f2977c5f07a.txt'],
  },
  {
    name: 'C:v4',
    port: 'frozen-bit',
    header: 'page_ref.h',
    mails: ['seeds/002_e9374adfdd9a9d66.txt'],
  },
];

/** The files of a version, read. */
export function versionSource(v: KernelVersion, dir = KERNEL_DIR): KernelSource {
  const read = (f: string) => ({ text: readFileSync(dir + f, 'utf8'), file: `kernel/${f}` });
  return { header: read(v.header), mails: v.mails.map(read), name: v.name };
}

/** A version compiled from C. */
export const loadVersion = (v: KernelVersion): Promise<CStrategy> =>
  strategyFromC(versionSource(v));

/**
 * One scenario run against a strategy from C, searched as a built-in is (the interpreter is
 * this repository's own deterministic code, so no double replay, and symmetry holds), and
 * judged by its port's expectation.
 */
export function runFromC(
  s: Scenario,
  c: CStrategy,
  port: StrategyName,
  options: ScenarioOptions = {},
): ScenarioResult {
  const r = runScenario(s, c, true, options);
  return { ...r, expected: expectation(s, port, true) } as ScenarioResult;
}

/** Runs a scenario on the C and on its port. */
export function runBeside(
  s: Scenario,
  c: CStrategy,
  port: StrategyName,
  options: ScenarioOptions = {},
): { c: ScenarioResult; port: ScenarioResult } {
  return {
    c: runFromC(s, c, port, options),
    port: runScenario(s, STRATEGIES[port], true, options),
  };
}

/**
 * Why two runs differ, or undefined if they agree: the verdict, and for a violation its kind
 * and its shortest counterexample, access by access.
 */
export function sameRun(c: ScenarioResult, port: ScenarioResult): string | undefined {
  if (c.verdict !== port.verdict) return `verdict ${c.verdict} in C, ${port.verdict} in the port`;
  const [a, b] = [c.counterexample, port.counterexample];
  if (!a || !b) return undefined;
  if (a.kind !== b.kind) return `violation ${a.kind} in C, ${b.kind} in the port`;
  const steps = (x: typeof a) =>
    x.steps.map((s) => JSON.stringify({ thread: s.thread, ...(s.access ?? {}) }));
  const [sa, sb] = [steps(a), steps(b)];
  const i = sa.findIndex((s, k) => s !== sb[k]);
  if (i >= 0 || sa.length !== sb.length) {
    const k = i >= 0 ? i : Math.min(sa.length, sb.length);
    return `counterexamples differ at step ${k + 1}: C ${sa[k] ?? '(ends)'}, port ${sb[k] ?? '(ends)'}`;
  }
  return undefined;
}
