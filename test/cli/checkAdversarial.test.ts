import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pagerefWith } from '../helpers/pageref.js';
import { CHILD_HANG_MS } from '../helpers/hang.js';

/**
 * `pageref check --strategy-file` against strategies written to fool the checker (issue 20):
 * each gets a verdict about the strategy, never `safe` and never a crash of the checker.
 */

interface Result {
  scenario: string;
  strategy: string;
  verdict: string;
  states: number;
  limit?: string;
  counterexample: { kind: string; message: string; steps: unknown[] } | null;
}

/** Runs the check with --json; the results, the exit status and stderr. */
function check(file: string, args: string[], env: Record<string, string> = {}) {
  const out = pagerefWith(
    env,
    'check',
    '--strategy-file',
    `test/cli/fixtures/${file}.js`,
    '--json',
    ...args,
  );
  let results: Result[] = [];
  try {
    results = (JSON.parse(out.stdout) as { results: Result[] }).results;
  } catch {
    assert.fail(`no JSON (exit ${out.status}): ${out.stdout}\n${out.stderr}`);
  }
  return { results, status: out.status, stderr: out.stderr };
}

describe('thrown values that throw when they are read: a threw violation, described safely', () => {
  const cases: [string, RegExp][] = [
    ['revoked', /threw a value that throws when it is read \(a revoked Proxy\?\)$/],
    ['message', /threw \(its message cannot be read\)$/],
    ['toString', /threw a value that throws when it is read/],
  ];
  for (const [kind, message] of cases) {
    it(kind, () => {
      const { results, status, stderr } = check('throwsHostile', ['--scenario', 'inc-freeze'], {
        PAGEREF_TEST_THROW: kind,
      });
      assert.equal(status, 1, stderr);
      assert.doesNotMatch(stderr, /checker bug/);
      const [r] = results;
      assert.equal(r!.verdict, 'violation');
      assert.equal(r!.counterexample!.kind, 'threw');
      assert.match(r!.counterexample!.message, message);
    });
  }
});

describe('a strategy cannot forge its verdict', () => {
  it('fake results posted on parentPort, as it loads and at each call, are never read', () => {
    const { results, status, stderr } = check('forges', ['--scenario', 'inc-freeze']);
    assert.equal(status, 1, stderr);
    assert.equal(results.length, 1);
    assert.equal(results[0]!.verdict, 'violation');
    assert.equal(results[0]!.counterexample!.kind, 'getOnFrozen');
  });
  it("the builtins, their global names and the checker's own classes and catalog cannot be changed", () => {
    const { results, status, stderr } = check('poisons', ['--scenario', 'inc-freeze']);
    assert.equal(status, 1, stderr);
    assert.equal(results[0]!.verdict, 'violation');
    assert.equal(results[0]!.counterexample!.kind, 'getOnFrozen');
  });
});

describe('every run ends within --max-seconds and a few seconds, wherever the time goes', () => {
  it('a get blocked in a system call (a FIFO nobody writes): the verdicts, then the process exits', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pageref-fifo-'));
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    try {
      const started = Date.now();
      const { results, status, stderr } = check(
        'blocksInSyscall',
        ['--scenario', 'inc-freeze,inc-free', '--max-seconds', '2'],
        { PAGEREF_TEST_FIFO: fifo },
      );
      const seconds = (Date.now() - started) / 1000;
      assert.equal(status, 1, stderr);
      // ended by the watchdog, not by the test's own hang limit; a bound on the wall clock
      // tighter than that would fail on a busy machine, where each child waits for a core
      assert.ok(seconds < CHILD_HANG_MS / 1000, `${seconds} s`);
      assert.equal(results.length, 2);
      for (const r of results) assert.notEqual(r.verdict, 'safe');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it("a getter of the strategy's that sleeps from its second read on: read once, as the module loads, so it never sleeps", () => {
    // The checker reads each function of a strategy once (strategyOfModule's snapshot): its
    // own code never reads a getter again, so a getter cannot make it sleep, nor change a
    // function (or the name) after the checks. The functions are base's: safe.
    const { results, status, stderr } = check('sleepsInGetter', [
      '--scenario',
      'inc-freeze',
      '--max-seconds',
      '2',
    ]);
    assert.equal(status, 0, stderr);
    assert.equal(results[0]!.verdict, 'safe');
  });
});

describe('an unhandled rejection from strategy code', () => {
  it('is a threw violation of the run that made it, the same on every run', () => {
    const runs = [0, 1].map(() => check('rejects', ['--scenario', 'debug-inc-live,inc-freeze']));
    for (const { status, stderr } of runs) assert.equal(status, 1, stderr);
    const [first, second] = runs.map(({ results }) =>
      results.map((r) => ({ ...r, ms: 0, states: 0 })),
    );
    assert.deepEqual(second, first);
    const byScenario = new Map(first!.map((r) => [r.scenario, r]));
    // debug-inc-live never finds the page frozen: its get never rejects
    assert.equal(byScenario.get('debug-inc-live')!.verdict, 'safe');
    const frozen = byScenario.get('inc-freeze')!;
    assert.equal(frozen.verdict, 'violation');
    assert.equal(frozen.counterexample!.kind, 'threw');
    assert.match(
      frozen.counterexample!.message,
      /left a promise rejected with no handler: nobody handles this/,
    );
  });
});

describe('strategy names', () => {
  it('a name with an invisible character is refused (it would show as a built-in)', () => {
    const out = pagerefWith({}, 'check', '--strategy-file', 'test/cli/fixtures/invisibleName.js');
    assert.equal(out.status, 2);
    assert.match(
      out.stderr,
      /^pageref: strategy file .*invisibleName.js names its strategy "classic\\u200b": a name is 1 to 40 printable ASCII characters/,
    );
    assert.equal(out.stderr.trim().split('\n').length, 1);
  });
});

describe("the model cells' own state is out of a strategy's reach", () => {
  it('a get that moves the model memory itself (no access, no interleaving): threw, not safe', () => {
    const { results, status, stderr } = check('readsModelMemory', ['--scenario', 'inc-freeze']);
    assert.equal(status, 1, stderr);
    assert.equal(results[0]!.verdict, 'violation');
    assert.equal(results[0]!.counterexample!.kind, 'threw');
  });
  it('a correct get that takes the methods apart (const { load, cas } = c): safe', () => {
    const { results, status, stderr } = check('destructures', ['--scenario', 'inc-freeze,kiryl']);
    assert.equal(status, 0, stderr);
    for (const r of results) assert.equal(r.verdict, 'safe');
  });
});
