/**
 * Benchmark worker: builds its loop, waits for the start, runs in batches, and counts the
 * iterations done while the phase is `counting`. One worker per thread of will-it-scale.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { buildLoop, type BenchMemory, type Workload } from './workloads.js';
import { PHASE, type WorkerResult } from './harness.js';

const { workload, memory, control, worker } = workerData as {
  workload: Workload;
  memory: BenchMemory;
  control: SharedArrayBuffer;
  worker: number;
};
const phase = new Int32Array(control);
const loop = buildLoop(workload, memory, worker);
const BATCH = 1024;

Atomics.add(phase, PHASE.ready, 1);
Atomics.notify(phase, PHASE.ready);
Atomics.wait(phase, PHASE.state, PHASE.waiting); // released together
let counted = 0;
let checksum = 0;
let state: number;
while ((state = Atomics.load(phase, PHASE.state)) !== PHASE.stopped) {
  checksum += loop(BATCH);
  if (state === PHASE.counting) counted += BATCH;
}
parentPort!.postMessage({ counted, checksum } satisfies WorkerResult);
