/**
 * The Linux-kernel memory model (tools/memory-model in the Linux tree: linux-kernel.bell,
 * linux-kernel.cat, lock.cat; herd7's linux-kernel.cfg, variant lkmmv2), as a MemoryModel.
 *
 * The relations are written by hand in TypeScript, line for line after the .cat text, each
 * with its cat line as a comment (lkmm/bell.ts, lkmm/lockCat.ts, lkmm/cat.ts, lkmm/races.ts),
 * not by interpreting .cat: herd7's standard library (cross.cat, cos-opt.cat) is not shipped
 * with the model, the type checker checks the translation, and it is fast.
 *
 * An execution is allowed when every axiom holds; herd7 stops at the first failing one, so
 * that is the one named. Flags are reported only for allowed executions, as herd7 does.
 */

import type { Execution } from '../execution.js';
import type { MemoryModel, Verdict } from './model.js';
import { linuxKernelCat, type Cat } from './lkmm/cat.js';
import { races, type Races } from './lkmm/races.js';

/** Every relation of the model for one execution, for tests and for explaining a verdict. */
export function lkmmRelations(x: Execution): Cat & { races: Races } {
  const cat = linuxKernelCat(x);
  return { ...cat, races: races(x, cat) };
}

export const LKMM: MemoryModel = {
  name: 'lkmm',
  title: 'Linux-kernel memory model (tools/memory-model, herd7 linux-kernel.cfg, lkmmv2)',
  requiresCoherence: true,
  check(x: Execution): Verdict {
    const r = lkmmRelations(x);
    const failed = [...r.axioms, r.races.axiom].find(([, holds]) => !holds);
    if (failed) return { allowed: false, axiom: failed[0] };
    return { allowed: true, flags: [...r.bell.flags, ...r.lock.flags, ...r.races.flags] };
  },
};
