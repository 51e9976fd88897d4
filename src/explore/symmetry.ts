/**
 * Symmetry reduction: threads that run the same body are interchangeable, so a state and
 * the state with two such threads' local states swapped have the same futures up to the
 * swap. The explorer keys a state by a canonical representative of its orbit, and the
 * permutations merge (Ip and Dill, "Better verification through symmetry", 1996).
 *
 * Sound when the program is symmetric under each permutation within a class:
 * - the threads of a class run the same body, which sees its thread index only through
 *   the world's bookkeeping (ghost updates name threads consistently);
 * - memory names no thread (the refcount scenarios' cells hold counts, types and flags);
 * - the initial world is symmetric: checked here, and a class whose swap changes the
 *   initial world's key is dropped (the reduction then does not apply to it).
 * Transitions are then equivariant, so each orbit is reached at the same depth as its
 * members and a violation in one member is one in all; since the search keeps the first
 * state of each orbit in breadth-first order, it expands exactly the states an unreduced
 * search expands first, and returns the same shortest counterexample.
 */

/** Orders a program's symmetric threads, and keys a state by its orbit. */
export interface SymmetryKey<W> {
  /** Groups of ≥ 2 interchangeable threads, each sorted by index. */
  readonly classes: readonly (readonly number[])[];
  /**
   * The canonical form of (logs, world): `logs` reordered in place so that each class's
   * log ids ascend, and the world's key under the matching renaming of threads (ties between
   * equal logs broken by the smallest world key, so that every member of an orbit gets the
   * same form).
   */
  canonical(logs: number[], world: W): string;
  /** The first half of `canonical`: reorders `logs`, and says how the threads were renamed. */
  arrange(logs: number[]): Arrangement;
  /** The second half: the world's key under the arrangement. */
  worldUnder(world: W, a: Arrangement): string;
}

/**
 * How `arrange` renamed the threads (thread t is now called rename[t]), and which threads,
 * by their new names, hold equal logs (ties: any order of them is as good).
 */
export interface Arrangement {
  rename: number[];
  ties: number[][];
}

type WorldKey<W> = (world: W, rename?: readonly number[]) => string;

/**
 * The symmetry of a program, or undefined if it has none: `classOf[t]` names thread t's
 * class; classes whose swap does not preserve the initial world are dropped.
 */
export function symmetryOf<W>(
  classOf: readonly number[] | undefined,
  worldKey: WorldKey<W>,
  initialWorld: W,
): SymmetryKey<W> | undefined {
  if (!classOf) return undefined;
  const n = classOf.length;
  const groups = new Map<number, number[]>();
  classOf.forEach((c, t) => groups.set(c, [...(groups.get(c) ?? []), t]));
  const identity = Array.from({ length: n }, (_, t) => t);
  const base = worldKey(initialWorld);
  const symmetric = (a: number, b: number) => {
    const swap = identity.slice();
    [swap[a], swap[b]] = [b, a];
    return worldKey(initialWorld, swap) === base;
  };
  // adjacent transpositions generate the class's whole symmetric group
  const classes = [...groups.values()].filter(
    (g) => g.length >= 2 && g.every((t, i) => i === 0 || symmetric(g[i - 1]!, t)),
  );
  if (classes.length === 0) return undefined;
  return {
    classes,
    canonical: (logs, world) => worldUnder(worldKey, world, arrange(classes, identity, logs)),
    arrange: (logs) => arrange(classes, identity, logs),
    worldUnder: (world, a) => worldUnder(worldKey, world, a),
  };
}

function arrange(
  classes: readonly (readonly number[])[],
  identity: readonly number[],
  logs: number[],
): Arrangement {
  const rename = identity.slice();
  const ties: number[][] = []; // positions (after sorting) that hold equal logs
  for (const members of classes) {
    const order = members.slice().sort((a, b) => logs[a]! - logs[b]!);
    const sorted = order.map((t) => logs[t]!);
    order.forEach((t, j) => (rename[t] = members[j]!));
    members.forEach((t, j) => (logs[t] = sorted[j]!));
    for (let j = 0; j < members.length;) {
      let k = j + 1;
      while (k < members.length && sorted[k] === sorted[j]) k++;
      if (k - j >= 2) ties.push(members.slice(j, k));
      j = k;
    }
  }
  return { rename, ties };
}

function worldUnder<W>(worldKey: WorldKey<W>, world: W, { rename, ties }: Arrangement): string {
  if (ties.length === 0) return worldKey(world, rename);
  // Threads with equal logs may still differ in the world (what they hold, what they
  // destroyed): take the smallest key over their arrangements.
  let best: string | undefined;
  for (const r of arrangements(rename, ties)) {
    const key = worldKey(world, r);
    if (best === undefined || key < best) best = key;
  }
  return best!;
}

/** Every renaming that differs from `rename` by a permutation of the targets within each tie. */
function* arrangements(rename: readonly number[], ties: number[][]): Generator<number[]> {
  if (ties.length === 0) {
    yield rename.slice();
    return;
  }
  const [tie, ...rest] = ties as [number[], ...number[][]];
  const sources = rename.map((_, t) => t).filter((t) => tie.includes(rename[t]!));
  for (const targets of permutations(tie)) {
    const r = rename.slice();
    sources.forEach((s, i) => (r[s] = targets[i]!));
    yield* arrangements(r, rest);
  }
}

function* permutations(xs: readonly number[]): Generator<number[]> {
  if (xs.length <= 1) {
    yield xs.slice();
    return;
  }
  for (let i = 0; i < xs.length; i++) {
    const rest = [...xs.slice(0, i), ...xs.slice(i + 1)];
    for (const p of permutations(rest)) yield [xs[i]!, ...p];
  }
}

/**
 * A number that identifies an arrangement of up to 8 threads (rename as base-n digits, then
 * each thread's tie group as base-(n+1) digits: below 2^50), or undefined for more threads.
 */
export function arrangementCode({ rename, ties }: Arrangement): number | undefined {
  const n = rename.length;
  if (n > 8) return undefined;
  let code = 0;
  for (let t = 0; t < n; t++) code = code * n + rename[t]!;
  const group = Array<number>(n).fill(0);
  ties.forEach((tie, g) => tie.forEach((t) => (group[t] = g + 1)));
  for (let t = 0; t < n; t++) code = code * (n + 1) + group[t]!;
  return code;
}
