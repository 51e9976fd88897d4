import { copyLog, emptyLog, logKey, type ThreadLog } from './threadLog.js';
import { arrangementCode, symmetryOf, type Arrangement, type SymmetryKey } from './symmetry.js';
import { KeySet } from './keySet.js';
import type { Program } from './explore.js';

/**
 * The states a search has seen, in memory that grows with their number, not with their
 * depth: each state keeps a compact key and a link to its parent, nothing else. The logs
 * and worlds that states share are stored once and named by small ids: a thread's log is
 * an id in the log table, so a state's key is its memory, a world id and one log id per
 * thread: a fixed number of Int32s however long the logs, stored end to end (keySet.ts).
 * Paths are rebuilt from the parent links by replay (trace.ts).
 *
 * Ids are given in order of first appearance, so the same program gives the same ids, keys
 * and canonical forms on every run.
 */
export class StateTable<W> {
  private readonly logs: ThreadLog[] = [];
  private readonly logIds = new Map<string, number>();
  private readonly prefixes: string[] = [];
  private readonly worlds = new Map<string, W>();
  private readonly worldIds = new Map<W, number>();
  private readonly worldList: W[] = [];
  private readonly canonicalWorlds = new Map<string, number>();
  /** Per world index: arrangement code → canonical world id (see canonicalWorld). */
  private readonly canonicalMemo: Map<number, number>[] = [];
  private readonly ids: KeySet;
  private parents = new Int32Array(1024);
  private threads = new Int32Array(1024);
  private linked = 0;
  /** Ids that link a path to a state seen before (sleep sets' revisits), with no key. */
  private readonly revisits = new Set<number>();
  /**
   * The link id of each key, in the key set's order: kept only once a revisit has made
   * them differ (until then a key's id is its link id, and the list would cost a word per
   * state for nothing).
   */
  private stateIds: number[] | undefined;
  private readonly symmetry: SymmetryKey<W> | undefined;
  private readonly memoryLength: number;
  private readonly scratchKey: Int32Array;
  private readonly scratchLogs: number[];
  /** The id of the empty log, every thread's log at the start. */
  readonly emptyLog: number;

  constructor(
    private readonly program: Program<W>,
    start: { memory: Int32Array; world: W },
    symmetry: boolean,
  ) {
    this.memoryLength = start.memory.length;
    this.ids = new KeySet(start.memory.length + 1 + program.threads.length);
    this.scratchKey = new Int32Array(this.ids.width);
    this.scratchLogs = Array<number>(program.threads.length).fill(0);
    this.emptyLog = this.internLog(emptyLog(), -1);
    this.internWorld(start.world);
    this.symmetry = symmetry
      ? symmetryOf(program.symmetry, program.worldKey, start.world)
      : undefined;
  }

  /** How many distinct states have been added. */
  get size(): number {
    return this.ids.size;
  }

  /** How many parent links (states, and revisits of states by sleep sets). */
  get links(): number {
    return this.linked;
  }

  /** Whether states are merged under a permutation of threads. */
  get symmetric(): boolean {
    return this.symmetry !== undefined;
  }

  /** The key of the state itself, before symmetry merges it with its permutations. */
  concreteKey(memory: Int32Array, world: W, logs: Int32Array): string {
    return `${memory.join(',')}|${this.worldIds.get(world)!}|${logs.join(',')}`;
  }

  log(id: number): ThreadLog {
    return this.logs[id]!;
  }

  /**
   * The id of a log equal to `log`, of thread t; `log` is kept if it is new, and must not
   * change after. Logs are shared only by threads that run one body (a symmetry class):
   * a log also records which access each entry was (its sites), which replay checks.
   */
  internLog(log: ThreadLog, t: number): number {
    // the empty log is every thread's (it has no sites to tell them apart)
    if (log.kinds === '' && !log.done && this.logs.length > 0) return this.emptyLog;
    const key = this.logPrefix(t) + logKey(log);
    let id = this.logIds.get(key);
    if (id === undefined) {
      id = this.logs.push(log) - 1;
      this.logIds.set(key, id);
    }
    return id;
  }

  /** Which threads may share a log id: by symmetry class, or by thread. */
  private logPrefix(t: number): string {
    let p = this.prefixes[t + 1];
    if (p === undefined) {
      const c = this.program.symmetry;
      this.prefixes[t + 1] = p = `${c ? `c${c[t]}` : `t${t}`}|`;
    }
    return p;
  }

  /** The stored world equal to `world` (`world` itself if it is new; it must not change after). */
  internWorld(world: W): W {
    if (this.worldIds.has(world)) return world; // a step that left its parent's world alone
    const key = this.program.worldKey(world);
    const stored = this.worlds.get(key);
    if (stored !== undefined) return stored;
    this.worlds.set(key, world);
    this.worldIds.set(world, this.worldList.push(world) - 1);
    return world;
  }

  /** The index of an interned world (Frontier rows hold it). */
  worldIndex(world: W): number {
    return this.worldIds.get(world)!;
  }

  worldAt(index: number): W {
    return this.worldList[index]!;
  }

  /**
   * The key of a state whose world was interned: under symmetry, states in one orbit get
   * one key. It is valid until the next call (one buffer serves every step).
   */
  key(memory: Int32Array, world: W, logs: ArrayLike<number>): Int32Array {
    const sorted = this.scratchLogs;
    for (let t = 0; t < logs.length; t++) sorted[t] = logs[t]!;
    let w: number;
    if (this.symmetry) {
      w = this.canonicalWorld(world, this.symmetry.arrange(sorted));
    } else {
      w = this.worldIds.get(world)!;
    }
    const key = this.scratchKey;
    key.set(memory);
    key[this.memoryLength] = w;
    key.set(sorted, this.memoryLength + 1);
    return key;
  }

  /**
   * The id of the world's key under an arrangement, remembered per world and arrangement:
   * a search meets few worlds and few arrangements, and keys them many times.
   */
  private canonicalWorld(world: W, a: Arrangement): number {
    const code = arrangementCode(a);
    const memo = code === undefined ? undefined : this.canonicalMemo[this.worldIds.get(world)!];
    const known = code === undefined ? undefined : memo?.get(code);
    if (known !== undefined) return known;
    const key = this.symmetry!.worldUnder(world, a);
    let w = this.canonicalWorlds.get(key);
    if (w === undefined) this.canonicalWorlds.set(key, (w = this.canonicalWorlds.size));
    if (code !== undefined) {
      const wi = this.worldIds.get(world)!;
      (this.canonicalMemo[wi] ??= new Map()).set(code, w);
    }
    return w;
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
    if (id === this.parents.length) {
      const parents = new Int32Array(id * 2);
      parents.set(this.parents);
      this.parents = parents;
      const threads = new Int32Array(id * 2);
      threads.set(this.threads);
      this.threads = threads;
    }
    if (key !== undefined) {
      const keyId = this.ids.add(key);
      if (this.stateIds) this.stateIds.push(id);
      else if (keyId !== id) throw new Error('[checker bug] key and link ids differ');
    } else {
      this.revisits.add(id);
      this.stateIds ??= Array.from({ length: this.ids.size }, (_, k) => k);
    }
    this.parents[id] = parent;
    this.threads[id] = thread;
    return id;
  }

  /**
   * Whether a state rebuilt by replay is state `id` (true for a revisit, which has no key
   * of its own): a check that bodies are deterministic.
   */
  reaches(id: number, memory: Int32Array, world: W, logs: readonly ThreadLog[]): boolean {
    const ids = logs.map((l, t) => this.internLog(copyLog(l), t));
    const key = this.key(memory, this.internWorld(this.program.cloneWorld(world)), ids);
    const found = this.idOf(key);
    return found === id || (found !== undefined && this.revisits.has(id));
  }

  /** The threads that ran, in order, on the path from the initial state to state `id`. */
  threadsTo(id: number): number[] {
    const path: number[] = [];
    for (let i = id; this.parents[i]! >= 0; i = this.parents[i]!) path.push(this.threads[i]!);
    return path.reverse();
  }
}
