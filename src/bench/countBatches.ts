/**
 * A benchmark worker's side of the harness's protocol, apart from its entry point so that
 * tests can run it on a loop of their own (test/bench/late.worker.ts).
 *
 * Invariant: a worker that takes part in a measurement counts at least one batch. The
 * harness keeps the counted phase open until every worker has announced its first counted
 * batch (CONTROL.counting), so a worker that the machine did not schedule inside the
 * requested duration still counts, and the duration measured stretches to cover it.
 */
import { CONTROL, PHASE, type WorkerResult } from './harness.js';

/** Operations per batch: the phase is read once per batch, outside the loop. */
export const BATCH = 1024;

/**
 * Waits for the start, runs `loop` in batches until the phase is `stopped`, and counts the
 * batches that started while the phase was `counting`.
 * @returns the count and the loop's checksum, for the worker to post.
 */
export function countBatches(
  loop: (n: number) => number,
  control: SharedArrayBuffer,
): WorkerResult {
  const phase = new Int32Array(control);
  Atomics.add(phase, CONTROL.ready, 1);
  Atomics.notify(phase, CONTROL.ready);
  Atomics.wait(phase, CONTROL.phase, PHASE.waiting); // released together
  let counted = 0;
  let checksum = 0;
  let state: number;
  while ((state = Atomics.load(phase, CONTROL.phase)) !== PHASE.stopped) {
    checksum += loop(BATCH);
    if (state !== PHASE.counting) continue;
    // tell the harness: this worker has counted, the window may close
    if (counted === 0) Atomics.add(phase, CONTROL.counting, 1);
    counted += BATCH;
  }
  return { counted, checksum };
}
