import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CATALOG } from '../../src/check/catalog.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const pageref = (...args: string[]) =>
  spawnSync(process.execPath, ['dist/src/cli/main.js', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });

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
    [['check', '--max-seconds', '0'], /^pageref: --max-seconds must be a positive integer/],
    [['check', '--scenario', ','], /^pageref: --scenario: expected a comma-separated list/],
    [['check', '--scenario', ''], /^pageref: --scenario: expected a comma-separated list/],
    [['check', '--strategy', ','], /^pageref: --strategy: expected a comma-separated list/],
    [
      ['check', '--strategy-file', 'test/cli/fixtures/exits.js'],
      /^pageref: strategy file test\/cli\/fixtures\/exits.js ended the checker's thread while it was loading \(process.exit\(0\)\)/,
    ],
    [
      ['check', '--strategy', 'classic', '--strategy-file', 'test/cli/fixtures/namedClassic.js'],
      /^pageref: strategy file .* names its strategy "classic", the name of a built-in strategy/,
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

describe('pageref check on held-out strategies: a clear verdict in seconds, never safe', () => {
  type Json = {
    results: {
      scenario: string;
      verdict: string;
      counterexample: { kind: string; message: string } | null;
    }[];
  };
  const cases: [file: string, scenarios: string, verdict: string, kind: string, message: RegExp][] =
    [
      ['tryCatch', 'inc-free', 'violation', 'pauseSwallowed', /caught the exception the checker/],
      [
        'random',
        CATALOG.map((s) => s.name).join(','),
        'violation',
        'nondeterministic',
        /deterministic\?/,
      ],
      ['spinsOnMemory', 'inc-freeze', 'spins', 'spins', /did not finish in 100 steps \(it spins\)/],
      ['spinsInJs', 'inc-freeze', 'spins', 'spins', /^T1's tryGet ran 1 s without a shared access/],
      ['throws', 'inc-freeze', 'violation', 'threw', /^T1's tryGet \(get p0\) threw TypeError/],
      ['throwsValue', 'inc-freeze', 'violation', 'threw', /threw "page is frozen"/],
      [
        'outOfRange',
        'inc-freeze',
        'violation',
        'outOfRange',
        /load of cell 1000, outside the 3 cells/,
      ],
      [
        'exitsInGet',
        'inc-freeze',
        'violation',
        'threw',
        /^T1's tryGet ended the checker's thread \(process.exit\(3\)\)$/,
      ],
    ];
  for (const [file, scenarios, verdict, kind, message] of cases) {
    it(`${file}: ${kind}, exit 1`, () => {
      const started = Date.now();
      const out = pageref(
        'check',
        '--strategy-file',
        `test/cli/fixtures/${file}.js`,
        '--scenario',
        scenarios,
        '--json',
      );
      assert.ok(Date.now() - started < 20_000, `took ${Date.now() - started} ms`);
      assert.equal(out.status, 1, out.stderr);
      const { results } = JSON.parse(out.stdout) as Json;
      const found = results.find((r) => r.counterexample?.kind === kind);
      assert.ok(found, JSON.stringify(results));
      assert.equal(found.verdict, verdict);
      assert.match(found.counterexample!.message, message);
    });
  }
  it('a user strategy: the counterexample that matters prints before the one expected by design', () => {
    const out = pageref('check', '--strategy-file', 'examples/naive-fetch-add.js');
    assert.equal(out.status, 1);
    const headings = [...out.stdout.matchAll(/^(\S+) × naive-fetch-add: shortest/gm)].map(
      (m) => m[1],
    );
    assert.ok(headings.length > 1);
    assert.equal(headings.at(-1), 'aba-caller-dtor');
  });
  it('--help names the time limit', () => {
    const out = pageref('check', '--help');
    assert.match(out.stdout, /--max-seconds <n>/);
  });
});
