/**
 * One thread of a forced schedule (forced.ts): its role on page 0, over BatonCells, with the
 * torture's detector. Posts its violations.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PageRefs } from '../refcount/pageRefs.js';
import { BatonCells } from './batonCells.js';
import { GHOST } from './control.js';
import { MEMORY, TYPE, forcedScenario, type ForcedJob } from './forced.js';

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

const typeName = (t: number) => (t === TYPE.X ? 'X' : t === TYPE.Y ? 'Y' : String(t));

/**
 * A put: the thread whose decAndTest wins frees the page, marks it free in the ghost, and
 * runs a destructor: that of the page's own type (the rule), or, for a `putter` whose
 * scenario says so, the one of the type it believed the page to be (`belief`).
 */
function put(belief: number, destructor: 'page' | 'caller' = 'page'): void {
  if (!refs.decAndTest(0)) return;
  Atomics.add(words, MEMORY.frees, 1);
  Atomics.store(words, MEMORY.freedBy, job.thread);
  const type = Atomics.exchange(words, MEMORY.ghost, GHOST.free);
  if (type === GHOST.free) violations.push(`${me} freed page 0, which was free already`);
  else if ((destructor === 'caller' ? belief : type) !== type)
    violations.push(
      `${me} ran the destructor of type ${typeName(belief)} on page 0, now an incarnation of type ${typeName(type)}`,
    );
}

try {
  const role = s.roles[job.thread]!;
  if (role.kind === 'getter') {
    for (let i = 0; i < role.attempts; i++) {
      if (!refs.tryGet(0)) continue;
      Atomics.add(words, MEMORY.gets, 1);
      // the detector: a get succeeds only on a live page
      const type = Atomics.load(words, MEMORY.ghost);
      if (type === GHOST.free)
        violations.push(`${me}'s tryGet took page 0, which is free (${raw()})`);
      else if (role.thenPut) put(type);
      break;
    }
  } else if (role.kind === 'putter') {
    put(TYPE.X, role.destructor);
  } else if (role.kind === 'allocator') {
    refs.count(0); // a scheduled access: the allocator's turn to look at its free list
    if (Atomics.load(words, MEMORY.ghost) === GHOST.free) {
      Atomics.store(words, MEMORY.ghost, TYPE.Y); // the new incarnation's type, before init
      refs.init(0); // allocated: live, ours
      put(TYPE.Y);
    }
  } else {
    refs.inc(0); // folio_get() on a page we hold: legal
  }
} catch (e) {
  violations.push(`${me}: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
} finally {
  cells.finish();
}
parentPort!.postMessage({ violations, accesses: cells.accesses });
