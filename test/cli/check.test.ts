import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CATALOG } from '../../src/check/catalog.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const pageref = (...args: string[]) =>
  spawnSync(process.execPath, ['dist/src/cli/main.js', ...args], { cwd: ROOT, encoding: 'utf8' });

describe('pageref check (the CLI)', () => {
  it('--json prints one object with a result per scenario × strategy, exit 0', () => {
    const out = pageref('check', '--json');
    assert.equal(out.status, 0, out.stderr);
    const { results } = JSON.parse(out.stdout) as { results: Record<string, unknown>[] };
    assert.equal(results.length, CATALOG.length * 5);
    for (const r of results) {
      assert.deepEqual(Object.keys(r).sort(), [
        'counterexample',
        'expected',
        'ms',
        'pages',
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
    assert.equal(results.length, CATALOG.length);
    assert.ok(results.every((r) => r.strategy === 'naive-fetch-add'));
    assert.ok(results.some((r) => r.verdict === 'violation'));
  });
  it('litmus files: herd7-style text and --json', () => {
    const out = pageref('check', 'litmus/seeds/inc_freeze_race.litmus', '--json');
    assert.equal(out.status, 0);
    const { litmus } = JSON.parse(out.stdout) as { litmus: Record<string, unknown>[] };
    assert.deepEqual(
      { ...litmus[0], states: 0 },
      {
        file: 'litmus/seeds/inc_freeze_race.litmus',
        name: 'inc_freeze_race',
        observation: 'Never',
        positive: 0,
        negative: 2,
        states: 0,
        vacuous: true,
        ok: false,
      },
    );
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
