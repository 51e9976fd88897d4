import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const pageref = (...args: string[]) =>
  spawnSync(process.execPath, ['dist/src/cli/main.js', ...args], { cwd: ROOT, encoding: 'utf8' });

describe('pageref check (the CLI)', () => {
  it('--json prints one object with a result per scenario × strategy, exit 0', () => {
    const out = pageref('check', '--json');
    assert.equal(out.status, 0, out.stderr);
    const { results } = JSON.parse(out.stdout) as { results: Record<string, unknown>[] };
    assert.equal(results.length, 11 * 5);
    for (const r of results) {
      assert.deepEqual(Object.keys(r).sort(), [
        'counterexample',
        'expected',
        'ms',
        'scenario',
        'states',
        'strategy',
        'verdict',
      ]);
      assert.ok(['safe', 'violation', 'incomplete'].includes(r.verdict as string));
      assert.equal(r.verdict === 'violation', r.counterexample !== null);
    }
  });
  it('prints the verdict table and the counterexamples as text', () => {
    const out = pageref('check', '--scenario', 'overflow-guard', '--strategy', 'rfc-v1,frozen-bit');
    assert.equal(out.status, 0);
    assert.match(out.stdout, /^scenario\s+rfc-v1\s+frozen-bit\n/);
    assert.match(out.stdout, /overflow-guard\s+VIOLATION\s+safe/);
    assert.match(out.stdout, /T0 getter\s+│ T1 getter/);
  });
  it('a user strategy file is checked against the catalog; a violation exits 1', () => {
    const out = pageref('check', '--strategy-file', 'examples/naive-fetch-add.js', '--json');
    assert.equal(out.status, 1);
    const { results } = JSON.parse(out.stdout) as {
      results: { verdict: string; strategy: string }[];
    };
    assert.equal(results.length, 11);
    assert.ok(results.every((r) => r.strategy === 'naive-fetch-add'));
    assert.ok(results.some((r) => r.verdict === 'violation'));
  });
  it('litmus files: herd7 block under LKMM by default, --model sc, --json with the model', () => {
    const file = 'test/fixtures/litmus/kernel/SB+poonceonces.litmus';
    const text = pageref('check', file);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /^Test SB\+poonceonces Allowed\nStates 4\n/);
    assert.match(text.stdout, /\nObservation SB\+poonceonces Sometimes 1 3\nTime SB\+poonceonces /);
    const out = pageref('check', file, '--model', 'sc', '--json');
    assert.equal(out.status, 0, out.stderr);
    const json = JSON.parse(out.stdout) as { model: string; litmus: Record<string, unknown>[] };
    assert.equal(json.model, 'sc');
    assert.deepEqual(
      { ...json.litmus[0], ms: 0 },
      {
        file,
        name: 'SB+poonceonces',
        model: 'sc',
        observation: 'Never',
        ok: false,
        positive: 0,
        negative: 3,
        states: [
          { '0:r0': 0, '1:r0': 1 },
          { '0:r0': 1, '1:r0': 0 },
          { '0:r0': 1, '1:r0': 1 },
        ],
        flags: [],
        vacuous: false,
        explored: 4,
        ms: 0,
      },
    );
  });
  it('an execution limit gives an incomplete run with no verdict, exit 1', () => {
    const out = pageref(
      'check',
      'test/fixtures/litmus/kernel/IRIW+poonceonces+OnceOnce.litmus',
      '--max-states',
      '3',
    );
    assert.equal(out.status, 1);
    assert.match(
      out.stdout,
      /Incomplete: stopped at maxExecutions=3 after \d+ executions; no verdict/,
    );
    assert.doesNotMatch(out.stdout, /Observation|Never|Always/);
  });
  const bad: [string[], RegExp][] = [
    [
      ['check', '--scenario', 'nope'],
      /^pageref: unknown scenario "nope": expected one of inc-free/,
    ],
    [['check', '--strategy', 'lockless'], /^pageref: unknown strategy "lockless"/],
    [['check', '--strategy-file', 'nope.js'], /^pageref: strategy file not found: nope.js/],
    [
      ['check', '--strategy-file', 'package.json'],
      /^pageref: could not load strategy file package.json/,
    ],
    [
      ['check', '--strategy-file', 'eslint.config.js'],
      /^pageref: strategy file eslint.config.js does not implement the strategy interface: missing name, isFrozenCount/,
    ],
    [['check', 'nope.litmus'], /^pageref: litmus file not found: nope.litmus/],
    [['check', '--max-states', 'many'], /^pageref: --max-states must be a positive integer/],
    [
      ['check', '--model', 'tso', 'x.litmus'],
      /^pageref: unknown model "tso": expected one of lkmm, sc/,
    ],
  ];
  for (const [args, message] of bad) {
    it(`${args.slice(1).join(' ')}: one line, exit 2`, () => {
      const out = pageref(...args);
      assert.equal(out.status, 2);
      assert.match(out.stderr, message);
      assert.equal(out.stderr.trim().split('\n').length, 1, out.stderr);
    });
  }
});
