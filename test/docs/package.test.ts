/**
 * A library user gets a library (issue 10 item 2): the published package `pageref` is
 * packages/pageref, built from src/{cells,refcount,pagecache} and src/index.ts only. These
 * tests pack it as `npm publish` would, install the tarball offline into an empty project,
 * import it, and type-check a consumer against it.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HANG_MS } from '../helpers/hang.js';
import { relativeLinks } from '../helpers/markdown.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const PACKAGE = join(ROOT, 'packages/pageref');
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');

/** The package's files that are not code: its manifest, its documents and its licence. */
const DOCUMENTS = ['package.json', 'README.md', 'docs/api.md', 'LICENSE'];

const npm = (args: string[], cwd: string): string =>
  execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** Whether this Node's require() loads an ES module by default: 20.19+, 22.12+, 23+. */
function requireLoadsEsm(version: string): boolean {
  const [major, minor] = version.split('.').map(Number) as [number, number];
  return major >= 23 || (major === 22 && minor >= 12) || (major === 20 && minor >= 19);
}

/** Every module specifier in a .js or .d.ts file: from '…', import '…', import('…'). */
function specifiers(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)) out.push(m[1]!);
  return out;
}

describe('the published package: pageref', { timeout: HANG_MS }, () => {
  let work: string;
  let tarball: string;
  let files: string[];

  before(() => {
    work = mkdtempSync(join(tmpdir(), 'pageref-pack-'));
    // `npm test` has just built packages/pageref/dist; --ignore-scripts skips prepack's rebuild
    const [packed] = JSON.parse(
      npm(['pack', '--json', '--ignore-scripts', '--pack-destination', work], PACKAGE),
    ) as { filename: string; files: { path: string }[] }[];
    tarball = join(work, packed!.filename);
    files = packed!.files.map((f) => f.path).sort();
    execFileSync('tar', ['-xzf', tarball, '-C', work]);
  });

  it('holds the library, its types, README, API reference and LICENSE, and nothing of the tools', () => {
    for (const f of [...DOCUMENTS, 'dist/index.js', 'dist/index.d.ts'])
      assert.ok(files.includes(f), `${f} is not in the package`);
    const stray = files.filter(
      (f) =>
        !DOCUMENTS.includes(f) &&
        !/^dist\/(index|(cells|refcount|pagecache)\/\w+)\.(js|d\.ts)$/.test(f),
    );
    assert.deepEqual(stray, []);
    assert.ok(files.includes('dist/pagecache/pageCache.js'));
  });

  it('declares no dependency of any kind', () => {
    const pkg = JSON.parse(readFileSync(join(work, 'package/package.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    assert.equal(pkg.name, 'pageref');
    for (const field of [
      'dependencies',
      'peerDependencies',
      'optionalDependencies',
      'bundleDependencies',
      'bundledDependencies',
    ])
      assert.equal(pkg[field], undefined, `package.json has ${field}`);
    assert.equal(pkg.license, 'MIT');
    assert.equal(
      readFileSync(join(work, 'package/LICENSE'), 'utf8'),
      readFileSync(join(ROOT, 'LICENSE'), 'utf8'),
    );
  });

  it("its documents' links land on files inside the package", () => {
    const wrong: string[] = [];
    for (const f of DOCUMENTS.filter((f) => f.endsWith('.md'))) {
      const text = readFileSync(join(work, 'package', f), 'utf8');
      for (const link of relativeLinks(text)) {
        const path = normalize(join(dirname(f), link.path)).replace(/\\/g, '/');
        if (link.path !== '' && !files.some((g) => g === path || g.startsWith(`${path}/`)))
          wrong.push(`${f} links to ${link.path}`);
      }
    }
    assert.deepEqual(wrong, []);
  });

  it('says where it comes from: the repository folder; a public URL comes with its pages', () => {
    const pkg = JSON.parse(readFileSync(join(work, 'package/package.json'), 'utf8')) as {
      repository?: { type?: string; url?: string; directory?: string };
      homepage?: string;
      bugs?: unknown;
    };
    assert.deepEqual(
      { type: pkg.repository?.type, directory: pkg.repository?.directory },
      { type: 'git', directory: 'packages/pageref' },
    );
    // the repository has no public URL yet (README, "Install"): once it has, repository.url,
    // homepage and bugs are filled together, never one of them alone
    const filled = [pkg.repository?.url, pkg.homepage, pkg.bugs].map((v) => v !== undefined);
    assert.ok(
      filled.every((f) => f === filled[0]),
      JSON.stringify(filled),
    );
  });

  it('imports only files inside the package and node: builtins', () => {
    const wrong: string[] = [];
    for (const f of files.filter((f) => f.endsWith('.js') || f.endsWith('.d.ts'))) {
      const path = join(work, 'package', f);
      for (const spec of specifiers(readFileSync(path, 'utf8'))) {
        const builtin = spec.startsWith('node:') && builtinModules.includes(spec.slice(5));
        const inside =
          spec.startsWith('.') &&
          files.includes(normalize(join(dirname(f), spec)).replace(/\\/g, '/'));
        if (!builtin && !inside) wrong.push(`${f} imports ${spec}`);
      }
    }
    assert.deepEqual(wrong, []);
  });

  it('the .d.ts shows no @internal constructor', () => {
    for (const f of ['dist/refcount/pageRefs.d.ts', 'dist/pagecache/pageCache.d.ts']) {
      const dts = readFileSync(join(work, 'package', f), 'utf8');
      assert.equal(
        dts.match(/constructor\(/g)?.length,
        1,
        `${f}: ${dts.match(/constructor\(.*/g)}`,
      );
      assert.doesNotMatch(dts, /@internal|Existing/);
    }
  });

  describe('installed offline into an empty project', () => {
    let app: string;
    before(() => {
      app = join(work, 'app');
      execFileSync('mkdir', ['-p', app]);
      writeFileSync(
        join(app, 'package.json'),
        JSON.stringify({ name: 'app', private: true, type: 'module' }),
      );
      npm(['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball], app);
    });

    it('installs one package: pageref, nothing else', () => {
      const installed = readdirSync(join(app, 'node_modules')).filter((n) => !n.startsWith('.'));
      assert.deepEqual(installed, ['pageref']);
    });

    it('imports PageRefs and PageCache from the package root, and they work', () => {
      writeFileSync(
        join(app, 'main.js'),
        `import { PageRefs, PageCache, MISS, STRATEGY_NAMES, PageRefDebugError } from 'pageref';
const refs = new PageRefs({ pages: 2 });
refs.init(1);
const cache = new PageCache({ pages: 2, pageSize: 64 });
cache.insert(7, 0, new Uint8Array([1, 2, 3]));
const into = new Uint8Array(3);
console.log(JSON.stringify({
  get: refs.tryGet(1), count: refs.count(1), read: cache.read(7, 0, 3, into), into: [...into],
  miss: cache.read(8, 0, 1, into) === MISS, names: STRATEGY_NAMES.length,
  error: typeof PageRefDebugError,
}));
`,
      );
      const out = execFileSync(process.execPath, ['main.js'], { cwd: app, encoding: 'utf8' });
      assert.deepEqual(JSON.parse(out), {
        get: true,
        count: 2,
        read: 3,
        into: [1, 2, 3],
        miss: true,
        names: 5,
        error: 'function',
      });
    });

    it('a CommonJS file require()s it where Node loads ES modules by require()', () => {
      writeFileSync(
        join(app, 'main.cjs'),
        `const { PageRefs, MISS } = require('pageref');
const refs = new PageRefs({ pages: 1 });
refs.init(0);
console.log(JSON.stringify({ count: refs.count(0), miss: MISS }));
`,
      );
      const r = spawnSync(process.execPath, ['main.cjs'], { cwd: app, encoding: 'utf8' });
      if (requireLoadsEsm(process.versions.node)) {
        assert.equal(r.status, 0, r.stderr);
        assert.deepEqual(JSON.parse(r.stdout), { count: 1, miss: -1 });
      } else {
        assert.notEqual(r.status, 0);
        assert.match(r.stderr, /ERR_REQUIRE_ESM/);
      }
    });

    const consumer = `import { PageRefs, PageCache, MISS, type StrategyName, type InsertResult } from 'pageref';
const name: StrategyName = new PageRefs({ pages: 1 }).strategy;
const result: InsertResult = new PageCache({ pages: 1 }).insert(1, 0, new Uint8Array(1));
const miss: -1 = MISS as -1;
export { name, result, miss };
`;
    // nodenext (like node16 and bundler) reads `exports`; node10 ("node") ignores it and
    // falls back to the top-level `main`/`types`
    // nodenext (like node16 and bundler) reads `exports`; node10 ("node") ignores it and
    // falls back to the top-level `main`/`types`
    const settings: [string, string][] = [
      ['nodenext', 'nodenext'],
      ['node', 'esnext'],
    ];
    for (const [moduleResolution, module] of settings) {
      it(`type-checks a TypeScript consumer with moduleResolution "${moduleResolution}"`, () => {
        writeFileSync(join(app, 'consumer.ts'), consumer);
        const compilerOptions = { strict: true, noEmit: true, types: [], target: 'ES2022' };
        const config = { compilerOptions: { ...compilerOptions, module, moduleResolution } };
        writeFileSync(join(app, 'tsconfig.json'), JSON.stringify(config));
        try {
          execFileSync(process.execPath, [TSC, '-p', 'tsconfig.json'], {
            cwd: app,
            encoding: 'utf8',
          });
        } catch (e) {
          assert.fail(
            `tsc, moduleResolution ${moduleResolution}:\n${(e as { stdout: string }).stdout}`,
          );
        }
      });
    }
  });

  it('cleans up', () => rmSync(work, { recursive: true, force: true }));
});
