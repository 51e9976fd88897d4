/**
 * Benchmark worker: builds its loop, waits for the start, runs in batches, and counts the
 * iterations done while the phase is `counting`. One worker per thread of will-it-scale.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { buildLoop, type BenchMemory, type Workload } from './workloads.js';
import { CONTROL, PHASE, type WorkerResult } from './harness.js';

const { workload, memory, control, worker } = workerData as {
  workload: Workload;
  memory: BenchMemory;
  control: SharedArrayBuffer;
  worker: number;
};
const phase = new Int32Array(control);
const loop = buildLoop(workload, memory, worker);
const BATCH = 1024;

Atomics.add(phase, CONTROL.ready, 1);
Atomics.notify(phase, CONTROL.ready);
Atomics.wait(phase, CONTROL.phase, PHASE.waiting); // released together
let counted = 0;
let checksum = 0;
let state: number;
while ((state = Atomics.load(phase, CONTROL.phase)) !== PHASE.stopped) {
  checksum += loop(BATCH);
  if (state === PHASE.counting) counted += BATCH;
}
parentPort!.postMessage({ counted, checksum } satisfies WorkerResult);
