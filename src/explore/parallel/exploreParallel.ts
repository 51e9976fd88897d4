import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { StateKeys } from '../stateKeys.js';
import { Links } from '../links.js';
import { Violation } from '../violation.js';
import { counterexample, type Found, type Paths } from '../trace.js';
import {
  exploreOrHandOver,
  reachOf,
  type ExploreOptions,
  type Handover,
  type Program,
  type Reach,
  type SearchOutcome,
} from '../explore.js';
import type { ThreadLog } from '../threadLog.js';
import { SharedKeySet } from './sharedKeySet.js';
import { SharedInterner, sharedInterners, type SharedInternerBuffers } from './sharedInterner.js';
import {
  CONTROL,
  CONTROL_CELLS,
  MAX_THREADS,
  positionOfTag,
  threadOfTag,
  loadProgram,
  type ChunkOut,
  type FoundViolation,
  type FromWorker,
  type LayerRequest,
  type ProgramSource,
  type WorkerSetup,
} from './protocol.js';

/**
 * The explorer on several workers: the same breadth-first search as explore.ts, layer by
 * layer, with each layer's states expanded by `jobs` worker threads at once. It gives the
 * same verdict, the same number of states and the same shortest counterexample as the
 * search on one thread (see README.md in this folder for why).
 *
 * Shared memory holds what every worker must agree on: the visited set (sharedKeySet.ts),
 * the logs and worlds that keys name by id (sharedInterner.ts), and the layer being
 * expanded. The coordinator (this function) keeps the parent links, orders each next
 * layer, and rebuilds a counterexample by replay, as the one-thread search does.
 */

export interface ParallelOptions extends ExploreOptions {
  /** Worker threads. Default: the machine's available parallelism. */
  jobs?: number;
  /**
   * Explore on this thread until a layer holds this many states, and on the workers only
   * from that layer on. Default {@link SOLO_LAYER}; 0 starts the workers at once.
   */
  soloLayer?: number;
}

/**
 * The default of ParallelOptions.soloLayer. Workers start slowly, each compiling the code
 * anew (getters:3x2 on classic: 213 ms on one thread, 405 ms started on two workers), so
 * they pay only for a search with much left to do, and the width of a layer says that
 * better than the states seen: a breadth-first search's layers grow while it has far to go.
 * Measured on 2 cores with getters on classic: 3x3 (217,590 states, widest layer 17,470)
 * took 1.9 s on one thread and 2.2 s handed over to two workers at 100,000 states; 4x2, to
 * 1,500,000 states, 14.8 s on one thread and 8.7 s on two workers.
 */
export const SOLO_LAYER = 25_000;

/** A parallel search's result: as explore()'s, without final states (nobody counts paths). */
export type ParallelExploration = SearchOutcome & {
  /** Thread steps run, by all workers. */
  steps: number;
  /** How many workers the search started: 0 if it ended before a layer was wide enough. */
  workers: number;
};

export async function exploreParallel<W>(
  source: ProgramSource,
  options: ParallelOptions = {},
): Promise<ParallelExploration> {
  if (options.sleepSets)
    throw new Error('sleep sets need a search on one thread (jobs 1): they follow one order');
  const jobs = options.jobs ?? availableParallelism();
  if (!Number.isInteger(jobs) || jobs < 1)
    throw new RangeError(`jobs must be a whole number of workers, at least 1, not ${jobs}`);
  const maxStates = options.maxStates ?? 1_000_000;
  const maxDepth = options.maxDepth ?? 10_000;
  const maxMs = options.maxMs ?? 60_000;
  const maxMemoryMB = options.maxMemoryMB ?? 2_048;
  const stopAtViolation = options.stopAtViolation ?? true;
  const deadline = Date.now() + maxMs; // the solo search's too: it starts now

  const program = await loadProgram<W>(source);
  const n = program.threads.length;
  if (n >= MAX_THREADS)
    throw new Error(`a parallel search takes at most ${MAX_THREADS - 1} threads, not ${n}`);
  // Small searches end here, on this thread: starting workers costs more than they take.
  const solo = exploreOrHandOver(program, options, options.soloLayer ?? SOLO_LAYER);
  if (solo.kind !== 'handover') {
    if (solo.kind !== 'safe') return { ...solo, workers: 0 };
    const { states, steps, reached } = solo;
    return { kind: 'safe', states, steps, reached, workers: 0 };
  }

  const interners = INTERNERS.take();
  try {
    const limits = { jobs, maxStates, maxDepth, maxMs, maxMemoryMB, stopAtViolation, deadline };
    return await searchOnWorkers(program, source, solo, interners, options, limits);
  } catch (e) {
    // resource pressure (a buffer the system would not give, a worker out of memory) is a
    // limit of the search, never a verdict
    if (outOfMemory(e)) {
      const states = solo.table.size;
      return {
        kind: 'incomplete',
        states,
        limit: `${maxMemoryMB} MiB of memory`,
        steps: solo.steps,
        reached: solo.reached,
        workers: jobs,
      };
    }
    throw e;
  } finally {
    INTERNERS.give(interners);
  }
}

/** Whether `e` says that memory ran out: a worker's heap, or a buffer not allocated. */
function outOfMemory(e: unknown): boolean {
  if ((e as { code?: unknown } | undefined)?.code === 'ERR_WORKER_OUT_OF_MEMORY') return true;
  return e instanceof RangeError && /allocation failed|out of memory/i.test(e.message);
}

type Interners = ReturnType<typeof INTERNERS.take>;

/**
 * The interners' buffers (1.8 GB of address space for the three, reserved at their largest
 * size: see sharedInterner.ts), kept from one search to the next in this process. A search
 * gives back what it took, and the next takes it, cleared: buffers left to the garbage
 * collector were not collected (the heap that would prompt it stays small), and after
 * about 130 searches in one process the system gave no more (every later search ended
 * "incomplete" at the memory limit after 3 states). Concurrent searches take one set each.
 */
const INTERNERS = {
  spare: [] as {
    logs: SharedInternerBuffers;
    worlds: SharedInternerBuffers;
    canonicalWorlds: SharedInternerBuffers;
  }[],
  take() {
    return (
      this.spare.pop() ?? {
        logs: SharedInterner.buffers(),
        worlds: SharedInterner.buffers(),
        canonicalWorlds: SharedInterner.buffers(),
      }
    );
  },
  give(set: {
    logs: SharedInternerBuffers;
    worlds: SharedInternerBuffers;
    canonicalWorlds: SharedInternerBuffers;
  }) {
    for (const buffers of Object.values(set)) SharedInterner.clear(buffers);
    this.spare.push(set);
  },
};

/**
 * The most keys the visited set reserves room for at its start; past it, it grows by
 * copying. Reserving the whole --max-states (up to 100,000,000) would ask the system for
 * gigabytes of address space that a search stopped by its memory limit never uses.
 */
const KEY_RESERVE = 4_000_000;

interface Limits {
  jobs: number;
  maxStates: number;
  maxDepth: number;
  maxMs: number;
  maxMemoryMB: number;
  stopAtViolation: boolean;
  deadline: number;
}

/** The search, from the layer the solo search handed over, on `jobs` workers. */
async function searchOnWorkers<W>(
  program: Program<W>,
  source: ProgramSource,
  solo: Handover<W>,
  interners: Interners,
  options: ParallelOptions,
  { jobs, maxStates, maxDepth, maxMs, maxMemoryMB, stopAtViolation, deadline }: Limits,
): Promise<ParallelExploration> {
  const n = program.threads.length;
  const reach: Reach = { reached: solo.reached };
  const counters = program.counters ?? 0;
  const { cells, start: initial, table: soloTable } = solo;
  // The workers go on with the same ids: the shared tables start as copies of the solo's.
  const symmetry = options.symmetry ?? true;
  const sharedIds = sharedInterners<W>(interners);
  soloTable.copyInternedTo(sharedIds);
  const keys = new StateKeys(program, initial, symmetry, sharedIds);
  let set = SharedKeySet.create(
    keys.width,
    Math.max(1024, soloTable.size),
    Math.min(maxStates + 1, KEY_RESERVE),
  );
  const links = new Links();
  for (let id = 0; id < soloTable.size; id++) {
    const { key, parent, thread } = soloTable.state(id);
    if (set.findOrAdd(key, 0) !== id) throw new Error('[checker bug] state ids moved');
    links.set(id, parent, thread);
  }

  const control = new Int32Array(new SharedArrayBuffer(CONTROL_CELLS * 4));
  const setup: WorkerSetup = {
    source,
    keys: set.buffers,
    interners,
    control: control.buffer as SharedArrayBuffer,
    ...(options.heartbeat ? { heartbeat: options.heartbeat.buffer as SharedArrayBuffer } : {}),
    limits: { maxStates, deadline, maxMs, maxMemoryMB },
    maxOpSteps: cells.maxOpSteps,
    replayTwice: options.replayTwice ?? false,
    stopAtViolation,
    symmetry,
  };
  const pool = await WorkerPool.start(jobs, setup, control);
  try {
    const width = 2 + initial.memory.length + n;
    const soloRows = solo.layer.rowsView();
    let layer: Int32Array = new Int32Array(new SharedArrayBuffer(soloRows.byteLength));
    layer.set(soloRows);
    let length = solo.layer.length;
    let steps = solo.steps;
    let first: FoundViolation | undefined;
    let firstLayer = layer;
    const table: Paths<W> = {
      get size() {
        return set.size;
      },
      threadsTo: (id) => links.threadsTo(id),
      reaches: (id, memory, world, logs: readonly ThreadLog[]) =>
        set.get(keys.replayedKey(memory, world, logs)) === id,
    };
    const answer = (v: FoundViolation, rows: Int32Array, firstInNext?: number) => {
      const found: Found = {
        violation: new Violation(v.kind, v.message),
        node: rows[positionOfTag(v.tag) * width]!,
        step: v.step,
      };
      const cx = counterexample(program, cells, table, found, initial);
      // Stopped at it, the search on one thread has seen the states before this layer and
      // those of the next that a step before the violation's reached: those whose smallest
      // tag is below the violation's. Later chunks may have added more here; not there.
      if (firstInNext !== undefined) {
        let states = firstInNext;
        for (let id = firstInNext; id < set.size; id++) if (set.tag(id) < v.tag) states++;
        cx.states = states;
      }
      return { ...cx, steps, reached: reach.reached, workers: jobs } satisfies ParallelExploration;
    };
    const incomplete = (limit: string): ParallelExploration => ({
      kind: 'incomplete',
      states: set.size,
      limit,
      steps,
      reached: reach.reached,
      workers: jobs,
    });

    for (let depth = solo.depth; length > 0; depth++) {
      if (depth > maxDepth) return incomplete(`depth ${maxDepth}`);
      const firstInNext = set.size;
      Atomics.store(control, CONTROL.claim, 0);
      Atomics.store(control, CONTROL.violation, 0x7fffffff);
      const chunk = Math.max(1, Math.min(256, Math.ceil(length / (jobs * 8))));
      const grown = set.grownFor(firstInNext + length * n, maxStates + 1);
      const request: LayerRequest = {
        rows: layer.buffer as SharedArrayBuffer,
        length,
        chunk,
        firstInNext,
        ...(grown !== set ? { keys: grown.buffers } : {}),
      };
      set = grown;
      const done = await pool.expand(request);
      steps += done.reduce((sum, d) => sum + d.steps, 0);
      const violation = done
        .map((d) => d.violation)
        .filter((v) => v !== undefined)
        .sort((a, b) => a.tag - b.tag)[0];
      // A violation in this layer is a shortest one, all earlier layers being expanded whole,
      // even if a limit stopped some chunks before theirs (it may then not be the first).
      if (violation && stopAtViolation) return answer(violation, layer, firstInNext);
      const limit = done.find((d) => d.limit)?.limit;
      if (limit) return incomplete(limit);
      if (violation && !first) {
        first = violation;
        firstLayer = layer;
      }
      const next = nextLayer(done, set, links, layer, width, set.size - firstInNext);
      for (let row = 0; row < next.length; row++)
        reachOf(reach, next.rows, counters, row * width + 2);
      if (Date.now() > deadline) return incomplete(`${maxMs} ms`);
      if (process.memoryUsage().rss > maxMemoryMB * 2 ** 20)
        return incomplete(`${maxMemoryMB} MiB of memory`);
      layer = next.rows;
      length = next.length;
      options.onLayer?.({ depth: depth + 1, states: set.size, steps });
    }
    if (first) return answer(first, firstLayer);
    return { kind: 'safe', states: set.size, steps, reached: reach.reached, workers: jobs };
  } finally {
    await pool.stop();
  }
}

/**
 * The next layer, in the order the one-thread search would have found it: a state's place
 * is its tag (its first parent's position, then the thread), which the visited set keeps
 * at its smallest. Chunks cover the layer in order, and each lists its children in tag
 * order, so walking the chunks in order and keeping each child where its tag is the
 * smallest one gives the next layer sorted, each state once, with its first parent.
 */
function nextLayer(
  done: readonly { chunks: ChunkOut[] }[],
  set: SharedKeySet,
  links: Links,
  layer: Int32Array,
  width: number,
  added: number,
): { rows: Int32Array; length: number } {
  const chunks = done.flatMap((d) => d.chunks).sort((a, b) => a.index - b.index);
  const rows = new Int32Array(new SharedArrayBuffer(Math.max(1, added) * width * 4));
  let length = 0;
  for (const { rows: found } of chunks) {
    for (let at = 0; at < found.length; at += width + 1) {
      const id = found[at]!;
      const tag = found[at + 1]!;
      if (set.tag(id) !== tag) continue; // another parent reached it first
      links.set(id, layer[positionOfTag(tag) * width]!, threadOfTag(tag));
      rows[length * width] = id;
      rows.set(found.subarray(at + 2, at + 1 + width), length * width + 1);
      length++;
    }
  }
  if (length !== added)
    throw new Error(`[checker bug] the layer found ${added} new states but ordered ${length}`);
  return { rows, length };
}

type LayerDone = Extract<FromWorker, { type: 'layerDone' }>;

/**
 * The workers, each answering one message per layer. A request is posted to each, then
 * signalled in shared memory, where the workers wait for it (see worker.ts). A worker that
 * fails or exits, whenever it does, fails the next answer awaited from it: its listeners
 * stay on for its whole life, so nothing it says between layers is lost.
 */
class WorkerPool {
  private constructor(
    private readonly workers: Mailbox[],
    private readonly control: Int32Array,
  ) {}

  static async start(jobs: number, setup: WorkerSetup, control: Int32Array): Promise<WorkerPool> {
    const workers = Array.from(
      { length: jobs },
      () => new Mailbox(new Worker(new URL('./worker.js', import.meta.url), { workerData: setup })),
    );
    const pool = new WorkerPool(workers, control);
    try {
      await Promise.all(workers.map((w) => w.next()));
    } catch (e) {
      await pool.stop();
      throw e;
    }
    return pool;
  }

  expand(request: LayerRequest): Promise<LayerDone[]> {
    for (const w of this.workers) w.worker.postMessage(request);
    this.signal();
    return Promise.all(this.workers.map((w) => w.next() as Promise<LayerDone>));
  }

  async stop(): Promise<void> {
    for (const w of this.workers) w.worker.postMessage('stop');
    this.signal();
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }

  private signal(): void {
    Atomics.add(this.control, CONTROL.layers, 1);
    Atomics.notify(this.control, CONTROL.layers);
  }
}

/** A worker's messages, in order, and how it ended, if it did. */
class Mailbox {
  private readonly inbox: Exclude<FromWorker, { type: 'error' }>[] = [];
  private failure: Error | undefined;
  private waiting:
    | { resolve: (m: Exclude<FromWorker, { type: 'error' }>) => void; reject: (e: Error) => void }
    | undefined;

  constructor(readonly worker: Worker) {
    worker.on('message', (m: FromWorker) => {
      if (m.type === 'error') this.fail(new Error(`a search worker failed: ${m.message}`));
      else if (this.waiting) this.take().resolve(m);
      else this.inbox.push(m);
    });
    worker.on('error', (e: Error) => this.fail(e));
    worker.on('exit', (code) => this.fail(new Error(`a search worker exited (code ${code})`)));
  }

  /** The worker's next message; its failure, if it failed first. */
  next(): Promise<Exclude<FromWorker, { type: 'error' }>> {
    const m = this.inbox.shift();
    if (m) return Promise.resolve(m);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  private fail(e: Error): void {
    this.failure ??= e;
    if (this.waiting) this.take().reject(this.failure);
  }

  private take() {
    const w = this.waiting!;
    this.waiting = undefined;
    return w;
  }
}
