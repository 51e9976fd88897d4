// A benchmark worker as a busy machine may run it: worker 1 gets no time for the first
// 200 ms of the counted phase (it blocks there, before its first counted batch).
import { parentPort, workerData } from 'node:worker_threads';
import { buildLoop, type BenchMemory } from '../../src/bench/workloads.js';
import { countBatches } from '../../src/bench/countBatches.js';
import { CONTROL, PHASE } from '../../src/bench/harness.js';

const { memory, control, worker } = workerData as {
  memory: BenchMemory;
  control: SharedArrayBuffer;
  worker: number;
};
const loop = buildLoop('getput', memory, worker);
const phase = new Int32Array(control);
let stalled = worker !== 1;
const late = (n: number) => {
  if (!stalled && Atomics.load(phase, CONTROL.phase) === PHASE.counting) {
    stalled = true;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
  }
  return loop(n);
};
parentPort!.postMessage(countBatches(late, control));
