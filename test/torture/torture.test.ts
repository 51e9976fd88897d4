import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runTorture } from '../../src/torture/torture.js';
import { PRODUCTION_STRATEGIES } from '../../src/refcount/strategies.js';
import { TALLY, type TallyField } from '../../src/torture/control.js';
import { tortureTable } from '../../src/cli/torture.js';
import { pageref } from '../helpers/pageref.js';
import { HANG_MS } from '../helpers/hang.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

describe('torture: real workers on a shared page cache', () => {
  for (const strategy of PRODUCTION_STRATEGIES) {
    it(`${strategy}: 3 workers, 2 s, 0 violations`, { timeout: HANG_MS }, async () => {
      const r = await runTorture({ workers: 3, seconds: 2, strategy });
      assert.deepEqual(r.violations, []);
      assert.equal(r.found, 0);
      // each worker does its minOps (1,000), however late a busy machine runs it
      for (const w of r.perWorker) assert.ok(w.ops >= 1000, `worker ${w.worker}: ${w.ops}`);
    });

    it(`${strategy}: one worker, 1,000 operations: every kind happens, 0 violations`, async () => {
      // seconds 0: exactly minOps operations; one worker: all of them its seed's, so these
      // counts are the same every run, whatever the machine's load
      const r = await runTorture({ workers: 1, seconds: 0, minOps: 1000, strategy });
      assert.deepEqual(r.violations, []);
      const w = r.perWorker[0]!;
      assert.equal(w.ops, 1000);
      for (const k of [
        'hits',
        'inserts',
        'evicts',
        'removes',
        'gets',
        'scanHits',
        'shares',
      ] as const)
        assert.ok(w[k] > 0, `${k}: ${JSON.stringify(w)}`);
    });
  }

  it(
    "--kill: the killed worker's references are reported as leaked, the others carry on",
    { timeout: HANG_MS },
    async () => {
      const r = await runTorture({ workers: 3, seconds: 2, strategy: 'frozen-bit', kill: true });
      assert.deepEqual(r.violations, []);
      const killed = r.perWorker[2]!;
      assert.equal(killed.killed, true);
      assert.ok(r.perWorker[0]!.ops >= 1000 && r.perWorker[1]!.ops >= 1000);
      for (const l of r.leaked) assert.equal(l.worker, 2);
      // Its row is its own tally, from the counters it kept in shared memory: it was parked
      // only after 500 operations, and its seed's first 500 include reads and scans (counted
      // when tried, so whatever the other workers did to the cache).
      assert.ok(killed.ops >= 500, `killed worker: ${killed.ops} operations`);
      assert.ok(killed.reads > 0 && killed.scans > 0, JSON.stringify(killed));
      assert.ok(killed.reads + killed.inserts + killed.scans <= killed.ops);
    },
  );

  it(
    "a killed worker's violations are counted, and the report says its messages are lost",
    { timeout: HANG_MS },
    async () => {
      // Every evict throws, and the victim's seed draws evicts in its first 500 operations,
      // after which it is parked and killed: its count survives in shared memory.
      const r = await runTorture({
        workers: 2,
        seconds: 1,
        strategy: 'frozen-bit',
        kill: true,
        workerUrl: new URL('./throwingEvict.worker.js', import.meta.url),
      });
      const victim = r.perWorker[1]!;
      assert.ok(victim.killed && victim.flagged > 0, JSON.stringify(victim));
      assert.ok(
        r.violations.includes(
          `worker 1 was killed: it had counted ${victim.flagged} violation(s), whose messages are lost with it`,
        ),
      );
      assert.ok(!r.violations.some((v) => v.startsWith('worker 1, operation')));
      // nothing else went wrong (the audit is clean), and the note is not counted again
      assert.equal(r.found, r.perWorker[0]!.flagged + victim.flagged);
    },
  );

  it(
    'a cache that evicts without freezing is caught: torn or foreign reads, or a bad audit',
    { timeout: HANG_MS },
    async () => {
      // One worker, so its operations are those of its seed in that order, whatever the
      // machine's load: it evicts a page it holds itself, and is caught in its first 100.
      const r = await runTorture({
        workers: 1,
        seconds: 0,
        minOps: 1000,
        strategy: 'frozen-bit',
        workerUrl: new URL('./brokenEvict.worker.js', import.meta.url),
      });
      assert.ok(r.violations.length > 0, 'the broken eviction went unnoticed');
    },
  );

  // One worker: its operations are its seed's, in that order, whatever the machine's load, so
  // each outcome below is certain, and the operation a violation names is the same every run.
  it("rfc-v1: a scan's speculative get takes a never-allocated page, at its plain 0", async () => {
    const run = () =>
      runTorture({ workers: 1, seconds: 0, minOps: 1000, strategy: 'rfc-v1', seed: 0x5eed });
    const r = await run();
    assert.deepEqual(r.violations, [
      'worker 0, operation 53: scan: tryGet took page 6, which is free (raw 0x1)',
    ]);
    assert.equal(r.found, 1);
    const again = await run();
    assert.deepEqual(again.violations, r.violations, 'the seed replays it');
    assert.deepEqual(again.perWorker, r.perWorker, 'and every count');
  });

  it('v2-inverted: a scan takes a free page at its plain 0, and the inverted helper fires on a live page', async () => {
    // v2 as written frees a page to a plain 0 (set_page_count_as_frozen was not changed; the
    // patch mail's C found it, src/kernel), so the RFC's free-page get comes back; then the
    // inverted debug helper (count > 0 && !(count & FROZEN_BIT)) fires on the live count 1.
    const r = await runTorture({ workers: 1, seconds: 0, minOps: 1000, strategy: 'v2-inverted' });
    assert.deepEqual(r.violations.slice(0, 2), [
      'worker 0, operation 53: scan: tryGet took page 6, which is free (raw 0x1)',
      'worker 0, operation 53: PageRefDebugError: dec(page 6): page is frozen (raw counter 0x1)',
    ]);
    const again = await runTorture({
      workers: 1,
      seconds: 0,
      minOps: 1000,
      strategy: 'v2-inverted',
    });
    assert.deepEqual(again.violations, r.violations, 'the seed replays it');
  });

  it("the table prints a killed worker's own counts, not zeros", () => {
    const row = { worker: 2, killed: true, violations: [] as string[] };
    const counts = Object.fromEntries(TALLY.map((f, i) => [f, 100 + i])) as Record<
      TallyField,
      number
    >;
    const [header, line] = tortureTable([{ ...row, ...counts }]);
    assert.match(header!, /^worker +ops +reads .* scan hits +shares +aba +flagged$/);
    assert.equal(
      line,
      `2      ${TALLY.map((f, i) => String(100 + i).padStart(f === 'scanHits' ? 9 : 8)).join(' ')}  (killed: counted up to where it parked)`,
    );
  });

  it('the CLI prints the JSON shape and exits 0', () => {
    const out = spawnSync(
      process.execPath,
      ['dist/src/cli/main.js', 'torture', '--workers', '2', '--seconds', '1', '--json'],
      { cwd: ROOT, encoding: 'utf8' },
    );
    assert.equal(out.status, 0, out.stderr);
    const json = JSON.parse(out.stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(json).sort(), [
      'found',
      'leaked',
      'ops',
      'perWorker',
      'seed',
      'violations',
    ]);
    assert.match(out.stderr, /torture: \d+ s: [\d,]+ operations/);
  });

  it('a run leaves no timer pending, so the CLI exits once it has printed', async () => {
    // The bug: the hang guard's timer kept the process alive 10 s after the run.
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    await runTorture({ workers: 1, seconds: 0, strategy: 'frozen-bit' });
    assert.equal(timers(), before);
  });

  for (const [args, message] of [
    [['--workers', '0'], /--workers must be an integer from 1 to 64/],
    [['--strategy', 'nope'], /unknown strategy "nope"/],
    [['--kill', '--workers', '1'], /--kill needs at least 2 workers/],
  ] as [string[], RegExp][]) {
    it(`torture ${args.join(' ')}: one line, exit 2`, () => {
      const out = pageref('torture', ...args);
      assert.equal(out.status, 2);
      assert.match(out.stderr, message);
    });
  }
});
