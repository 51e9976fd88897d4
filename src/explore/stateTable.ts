import type { ThreadLog } from './threadLog.js';
import { KeySet } from './keySet.js';
import { Links } from './links.js';
import { StateKeys } from './stateKeys.js';
import type { Program } from './explore.js';
import type { Paths } from './trace.js';

/**
 * The states a search has seen, in memory that grows with their number, not with their
 * depth: each state keeps a compact key (stateKeys.ts), stored end to end (keySet.ts), and
 * a link to its parent, nothing else. Paths are rebuilt from the parent links by replay
 * (trace.ts).
 */
export class StateTable<W> extends StateKeys<W> implements Paths<W> {
  private readonly ids: KeySet;
  private readonly parentLinks = new Links();
  private linked = 0;
  /** Ids that link a path to a state seen before (sleep sets' revisits), with no key. */
  private readonly revisits = new Set<number>();
  /**
   * The link id of each key, in the key set's order: kept only once a revisit has made
   * them differ (until then a key's id is its link id, and the list would cost a word per
   * state for nothing).
   */
  private stateIds: number[] | undefined;

  constructor(program: Program<W>, start: { memory: Int32Array; world: W }, symmetry: boolean) {
    super(program, start, symmetry);
    this.ids = new KeySet(this.width);
  }

  /** How many distinct states have been added. */
  get size(): number {
    return this.ids.size;
  }

  /** How many parent links (states, and revisits of states by sleep sets). */
  get links(): number {
    return this.linked;
  }

  idOf(key: Int32Array): number | undefined {
    const id = this.ids.get(key);
    return id < 0 ? undefined : this.stateIds ? this.stateIds[id] : id;
  }

  /**
   * Adds a state reached from state `parent` by a step of `thread` (with no key: a revisit,
   * which only links a path). @returns its id.
   */
  add(key: Int32Array | undefined, parent: number, thread: number): number {
    const id = this.linked++;
    if (key !== undefined) {
      const keyId = this.ids.add(key);
      if (this.stateIds) this.stateIds.push(id);
      else if (keyId !== id) throw new Error('[checker bug] key and link ids differ');
    } else {
      this.revisits.add(id);
      this.stateIds ??= Array.from({ length: this.ids.size }, (_, k) => k);
    }
    this.parentLinks.set(id, parent, thread);
    return id;
  }

  /** Whether a state rebuilt by replay is state `id` (or a revisit of it, which has no key). */
  reaches(id: number, memory: Int32Array, world: W, logs: readonly ThreadLog[]): boolean {
    const found = this.idOf(this.replayedKey(memory, world, logs));
    return found === id || (found !== undefined && this.revisits.has(id));
  }

  /** The key of state `id`, its parent's id (-1 for the root) and the thread that stepped. */
  state(id: number): { key: Int32Array; parent: number; thread: number } {
    if (this.stateIds) throw new Error('[checker bug] states with revisits cannot be listed');
    return {
      key: this.ids.key(id),
      parent: this.parentLinks.parent(id),
      thread: this.parentLinks.thread(id),
    };
  }

  /** The threads that ran, in order, on the path from the initial state to state `id`. */
  threadsTo(id: number): number[] {
    return this.parentLinks.threadsTo(id);
  }
}
