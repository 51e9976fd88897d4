/**
 * Benchmark worker: builds its loop, then counts batches of it as the harness says
 * (countBatches.ts). One worker per thread of will-it-scale.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { buildLoop, type BenchMemory, type Workload } from './workloads.js';
import { countBatches } from './countBatches.js';
import type { WorkerResult } from './harness.js';

const { workload, memory, control, worker } = workerData as {
  workload: Workload;
  memory: BenchMemory;
  control: SharedArrayBuffer;
  worker: number;
};
const loop = buildLoop(workload, memory, worker);
parentPort!.postMessage(countBatches(loop, control) satisfies WorkerResult);
