/**
 * One thread of a forced schedule (forced.ts): its role on page 0, over BatonCells, with the
 * torture's detector. Posts its violations.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PageRefs } from '../refcount/pageRefs.js';
import { BatonCells } from './batonCells.js';
import { GHOST } from './control.js';
import { MEMORY, forcedScenario, type ForcedJob } from './forced.js';

const job = workerData as ForcedJob;
const s = forcedScenario(job.scenario);
const words = new Int32Array(job.memory);
const cells = new BatonCells(
  words.subarray(MEMORY.counter, MEMORY.counter + 1),
  new Int32Array(job.baton),
  s.schedule,
  job.thread,
);
const refs = PageRefs.over(cells, { pages: 1, strategy: job.strategy, debug: s.debug });
const me = `T${job.thread}`;
const violations: string[] = [];
const raw = () => `raw 0x${(Atomics.load(words, MEMORY.counter) >>> 0).toString(16)}`;

/** A put: the thread whose decAndTest wins frees the page (the ghost says so). */
function put(): void {
  if (!refs.decAndTest(0)) return;
  Atomics.add(words, MEMORY.frees, 1);
  Atomics.store(words, MEMORY.freedBy, job.thread);
  if (Atomics.exchange(words, MEMORY.ghost, GHOST.free) === GHOST.free)
    violations.push(`${me} freed page 0, which was free already`);
}

try {
  const role = s.roles[job.thread]!;
  if (role.kind === 'getter') {
    for (let i = 0; i < role.attempts; i++) {
      if (!refs.tryGet(0)) continue;
      Atomics.add(words, MEMORY.gets, 1);
      // the detector: a get succeeds only on a live page
      if (Atomics.load(words, MEMORY.ghost) === GHOST.free)
        violations.push(`${me}'s tryGet took page 0, which is free (${raw()})`);
      else if (role.thenPut) put();
      break;
    }
  } else if (role.kind === 'putter') {
    put();
  } else {
    refs.inc(0); // folio_get() on a page we hold: legal
  }
} catch (e) {
  violations.push(`${me}: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
} finally {
  cells.finish();
}
parentPort!.postMessage({ violations, accesses: cells.accesses });
