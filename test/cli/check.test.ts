import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CATALOG } from '../../src/check/catalog.js';
import { checkLkmm, pageref } from '../helpers/pageref.js';
import { childOnCpu } from '../helpers/cpuTime.js';

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
        'model',
        'ms',
        'pages',
        'scenario',
        'states',
        'strategy',
        'verdict',
      ]);
      assert.equal(r.model, 'sc');
      assert.ok(['safe', 'violation', 'incomplete'].includes(r.verdict as string));
      assert.equal(r.verdict === 'violation', r.counterexample !== null);
    }
  });
  it('counts in words: 1 run, 1 step, not 1 runs', () => {
    const out = pageref('check', '--scenario', 'free-page-get', '--strategy', 'rfc-v1');
    assert.match(out.stdout, /^1 run, 1 state, /m);
    assert.match(out.stdout, /shortest counterexample \(1 step\)/);
  });
  it('prints the verdict table and the counterexamples as text', () => {
    const out = pageref('check', '--scenario', 'overflow-guard', '--strategy', 'rfc-v1,frozen-bit');
    assert.equal(out.status, 0);
    assert.match(out.stdout, /^scenario\s+rfc-v1\s+frozen-bit\s+checked at\n/);
    assert.match(out.stdout, /overflow-guard\s+VIOLATION\s+safe/);
    assert.match(out.stdout, /T0 getter\s+│ T1 getter/);
  });
  it('--model lkmm runs the catalog under LKMM: a verdict table, JSON that names its model', () => {
    const text = checkLkmm('inc-free,free-page-get', 'classic');
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /^model lkmm: /);
    assert.match(text.stdout, /\ninc-free\s+safe \d+ ms\nfree-page-get\s+safe \d+ ms\n/);
    const out = checkLkmm('inc-free', 'classic', '--json');
    const json = JSON.parse(out.stdout) as { model: string; results: Record<string, unknown>[] };
    assert.equal(json.model, 'lkmm');
    assert.equal(json.results[0]!.model, 'lkmm');
    assert.equal(json.results[0]!.verdict, 'safe');
    const cut = checkLkmm('kiryl', 'classic', '--max-events', '3');
    assert.equal(cut.status, 1);
    assert.match(cut.stdout, /kiryl\s+bounded/);
    const bad = pageref('check', '--model', 'tso');
    assert.equal(bad.status, 2);
  });
  it("--model sc,lkmm: both verdicts side by side, JSON naming each result's model; a strategy file too", () => {
    const args = ['--scenario', 'kiryl', '--strategy', 'classic,frozen-bit'];
    const text = pageref('check', '--model', 'sc,lkmm', ...args);
    assert.equal(text.status, 1, text.stderr); // frozen-bit's relaxed cmpxchg under LKMM
    assert.match(text.stdout, /\nkiryl\s+safe \/ safe\s+safe \/ VIOLATION\n/);
    const out = pageref('check', '--model', 'sc,lkmm', ...args, '--json');
    const json = JSON.parse(out.stdout) as { results: { model: string; strategy: string }[] };
    assert.deepEqual(
      json.results.map((r) => `${r.model} ${r.strategy}`),
      ['sc classic', 'sc frozen-bit', 'lkmm classic', 'lkmm frozen-bit'],
    );
    const file = pageref(
      'check',
      '--model',
      'lkmm',
      '--scenario',
      'inc-free',
      '--strategy-file',
      'examples/naive-fetch-add.js',
    );
    assert.equal(file.status, 1, file.stderr);
    assert.match(file.stdout, /\ninc-free\s+VIOLATION \d+ ms\n/);
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
  it('litmus files: herd7 block under LKMM by default, --model sc, --json with the model', () => {
    const file = 'test/fixtures/litmus/kernel/SB+poonceonces.litmus';
    const text = pageref('check', file);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /^Test SB\+poonceonces Allowed\nStates 4\n/);
    assert.match(
      text.stdout,
      /\nObservation SB\+poonceonces Sometimes 1 3\nTime SB\+poonceonces \d+\.\d\d\npageref: model lkmm: Linux-kernel memory model/,
    );
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
        modelTitle: 'Sequential consistency (acyclic po | rf | co | fr, atomic RMW)',
        status: 'complete',
        limit: null,
        limitOption: null,
        limitDetail: null,
        states: 3,
        finalStates: [
          { '0:r0': 0, '1:r0': 1 },
          { '0:r0': 1, '1:r0': 0 },
          { '0:r0': 1, '1:r0': 1 },
        ],
        herdOk: 'No',
        loop: false,
        observation: 'Never',
        positive: 0,
        negative: 3,
        flags: [],
        condition: 'exists (0:r0=0 /\\ 1:r0=0)',
        vacuous: false,
        executions: 4,
        ms: 0,
        warnings: [],
      },
    );
  });
  it("text: herd7's block is herd7's; vacuity is pageref's remark after it", () => {
    const out = pageref('check', 'litmus/seeds/inc_freeze_race.litmus');
    assert.equal(out.status, 0, out.stderr);
    const lines = out.stdout.trimEnd().split('\n');
    const time = lines.findIndex((l) => l.startsWith('Time inc_freeze_race '));
    assert.ok(time > 0);
    assert.ok(lines.slice(0, time).every((l) => !l.startsWith('pageref') && !/acuous/.test(l)));
    assert.deepEqual(lines.slice(time + 1), [
      'pageref: model lkmm: Linux-kernel memory model (tools/memory-model, herd7 linux-kernel.cfg, lkmmv2)',
      'pageref: vacuous: no candidate execution satisfies the condition, so the answer says nothing',
    ]);
    const json = JSON.parse(
      pageref('check', '--json', 'litmus/seeds/inc_freeze_race.litmus').stdout,
    ) as {
      litmus: { vacuous: boolean; states: number; finalStates: unknown[] }[];
    };
    assert.equal(json.litmus[0]!.vacuous, true);
    assert.equal(json.litmus[0]!.states, json.litmus[0]!.finalStates.length);
  });
  it("--json 'states' is herd7's States N, as in the text", () => {
    const file = 'test/fixtures/litmus/kernel/IRIW+poonceonces+OnceOnce.litmus';
    const text = pageref('check', file).stdout;
    const json = JSON.parse(pageref('check', '--json', file).stdout) as {
      litmus: { states: number; executions: number; herdOk: string }[];
    };
    assert.equal(`States ${json.litmus[0]!.states}`, /\nStates \d+/.exec(text)![0].trim());
    assert.match(text, new RegExp(`\\n${json.litmus[0]!.herdOk}\\nWitnesses\\n`));
    assert.ok(json.litmus[0]!.executions >= json.litmus[0]!.states);
  });
  it('an execution limit gives an incomplete run with no verdict, exit 1', () => {
    const file = 'test/fixtures/litmus/kernel/IRIW+poonceonces+OnceOnce.litmus';
    const out = pageref('check', file, '--max-states', '3');
    assert.equal(out.status, 1);
    assert.match(
      out.stdout,
      /^Test IRIW\+poonceonces\+OnceOnce Allowed\npageref: incomplete: stopped at the limit max-states=3 after \d+ executions; no verdict \(raise --max-states to go further\)\n/,
    );
    assert.doesNotMatch(out.stdout, /Observation|Never|Always/);
    const json = JSON.parse(pageref('check', file, '--max-states', '3', '--json').stdout) as {
      litmus: Record<string, unknown>[];
    };
    assert.equal(json.litmus[0]!.status, 'incomplete');
    assert.equal(json.litmus[0]!.limit, 'max-states=3');
    assert.equal(json.litmus[0]!.limitOption, '--max-states');
    assert.equal(json.litmus[0]!.observation, null);
  });
  it('--max-seconds bounds a run on an adversarial file (50 processes), under every model', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pageref-cli-'));
    const file = join(dir, 'many.litmus');
    const procs = Array.from(
      { length: 50 },
      (_, i) =>
        `P${i}(int *x)\n{\n\tint r0;\n\tWRITE_ONCE(*x, ${i + 1});\n\tr0 = READ_ONCE(*x);\n}\n`,
    );
    writeFileSync(file, `C many\n\n{}\n\n${procs.join('\n')}\nexists (0:r0=1)\n`);
    for (const model of ['lkmm', 'sc']) {
      const { result: out, ms } = childOnCpu(() =>
        pageref('check', '--max-seconds', '2', '--model', model, '--json', file),
      );
      assert.equal(out.status, 1, out.stderr);
      // CPU time: the limit is on the wall clock, so a busy machine only stops it sooner
      if (ms !== undefined) assert.ok(ms < 15_000, `${ms / 1000} s of CPU`);
      const json = JSON.parse(out.stdout) as { litmus: Record<string, unknown>[] };
      assert.equal(json.litmus[0]!.status, 'incomplete');
      assert.equal(json.litmus[0]!.limit, 'max-seconds=2');
    }
  });
  it('a process with too many traces is a limit (exit 1, max-traces named), not bad input', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pageref-cli-'));
    const file = join(dir, 'branches.litmus');
    const reads = Array.from(
      { length: 40 },
      (_, k) => `\tint r${k} = READ_ONCE(*x);\n\tif (r${k} == 1) WRITE_ONCE(*y, ${k});\n`,
    );
    writeFileSync(
      file,
      `C branches\n\n{}\n\nP0(int *x, int *y)\n{\n${reads.join('')}}\n\nP1(int *x)\n{\n\tWRITE_ONCE(*x, 1);\n\tWRITE_ONCE(*x, 2);\n}\n\nexists (0:r0=1)\n`,
    );
    // the trace cap is what stops it; the time limit is only a safety net
    const out = pageref('check', '--max-seconds', '3600', file);
    assert.equal(out.status, 1, out.stderr);
    assert.match(
      out.stdout,
      /\npageref: incomplete: stopped at the limit max-traces=10000 \(.*branches\.litmus:5:1: P0 has more than 10000 traces.*; no verdict \(a fixed limit that no option raises/,
    );
  });
  it('an incomplete catalog check names the option that raises its limit', () => {
    const out = pageref(
      'check',
      '--scenario',
      'getters:3x3',
      '--strategy',
      'classic',
      '--max-states',
      '100',
    );
    assert.match(
      out.stdout,
      /\ngetters:3x3 × classic: incomplete, stopped at 100 states \(raise --max-states to go further\)\n/,
    );
  });
  it('many files, as herd7: a refused file prints its error, the run goes on, a summary counts', () => {
    const ok = 'test/fixtures/litmus/kernel/CoWW+poonceonce.litmus';
    const refused = 'test/fixtures/litmus/errors/unknown-register.litmus';
    const limited = 'test/fixtures/litmus/kernel/IRIW+poonceonces+OnceOnce.litmus';
    const out = pageref('check', '--max-states', '10', ok, refused, limited, 'nope.litmus');
    assert.equal(out.status, 2, 'a refused file is bad input');
    assert.deepEqual(out.stderr.trimEnd().split('\n'), [
      `pageref: test/fixtures/litmus/errors/${readFileSync(`${refused}.expected`, 'utf8').trim()}`,
      'pageref: litmus file not found: nope.litmus',
    ]);
    assert.match(out.stdout, /^Test CoWW\+poonceonce Allowed\n/);
    assert.match(out.stdout, /\nTest IRIW\+poonceonces\+OnceOnce Allowed\npageref: incomplete:/);
    assert.match(
      out.stdout,
      /\npageref: 4 files: 1 answered, 2 refused, 1 incomplete\n$/,
      'the summary is the last line',
    );
    // no refused file: the exit code says that one was incomplete
    assert.equal(pageref('check', '--max-states', '10', ok, limited).status, 1);
    const json = JSON.parse(pageref('check', '--json', ok, refused).stdout) as {
      litmus: { file: string; status: string; error?: string }[];
      summary: Record<string, number>;
    };
    assert.deepEqual(
      json.litmus.map((l) => [l.file, l.status]),
      [
        [ok, 'complete'],
        [refused, 'refused'],
      ],
    );
    assert.match(json.litmus[1]!.error!, /unknown-register\.litmus:\d+:\d+: /);
    assert.deepEqual(json.summary, { files: 2, answered: 1, refused: 1, incomplete: 0 });
  });
  it('--help names --max-seconds and the exit codes for litmus files', () => {
    const out = pageref('check', '--help');
    assert.match(out.stdout, /--max-seconds <n>/);
    assert.match(out.stdout, /Exit code: 0 if every test ran to completion/);
    // the scenarios under the mails they come from, named as the mails name themselves
    assert.doesNotMatch(out.stdout, /seed \d/);
    assert.match(
      out.stdout,
      /\n "\[PATCH v4 0\/2\] mm: improve folio refcount scalability" \(Gladyshev Ilya, 2026-06-08\):\n {2}overflow-guard /,
    );
    assert.match(
      out.stdout,
      /a file that is refused prints its\nfile:line:column error on stderr and the run goes on/,
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
      // a small module, so that how long an import takes on a busy machine never matters
      ['check', '--strategy-file', 'test/cli/fixtures/notAStrategy.js'],
      /^pageref: strategy file test\/cli\/fixtures\/notAStrategy.js does not implement the strategy interface: missing name, isFrozenCount/,
    ],
    [['check', 'nope.litmus'], /^pageref: litmus file not found: nope.litmus/],
    [
      ['check', '--max-states', 'many'],
      /^pageref: --max-states must be an integer from 1 to 100000000/,
    ],
    [
      ['check', '--max-seconds', '0', 'x.litmus'],
      /^pageref: --max-seconds must be a positive integer/,
    ],
    [
      ['check', '--model', 'tso', 'x.litmus'],
      /^pageref: unknown model "tso": expected one of lkmm, sc/,
    ],
    [
      ['check', '--scenario', 'kiryl', 'litmus/seeds/inc_free_race.litmus'],
      /^pageref: --scenario selects from the catalog; it does not apply to litmus files/,
    ],
    [
      ['check', '--strategy', 'classic', 'litmus/seeds/inc_free_race.litmus'],
      /^pageref: --strategy selects from the catalog; it does not apply to litmus files/,
    ],
    [
      ['check', '--jobs', '2', 'litmus/seeds/inc_free_race.litmus'],
      /^pageref: --jobs sets the catalog search's workers; it does not apply to litmus files/,
    ],
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
      const { result: out, ms } = childOnCpu(() =>
        pageref(
          'check',
          '--strategy-file',
          `test/cli/fixtures/${file}.js`,
          '--scenario',
          scenarios,
          '--json',
        ),
      );
      // CPU time, which a busy machine does not stretch (the watchdog times spins in it too)
      if (ms !== undefined) assert.ok(ms < 20_000, `took ${ms} ms of CPU`);
      assert.equal(out.status, 1, out.stderr);
      const { results } = JSON.parse(out.stdout) as Json;
      const found = results.find((r) => r.counterexample?.kind === kind);
      assert.ok(found, JSON.stringify(results));
      assert.equal(found.verdict, verdict);
      assert.match(found.counterexample!.message, message);
    });
  }
  it('a get that is not run for 1.5 s (blocked, as on a busy machine) is not taken for a spin', () => {
    // the watchdog times a stall in CPU time too: a thread that does not run burns none
    const out = pageref(
      'check',
      '--strategy-file',
      'test/cli/fixtures/blocksOnce.js',
      '--scenario',
      'inc-freeze',
      '--json',
    );
    const { results } = JSON.parse(out.stdout) as Json;
    assert.deepEqual(
      results.map((r) => [r.scenario, r.verdict]),
      [['inc-freeze', 'safe']],
    );
    assert.equal(out.status, 0, out.stderr);
  });
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
