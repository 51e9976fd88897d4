/**
 * Limits on adversarial litmus input, under every model (issue 9, items 6 and 7): generated
 * files with many processes, many writes to one location, deep value chains, wide branching
 * and many observed locations each stop at a time limit of 1 s within a generous bound, as
 * an `incomplete` run that names the limit and gives no verdict. The bounds test behaviour
 * (the run stops near its limit instead of running for minutes), not speed.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Budget, LimitReached, withBudget } from '../../src/axiomatic/limits.js';
import { Relation } from '../../src/axiomatic/relation.js';
import { checkLitmusModel, formatModelRun, modelRunJson } from '../../src/litmus/modelRun.js';
import { MODELS } from '../../src/axiomatic/models/index.js';
import { onCpu } from '../helpers/cpuTime.js';

const DIR = mkdtempSync(join(tmpdir(), 'pageref-adversarial-'));

/** A litmus file from its processes' bodies (each a list of statements over x, y). */
function litmus(name: string, bodies: string[][], condition: string): string {
  const procs = bodies.map(
    (body, i) => `P${i}(int *x, int *y)\n{\n${body.map((s) => `\t${s}\n`).join('')}}\n`,
  );
  const file = join(DIR, `${name}.litmus`);
  writeFileSync(file, `C ${name}\n\n{}\n\n${procs.join('\n')}\nexists (${condition})\n`);
  return file;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** The adversarial files: each takes minutes (or gigabytes) without a limit. */
const ADVERSARIAL: [string, string][] = [
  [
    '50 processes, each writes then reads x',
    litmus(
      'many-processes',
      range(50).map((i) => [`int r0;`, `WRITE_ONCE(*x, ${i + 1});`, `r0 = READ_ONCE(*x);`]),
      '0:r0=1',
    ),
  ],
  [
    '40 writes to one location, read by another process',
    litmus(
      'many-writes',
      [range(40).map((i) => `WRITE_ONCE(*x, ${i + 1});`), ['int r0;', 'r0 = READ_ONCE(*x);']],
      '1:r0=1',
    ),
  ],
  [
    'a deep value chain: 8 processes each add 1 to x three times',
    litmus(
      'value-chain',
      range(8).map(() =>
        range(3).flatMap((k) => [`int r${k} = READ_ONCE(*x);`, `WRITE_ONCE(*x, r${k} + 1);`]),
      ),
      '0:r0=1',
    ),
  ],
  [
    '40 reads, each with a branch that writes',
    litmus(
      'branches',
      [
        range(40).flatMap((k) => [
          `int r${k} = READ_ONCE(*x);`,
          `if (r${k} == 1) WRITE_ONCE(*y, ${k});`,
        ]),
        ['WRITE_ONCE(*x, 1);', 'WRITE_ONCE(*x, 2);'],
      ],
      '0:r0=1',
    ),
  ],
  [
    '12 processes writing 2 values to x and y, all observed',
    litmus(
      'observed',
      range(12).map((i) => [
        `WRITE_ONCE(*x, ${i + 1});`,
        `WRITE_ONCE(*y, ${i + 1});`,
        `WRITE_ONCE(*x, ${i + 100});`,
      ]),
      'x=1 /\\ y=1',
    ),
  ],
];

describe('a time limit bounds every run, under every model', () => {
  for (const model of MODELS) {
    for (const [what, file] of ADVERSARIAL) {
      it(`${model.name}: ${what}`, () => {
        // CPU time: past its 1 s the run stops, and on a busy machine it stops sooner
        const { result: run, ms } = onCpu(() => checkLitmusModel(file, model, { maxSeconds: 1 }));
        assert.ok(ms < 10_000, `${(ms / 1000).toFixed(1)} s of CPU`);
        assert.equal(run.result.kind, 'incomplete');
        assert.ok(run.result.kind === 'incomplete');
        // the time limit, or the front end's cap on traces per process if it comes first
        assert.match(run.result.limit, /^max-(seconds=1|traces=\d+)$/);
        const text = formatModelRun(run);
        assert.match(text, /\npageref: incomplete: stopped at the limit max-(seconds|traces)=/);
        assert.doesNotMatch(text, /States|Observation|Never|Always|Sometimes/);
        const json = modelRunJson(run);
        assert.equal(json.status, 'incomplete');
        assert.equal(json.limit, run.result.limit);
        assert.equal(json.states, null);
        assert.equal(json.herdOk, null);
      });
    }
  }
});

describe('Budget', () => {
  it('past its deadline, check() throws LimitReached naming max-seconds', () => {
    const budget = new Budget({ maxSeconds: 0.001 });
    const until = performance.now() + 5;
    while (performance.now() < until);
    assert.throws(
      () => {
        for (let i = 0; i < 16; i++) budget.check();
      },
      (e: unknown) => e instanceof LimitReached && e.limit === 'max-seconds=0.001',
    );
  });
  it('past its memory ceiling, check() throws LimitReached naming max-memory-mb', () => {
    const budget = new Budget({ maxMemoryMB: 1 });
    assert.throws(
      () => {
        for (let i = 0; i < 1024; i++) budget.check();
      },
      (e: unknown) => e instanceof LimitReached && e.limit === 'max-memory-mb=1',
    );
  });
  it('a memory ceiling stops a litmus run as incomplete', () => {
    const run = checkLitmusModel(ADVERSARIAL[0]![1], MODELS[0]!, { maxMemoryMB: 1 });
    assert.ok(run.result.kind === 'incomplete');
    assert.equal(run.result.limit, 'max-memory-mb=1');
  });
  it('within its limits, check() is silent', () => {
    const budget = new Budget({ maxSeconds: 60 });
    for (let i = 0; i < 10_000; i++) budget.check();
  });
});

describe('the relation algebra checks the budget (issue 20.9: thousands of locations)', () => {
  it('5,000 init locations: --max-seconds 1 holds (18 s before, in n² relation operators)', () => {
    const file = join(DIR, 'many-locations.litmus');
    const init = range(5000).map((i) => `x${i}=0;`);
    writeFileSync(
      file,
      `C many-locations\n{ ${init.join(' ')} }\nP0(int *x0) { WRITE_ONCE(*x0, 1); }\nP1(int *x0) { int r0 = READ_ONCE(*x0); }\nexists (1:r0=1)\n`,
    );
    // CPU time, not the wall clock: a thread the busy machine did not run is not slow
    const { result: run, ms } = onCpu(() => checkLitmusModel(file, MODELS[0]!, { maxSeconds: 1 }));
    assert.ok(run.result.kind === 'incomplete');
    assert.equal(run.result.limit, 'max-seconds=1');
    assert.ok(ms < 4000, `${(ms / 1000).toFixed(1)} s of CPU past a 1 s limit`);
  });
  it('a relation too large for the memory ceiling is refused before it is allocated', () => {
    // 30,000 events: 112 MB of bits
    assert.throws(
      () => withBudget(new Budget({ maxMemoryMB: 64 }), () => new Relation(30_000)),
      (e: unknown) => e instanceof LimitReached && e.limit === 'max-memory-mb=64',
    );
    // outside a run nothing is checked
    assert.equal(new Relation(100).n, 100);
  });
  it('the memory ceiling counts array buffers, where relations live, not only the heap', () => {
    const held = new Uint8Array(256 * 2 ** 20);
    const heapMB = Math.ceil(process.memoryUsage().heapUsed / 2 ** 20);
    const budget = new Budget({ maxMemoryMB: heapMB + 128 });
    assert.throws(
      () => budget.allocate(0),
      (e: unknown) => e instanceof LimitReached && e.limit === `max-memory-mb=${heapMB + 128}`,
    );
    assert.equal(held.length, 256 * 2 ** 20);
  });
});
