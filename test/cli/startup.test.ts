/**
 * Start-up: a command loads only what it uses (src/cli/main.ts imports a subcommand's module
 * when that subcommand runs). Asserted on the modules a process loads, never on its time: the
 * start-up's speed is measured by `npm run litmusbench`.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseLitmus, parserOrigin } from '../../src/litmus/parse.js';
import { ROOT } from '../helpers/pageref.js';
import { CHILD_HANG_MS } from '../helpers/hang.js';

/**
 * The files a `pageref ARGS` process loads: ES modules as a loader hook sees them, CommonJS
 * modules as require.cache holds them at exit.
 */
function loaded(...args: string[]): { status: number | null; files: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'pageref-startup-'));
  try {
    const log = join(dir, 'loaded.txt');
    writeFileSync(
      join(dir, 'hooks.mjs'),
      `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  appendFileSync(process.env.PAGEREF_LOAD_LOG, url + '\\n');
  return next(url, context);
}`,
    );
    writeFileSync(
      join(dir, 'register.mjs'),
      `import { register, createRequire } from 'node:module';
import { appendFileSync } from 'node:fs';
register(new URL('./hooks.mjs', import.meta.url));
const cache = createRequire(import.meta.url).cache;
process.on('exit', () => appendFileSync(process.env.PAGEREF_LOAD_LOG, Object.keys(cache).join('\\n') + '\\n'));`,
    );
    writeFileSync(log, '');
    const r = spawnSync(
      process.execPath,
      ['--import', pathToFileURL(join(dir, 'register.mjs')).href, 'dist/src/cli/main.js', ...args],
      {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: CHILD_HANG_MS,
        env: { ...process.env, PAGEREF_LOAD_LOG: log },
      },
    );
    const files = readFileSync(log, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((f) => (f.startsWith('file:') ? new URL(f).pathname : f));
    return { status: r.status, files };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const under = (files: string[], part: string) => files.filter((f) => f.includes(part));

describe('a litmus run loads the parser and the models, and nothing else', () => {
  const { status, files } = loaded('check', 'test/fixtures/litmus/kernel/CoWW+poonceonce.litmus');

  it('answers', () => assert.equal(status, 0));

  it('loads the litmus reader and the axiomatic model', () => {
    assert.ok(under(files, '/dist/src/litmus/litmusParser.generated.cjs').length === 1);
    assert.ok(under(files, '/dist/src/axiomatic/models/lkmm').length > 0);
  });

  for (const part of [
    '/node_modules/peggy/',
    '/node_modules/vega',
    '/node_modules/ses/',
    '/dist/src/report/',
    '/dist/src/bench/',
    '/dist/src/torture/',
    '/dist/src/pagecache/',
    '/dist/src/cli/bench.js',
    '/dist/src/cli/report.js',
    '/dist/src/cli/torture.js',
  ])
    it(`does not load ${part}`, () => assert.deepEqual(under(files, part), []));
});

describe('the other command lines', () => {
  it('--version loads no subcommand', () => {
    const { status, files } = loaded('--version');
    assert.equal(status, 0);
    assert.deepEqual(under(files, '/dist/src/cli/check.js'), []);
  });

  it('help without a subcommand loads and lists every subcommand', () => {
    const r = spawnSync(process.execPath, ['dist/src/cli/main.js', '--help'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: CHILD_HANG_MS,
    });
    assert.equal(r.status, 0);
    for (const name of ['check', 'bench', 'torture', 'report'])
      assert.match(r.stdout, new RegExp(`^  ${name} `, 'm'));
  });

  it('an unknown subcommand is refused as before, with every command known', () => {
    const r = spawnSync(process.execPath, ['dist/src/cli/main.js', 'chek'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: CHILD_HANG_MS,
    });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /unknown command 'chek'/);
  });
});

it('a reader that closes the pipe early ends the run quietly, not with a stack trace', async () => {
  const child = spawn(process.execPath, ['dist/src/cli/main.js', 'help', 'check'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: CHILD_HANG_MS,
  });
  child.stdout.destroy(); // as `| head -0` would
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += String(d)));
  const code = await new Promise<number | null>((done) => child.on('close', done));
  assert.equal(stderr, '');
  assert.equal(code, 0);
});

it('the parser is the one `npm run build` compiled from the grammar, not generated at start', () => {
  parseLitmus('C t\n{}\nP0(int *x) { WRITE_ONCE(*x, 1); }\nexists (x=1)\n');
  assert.equal(parserOrigin, 'built');
});
