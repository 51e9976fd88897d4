import { copyLog, emptyLog, logKey, type ThreadLog } from './threadLog.js';
import { arrangementCode, symmetryOf, type Arrangement, type SymmetryKey } from './symmetry.js';
import { LocalInterner, type Interner } from './interner.js';
import type { Program } from './explore.js';

/** Where a search's logs and worlds get their ids: on one thread, or shared by workers. */
export interface Interners<W> {
  logs: Interner<ThreadLog>;
  worlds: Interner<W>;
  /** Worlds as symmetry renames them (keys only: the value is unused). */
  canonicalWorlds: Interner<null>;
}

export const localInterners = <W>(): Interners<W> => ({
  logs: new LocalInterner(),
  worlds: new LocalInterner(),
  canonicalWorlds: new LocalInterner(),
});

/**
 * A state's compact key: its memory, a world id and one log id per thread, a fixed number
 * of Int32s however long the logs. The logs and worlds that states share are stored once
 * (by the interners) and named by small ids. Under symmetry, the states of one orbit get
 * one key (symmetry.ts).
 *
 * With local interners, ids are given in order of first appearance, so the same program
 * gives the same ids, keys and canonical forms on every run. Shared interners give ids in
 * whatever order the workers meet them; the canonical forms may then differ from run to
 * run, but not which states they merge, so a search explores the same states.
 */
export class StateKeys<W> {
  private readonly prefixes: string[] = [];
  /** The id of each interned world, by identity: steps that leave the world alone share it. */
  private readonly worldIds = new Map<W, number>();
  /** Per world index: arrangement code → canonical world id (see canonicalWorld). */
  private readonly canonicalMemo: Map<number, number>[] = [];
  private readonly symmetry: SymmetryKey<W> | undefined;
  private readonly memoryLength: number;
  private readonly scratchKey: Int32Array;
  private readonly scratchLogs: number[];
  /** The id of the empty log, every thread's log at the start. */
  readonly emptyLog: number;
  /** How many Int32s a key has. */
  readonly width: number;

  constructor(
    protected readonly program: Program<W>,
    start: { memory: Int32Array; world: W },
    symmetry: boolean,
    private readonly interners: Interners<W> = localInterners(),
  ) {
    this.memoryLength = start.memory.length;
    this.width = start.memory.length + 1 + program.threads.length;
    this.scratchKey = new Int32Array(this.width);
    this.scratchLogs = Array<number>(program.threads.length).fill(0);
    this.emptyLog = this.interners.logs.id(`|${logKey(emptyLog())}`, emptyLog());
    this.internWorld(start.world);
    this.symmetry = symmetry
      ? symmetryOf(program.symmetry, program.worldKey, start.world)
      : undefined;
  }

  /**
   * Gives `target` (empty) every log and world interned here, under the same ids: a search
   * handed over to workers goes on with the keys it has.
   */
  copyInternedTo(target: Interners<W>): void {
    for (const name of ['logs', 'worlds', 'canonicalWorlds'] as const) {
      const from = this.interners[name];
      if (!(from instanceof LocalInterner))
        throw new Error('[checker bug] handing over shared ids');
      const to = target[name] as Interner<unknown>;
      let id = 0;
      for (const [key, value] of from.entries()) {
        if (to.id(key, value) !== id++) throw new Error('[checker bug] interned ids moved');
      }
    }
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
    return this.interners.logs.value(id);
  }

  /**
   * The id of a log equal to `log`, of thread t; `log` is kept if it is new, and must not
   * change after. Logs are shared only by threads that run one body (a symmetry class):
   * a log also records which access each entry was (its sites), which replay checks.
   */
  internLog(log: ThreadLog, t: number): number {
    // the empty log is every thread's (it has no sites to tell them apart)
    if (log.kinds === '' && !log.done) return this.emptyLog;
    return this.interners.logs.id(this.logPrefix(t) + logKey(log), log);
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
    const id = this.interners.worlds.id(this.program.worldKey(world), world);
    return this.worldAt(id);
  }

  /** The index of an interned world (Frontier rows hold it). */
  worldIndex(world: W): number {
    return this.worldIds.get(world)!;
  }

  worldAt(index: number): W {
    const world = this.interners.worlds.value(index);
    if (!this.worldIds.has(world)) this.worldIds.set(world, index);
    return world;
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

  /** The key of a state rebuilt by replay (trace.ts), whose logs and world are not interned. */
  replayedKey(memory: Int32Array, world: W, logs: readonly ThreadLog[]): Int32Array {
    const ids = logs.map((l, t) => this.internLog(copyLog(l), t));
    return this.key(memory, this.internWorld(this.program.cloneWorld(world)), ids);
  }

  /**
   * The id of the world's key under an arrangement, remembered per world and arrangement:
   * a search meets few worlds and few arrangements, and keys them many times.
   */
  private canonicalWorld(world: W, a: Arrangement): number {
    const code = arrangementCode(a);
    const wi = this.worldIds.get(world)!;
    const memo = code === undefined ? undefined : this.canonicalMemo[wi];
    const known = code === undefined ? undefined : memo?.get(code);
    if (known !== undefined) return known;
    const w = this.interners.canonicalWorlds.id(this.symmetry!.worldUnder(world, a), null);
    if (code !== undefined) (this.canonicalMemo[wi] ??= new Map()).set(code, w);
    return w;
  }
}
