import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pagerefWith } from '../helpers/pageref.js';

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
