/**
 * A worker of a parallel search (exploreParallel.ts): builds the program, then, for each
 * layer the coordinator sends, claims chunks of it and expands their states exactly as the
 * one-thread search does, inserting children into the shared visited set. What a chunk
 * found new goes back to the coordinator, which orders the next layer.
 *
 * The worker waits for layers in a loop (Atomics.wait, then the message taken off its port)
 * rather than in a 'message' listener, because a step ends by throwing (modelCells.ts,
 * PAUSE), and V8 makes a throw inside a callback from the event loop cost more than one in
 * plain code (measured: getters:3x3 on classic took 3.0 s on one worker in a listener, 2.1 s so).
 */
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { ModelCells, STACK_FAULT } from '../modelCells.js';
import { finalCheck, outside, runStep } from '../step.js';
import { StateKeys } from '../stateKeys.js';
import { describeThrown } from '../violation.js';
import { SharedKeySet, atomicMin } from './sharedKeySet.js';
import { sharedInterners } from './sharedInterner.js';
import {
  CONTROL,
  finalTag,
  loadProgram,
  tagOf,
  type ChunkOut,
  type FoundViolation,
  type FromWorker,
  type LayerRequest,
  type WorkerSetup,
} from './protocol.js';
import { stackLimit, type Program } from '../explore.js';

const setup = workerData as WorkerSetup;
const post = (m: FromWorker, transfer: ArrayBuffer[] = []) => parentPort!.postMessage(m, transfer);

/** A growing list of rows of one width. */
class Rows {
  words = new Int32Array(1024);
  length = 0;
  constructor(private readonly width: number) {}
  push(): number {
    const at = this.length;
    this.length += this.width;
    if (this.length > this.words.length) {
      const grown = new Int32Array(this.words.length * 2);
      grown.set(this.words);
      this.words = grown;
    }
    return at;
  }
}

async function main(): Promise<void> {
  const program = await loadProgram<unknown>(setup.source);
  const cells = new ModelCells();
  cells.maxOpSteps = setup.maxOpSteps;
  if (program.cellName) cells.cellName = (cell) => program.cellName!(cell);
  let start: { memory: Int32Array; world: unknown } | undefined;
  const failed = outside(program, cells, () => void (start = program.init(cells)));
  if (failed || !start) throw new Error('[checker bug] the setup failed in a worker only');
  const keys = new StateKeys(program, start, setup.symmetry, sharedInterners(setup.interners));
  const control = new Int32Array(setup.control);
  const heartbeat = setup.heartbeat && new Int32Array(setup.heartbeat);
  const expand = expander(program, cells, keys, control, heartbeat);
  post({ type: 'ready' });
  for (let layers = 0; ; layers++) {
    // one request per signal; a wake-up without one (a late notify) is waited out
    while (Atomics.load(control, CONTROL.layers) === layers)
      Atomics.wait(control, CONTROL.layers, layers);
    const request = receiveMessageOnPort(parentPort!)?.message as LayerRequest | 'stop';
    if (request === undefined) throw new Error('[checker bug] no layer with its signal');
    if (request === 'stop') return;
    const done = expand(request);
    post(
      done,
      done.chunks.map((c) => c.rows.buffer as ArrayBuffer),
    );
  }
}

function expander(
  program: Program<unknown>,
  cells: ModelCells,
  keys: StateKeys<unknown>,
  control: Int32Array,
  heartbeat: Int32Array | undefined,
) {
  const n = program.threads.length;
  let set = new SharedKeySet(setup.keys);
  const memoryLength = set.width - 1 - n;
  const width = 2 + memoryLength + n;
  const { maxStates, deadline, maxMs, maxMemoryMB } = setup.limits;
  let steps = 0;

  const overLimit = (memoryToo: boolean): string | undefined => {
    if (Date.now() > deadline) return `${maxMs} ms`;
    if (memoryToo && process.memoryUsage().rss > maxMemoryMB * 2 ** 20)
      return `${maxMemoryMB} MiB of memory`;
    return undefined;
  };

  return (request: LayerRequest): Extract<FromWorker, { type: 'layerDone' }> => {
    if (request.keys) set = new SharedKeySet(request.keys);
    const rows = new Int32Array(request.rows);
    const chunks: ChunkOut[] = [];
    let violation: FoundViolation | undefined;
    /** A limit this worker reached (another's only stops it: see CONTROL.stop). */
    let limit: string | undefined;
    const before = steps;
    // the worker's first in tag order (its chunks are claimed in order, and run in order)
    const found = (v: FoundViolation) => {
      if (!violation || v.tag < violation.tag) violation = v;
      if (setup.stopAtViolation) atomicMin(control, CONTROL.violation, v.tag);
    };
    const stopped = () => Atomics.load(control, CONTROL.stop) !== 0;

    chunks: for (;;) {
      const index = Atomics.add(control, CONTROL.claim, 1);
      const first = index * request.chunk;
      if (first >= request.length || stopped() || (violation && setup.stopAtViolation)) break;
      if (setup.stopAtViolation && tagOf(first, 0) > Atomics.load(control, CONTROL.violation))
        break;
      const out = new Rows(width + 1);
      const last = Math.min(request.length, first + request.chunk);
      for (let position = first; position < last; position++) {
        if (setup.stopAtViolation && tagOf(position, 0) > Atomics.load(control, CONTROL.violation))
          break chunks;
        const at = position * width;
        const memory = rows.subarray(at + 2, at + 2 + memoryLength);
        const logs = rows.subarray(at + 2 + memoryLength, at + width);
        const world = keys.worldAt(rows[at + 1]!);
        let anyRunnable = false;
        for (let t = 0; t < n; t++) {
          const log = keys.log(logs[t]!);
          if (log.done) continue;
          anyRunnable = true;
          // every 16 steps: workers beating one cell at every step would fight over its line
          if (heartbeat && (steps & 15) === 0) Atomics.add(heartbeat, 0, 1);
          if ((++steps & 255) === 0) {
            limit = overLimit((steps & 8191) === 0);
            if (limit || stopped()) break chunks;
          }
          const tag = tagOf(position, t);
          const child = runStep(program, cells, memory, world, log, t, setup.replayTwice);
          if (child.violation?.kind === STACK_FAULT.kind) {
            limit = stackLimit(`T${t}`);
            break chunks;
          }
          if (child.violation !== undefined) {
            const { kind, message } = child.violation;
            found({ tag, kind, message, step: child.step });
            if (setup.stopAtViolation) break chunks;
            continue;
          }
          const childLogs = logs.slice();
          childLogs[t] = keys.internLog(child.log, t);
          const childWorld = keys.internWorld(child.world);
          const id = set.findOrAdd(keys.key(child.memory, childWorld, childLogs), tag);
          if (id < 0 || id >= maxStates) {
            limit = `${maxStates} states`;
            break chunks;
          }
          if (!set.added && (id < request.firstInNext || !set.lowerTag(id, tag))) continue;
          const row = out.push();
          out.words[row] = id;
          out.words[row + 1] = tag;
          out.words[row + 2] = keys.worldIndex(childWorld);
          out.words.set(child.memory, row + 3);
          out.words.set(childLogs, row + 3 + memoryLength);
        }
        if (!anyRunnable && program.final) {
          const v = finalCheck(program, cells, memory, world);
          if (v?.kind === STACK_FAULT.kind) {
            limit = stackLimit('the final check');
            break chunks;
          }
          if (v) {
            found({
              tag: finalTag(position),
              kind: v.kind,
              message: v.message, // an Error's message is not enumerable: no spread
              step: { thread: -1, access: undefined, notes: [] },
            });
            if (setup.stopAtViolation) break chunks;
          }
        }
      }
      chunks.push({ index, rows: out.words.slice(0, out.length) });
    }
    if (limit) Atomics.store(control, CONTROL.stop, 1);
    return {
      type: 'layerDone',
      chunks,
      ...(violation ? { violation } : {}),
      ...(limit ? { limit } : {}),
      steps: steps - before,
    };
  };
}

main().catch((e: unknown) => post({ type: 'error', message: describeThrown(e) }));
