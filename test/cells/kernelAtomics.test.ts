/**
 * The table of kernel calls (src/cells/kernelAtomics.ts) against herd7's linux-kernel.def as
 * src/litmus/primitives.ts has it: every call that herd7 knows has the same tag there, and
 * the same kind of access, so the strategies' orderings and the litmus tests' cannot drift.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import {
  KERNEL_ATOMICS,
  KERNEL_FALLBACKS,
  LKMM_TAG,
  type CellsMethod,
  type KernelCall,
} from '../../src/cells/kernelAtomics.js';
import { PRIMITIVES, type Semantics } from '../../src/litmus/primitives.js';

/** The Cells method that does what a herd7 primitive does, and the primitive's tag. */
function asCells(sem: Semantics): { method: CellsMethod; annot: string } | undefined {
  switch (sem.op) {
    case 'load':
    case 'store':
      // a C11 access (annot null) is no kernel call
      return sem.annot === null ? undefined : { method: sem.op, annot: sem.annot };
    case 'atomic':
      if (sem.apply === '+') return { method: 'add', annot: sem.annot };
      if (sem.apply === '-') return { method: 'sub', annot: sem.annot };
      return undefined;
    case 'cmpxchg':
      return { method: 'cas', annot: sem.annot };
    default:
      return undefined;
  }
}

it('every kernel call herd7 knows has the method and tag linux-kernel.def gives it', () => {
  const checked: string[] = [];
  for (const [name, { method, order }] of Object.entries(KERNEL_ATOMICS)) {
    const prim = PRIMITIVES.get(name);
    if (!prim) continue;
    assert.deepEqual(asCells(prim.sem), { method, annot: LKMM_TAG[order] }, name);
    checked.push(name);
  }
  // herd7 has every call of the table but the try_cmpxchg family
  const absent = Object.keys(KERNEL_ATOMICS).filter((k) => !checked.includes(k));
  assert.deepEqual(absent, [
    'atomic_try_cmpxchg',
    'atomic_try_cmpxchg_acquire',
    'atomic_try_cmpxchg_release',
    'atomic_try_cmpxchg_relaxed',
  ]);
});

it('atomic_try_cmpxchg has the orderings of atomic_cmpxchg', () => {
  for (const suffix of ['', '_acquire', '_release', '_relaxed']) {
    const tried = KERNEL_ATOMICS[`atomic_try_cmpxchg${suffix}` as KernelCall];
    assert.deepEqual(tried, KERNEL_ATOMICS[`atomic_cmpxchg${suffix}` as KernelCall]);
  }
});

it('atomic_add_unless: its fallback ends in a fully ordered cmpxchg, as herd7 tags it MB', () => {
  const steps = KERNEL_FALLBACKS.atomic_add_unless;
  assert.equal(KERNEL_ATOMICS[steps.at(-1)!].order, 'mb');
  assert.equal(PRIMITIVES.get('atomic_add_unless')!.sem.op, 'add_unless');
  assert.equal((PRIMITIVES.get('atomic_add_unless')!.sem as { annot: string }).annot, 'MB');
});
