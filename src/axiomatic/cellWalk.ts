/**
 * Which values can really reach a location, given what each thread's runs do to it: a walk
 * over the interleavings of the threads' accesses to that one location, in which each read
 * returns the value of the latest write.
 *
 * Why this is enough (and loses nothing). Coherence (`acyclic po-loc | rf | co | fr`) is
 * sequential consistency per location: the accesses to one location of any execution that
 * LKMM (or SC) allows can be put in one total order that keeps each thread's program order,
 * in which each read reads the latest write before it and each RMW's read and write are
 * adjacent (atomicity). Each thread's accesses to the location in that order are the
 * location's part of one of its runs. So every value that location holds in an allowed
 * execution is reached by a walk that, step by step, lets one thread do its next access to
 * the location as one of its runs does it: a read only if it returns the current value, an
 * RMW only if its read does, a plain write always. Each thread's runs differ in what they
 * read elsewhere, so a thread's accesses to the location form a tree, and the walk follows
 * any branch.
 *
 * codeTraces.ts keeps a value in a read's domain only if this walk reaches it. Before, the
 * fixpoint kept every value some run wrote: a put that reads the frozen value an evictor's
 * freeze wrote, when that freeze needs the put's own decrement first, wrote a value no
 * execution holds, and an overflow guard's retry loop then read chains of such values
 * (freeze-put-get: more than 20,000 runs of one thread).
 */

import type { ThreadTrace } from './events.js';

/** One thread's accesses to one location as a tree: a step's key leads to its next node. */
interface Node {
  id: number;
  next: Map<string, { step: Step; node: Node }>;
}

/** A read of `read`, an RMW from `read` to `wrote`, or a write of `wrote`. */
interface Step {
  read?: number;
  wrote?: number;
}

/**
 * For each location, every `(writer, value)` the walk reaches, as `${writer} ${value}`; the
 * initial value's writer is -1. `tick` is called once per state of a walk (a budget).
 */
export function reachableWrites(
  init: ReadonlyMap<string, number>,
  runs: readonly (readonly ThreadTrace[])[],
  tick: () => void = () => {},
): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  let ids = 0;
  const newNode = (): Node => ({ id: ids++, next: new Map() });
  // per location, per thread: the tree of its runs' accesses there
  const trees = new Map<string, Node[]>();
  for (const loc of init.keys())
    trees.set(
      loc,
      runs.map(() => newNode()),
    );
  runs.forEach((ts, t) => {
    for (const run of ts) {
      const at = new Map<string, Node>();
      const events = run.events;
      for (let i = 0; i < events.length; i++) {
        const e = events[i]!;
        if (e.loc === undefined || (e.kind !== 'R' && e.kind !== 'W')) continue;
        let step: Step;
        const after = events[i + 1];
        if (e.kind === 'R' && after?.kind === 'W' && after.rmwRead === i) {
          step = { read: e.value as number, wrote: after.value as number };
          i++;
        } else if (e.kind === 'R') step = { read: e.value as number };
        else step = { wrote: e.value as number };
        const key = `${step.read ?? ''}/${step.wrote ?? ''}`;
        const node = at.get(e.loc) ?? trees.get(e.loc)![t]!;
        let edge = node.next.get(key);
        if (!edge) node.next.set(key, (edge = { step, node: newNode() }));
        at.set(e.loc, edge.node);
      }
    }
  });
  for (const [loc, roots] of trees) {
    const reached = new Set<string>([`-1 ${init.get(loc)!}`]);
    const seen = new Set<string>();
    const stack: { value: number; nodes: Node[] }[] = [{ value: init.get(loc)!, nodes: roots }];
    while (stack.length > 0) {
      const { value, nodes } = stack.pop()!;
      const key = `${value}:${nodes.map((n) => n.id).join(',')}`;
      if (seen.has(key)) continue;
      seen.add(key);
      tick();
      nodes.forEach((node, t) => {
        for (const { step, node: child } of node.next.values()) {
          if (step.read !== undefined && step.read !== value) continue;
          const now = step.wrote ?? value;
          if (step.wrote !== undefined) reached.add(`${t} ${now}`);
          const moved = nodes.slice();
          moved[t] = child;
          stack.push({ value: now, nodes: moved });
        }
      });
    }
    out.set(loc, reached);
  }
  return out;
}
