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
 * codeTraces.ts keeps a value in a read's domain only if this walk reaches it, and a read
 * of a thread that is at a known point of its tree returns only a value that is current in
 * some state of the walk where the thread is at that point (RecordingCells's `allowed`); a
 * run whose point no walk reaches stops there (TraceInfeasible), kept nowhere. The trees
 * grow over the fixpoint's rounds, never shrink, so the walk's answers only grow. Before, the
 * fixpoint kept every value some run wrote: a put that reads the frozen value an evictor's
 * freeze wrote, when that freeze needs the put's own decrement first, wrote a value no
 * execution holds, and an overflow guard's retry loop then read chains of such values
 * (freeze-put-get: more than 20,000 runs of one thread).
 */

import type { ThreadTrace } from './events.js';

/** One thread's accesses to one location as a tree: a step's key leads to its next node. */
export interface WalkNode {
  id: number;
  next: Map<string, { step: Step; node: WalkNode }>;
}

/** A read of `read`, an RMW from `read` to `wrote`, or a write of `wrote`. */
interface Step {
  read?: number;
  wrote?: number;
}

/** The key of a step in a tree. */
export const stepKey = (read: number | undefined, wrote: number | undefined): string =>
  `${read ?? ''}/${wrote ?? ''}`;

/** What one walk found. */
export interface WalkResult {
  /** Per location, every `(writer, value)` reached, as `${writer} ${value}` (-1: initial). */
  reached: Map<string, Set<string>>;
  /** Per tree node, the values current in some state of the walk where its thread is there. */
  valuesAt: Map<WalkNode, Set<number>>;
}

/**
 * The trees of every thread's accesses to every location, over all the runs added so far,
 * and the walk over them.
 */
export class CellWalks {
  private ids = 0;
  /** Per location, per thread: the root of its tree there. */
  readonly roots = new Map<string, WalkNode[]>();

  constructor(
    private readonly init: ReadonlyMap<string, number>,
    threads: number,
  ) {
    for (const loc of init.keys())
      this.roots.set(
        loc,
        Array.from({ length: threads }, () => this.node()),
      );
  }

  private node(): WalkNode {
    return { id: this.ids++, next: new Map() };
  }

  /** Adds thread t's runs to its trees. @returns whether any tree grew. */
  add(t: number, runs: readonly ThreadTrace[]): boolean {
    let grew = false;
    for (const run of runs) {
      const at = new Map<string, WalkNode>();
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
        const key = stepKey(step.read, step.wrote);
        const node = at.get(e.loc) ?? this.roots.get(e.loc)![t]!;
        let edge = node.next.get(key);
        if (!edge) {
          node.next.set(key, (edge = { step, node: this.node() }));
          grew = true;
        }
        at.set(e.loc, edge.node);
      }
    }
    return grew;
  }

  /** The walk over the trees as they are. `tick` is called once per state (a budget). */
  walk(tick: () => void = () => {}): WalkResult {
    const reached = new Map<string, Set<string>>();
    const valuesAt = new Map<WalkNode, Set<number>>();
    for (const [loc, roots] of this.roots) {
      const here = new Set<string>([`-1 ${this.init.get(loc)!}`]);
      const seen = new Set<string>();
      const stack: { value: number; nodes: WalkNode[] }[] = [
        { value: this.init.get(loc)!, nodes: roots },
      ];
      while (stack.length > 0) {
        const { value, nodes } = stack.pop()!;
        const key = `${value}:${nodes.map((n) => n.id).join(',')}`;
        if (seen.has(key)) continue;
        seen.add(key);
        tick();
        nodes.forEach((node, t) => {
          let vs = valuesAt.get(node);
          if (!vs) valuesAt.set(node, (vs = new Set()));
          vs.add(value);
          for (const { step, node: child } of node.next.values()) {
            if (step.read !== undefined && step.read !== value) continue;
            const now = step.wrote ?? value;
            if (step.wrote !== undefined) here.add(`${t} ${now}`);
            const moved = nodes.slice();
            moved[t] = child;
            stack.push({ value: now, nodes: moved });
          }
        });
      }
      reached.set(loc, here);
    }
    return { reached, valuesAt };
  }
}

/**
 * For each location, every `(writer, value)` the walk over these runs reaches, as
 * `${writer} ${value}`; the initial value's writer is -1.
 */
export function reachableWrites(
  init: ReadonlyMap<string, number>,
  runs: readonly (readonly ThreadTrace[])[],
  tick: () => void = () => {},
): Map<string, Set<string>> {
  const walks = new CellWalks(init, runs.length);
  runs.forEach((ts, t) => walks.add(t, ts));
  return walks.walk(tick).reached;
}
