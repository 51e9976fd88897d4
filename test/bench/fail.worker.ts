// A benchmark worker that fails once the run has started: the harness must report it.
import { workerData } from 'node:worker_threads';
const phase = new Int32Array((workerData as { control: SharedArrayBuffer }).control);
Atomics.add(phase, 1, 1);
Atomics.wait(phase, 0, 0);
if ((workerData as { worker: number }).worker === 1) throw new Error('injected failure');
while (Atomics.load(phase, 0) !== 3);
process.exit(0); // exits without reporting: also a failure
