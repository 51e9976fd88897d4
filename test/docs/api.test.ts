import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { PageRefs } from '../../src/refcount/pageRefs.js';

const doc = readFileSync(new URL('../../../packages/pageref/docs/api.md', import.meta.url), 'utf8');
const published = (file: string) =>
  readFileSync(new URL(`../../../packages/pageref/dist/${file}`, import.meta.url), 'utf8');

/** The public members of a class, as the published .d.ts declares them. */
function publicMembers(dts: string, cls: string): { methods: string[]; properties: string[] } {
  const body = dts.slice(dts.indexOf(`export declare class ${cls}`));
  const end = body.indexOf('\n}');
  const lines = body.slice(0, end).split('\n');
  const methods: string[] = [];
  const properties: string[] = [];
  for (const line of lines) {
    if (/^\s{4}(private|protected|#)/.test(line)) continue;
    const method = /^\s{4}(?:static )?(\w+)\(/.exec(line);
    if (method && method[1] !== 'constructor') methods.push(method[1]!);
    const property = /^\s{4}(?:readonly |get )(\w+)/.exec(line);
    if (property) properties.push(property[1]!);
  }
  return { methods, properties };
}

it('docs/api.md documents every public method of PageRefs', () => {
  const refs = new PageRefs({ pages: 1 }) as unknown as Record<string, unknown>;
  const methods = Object.keys(refs).filter((m) => typeof refs[m] === 'function');
  assert.ok(methods.length >= 19);
  for (const m of methods)
    assert.match(doc, new RegExp('`' + m + '\\('), `${m} is not in docs/api.md`);
});

for (const [cls, file] of [
  ['PageRefs', 'refcount/pageRefs.d.ts'],
  ['PageCache', 'pagecache/pageCache.d.ts'],
] as const) {
  it(`docs/api.md documents every public static, method and property of ${cls}`, () => {
    const { methods, properties } = publicMembers(published(file), cls);
    assert.ok(methods.length >= 3, `found no methods of ${cls} in ${file}`);
    for (const m of methods) {
      const documented = new RegExp('`(' + cls + '\\.)?' + m + '\\(');
      assert.match(doc, documented, `${cls}.${m} is not in docs/api.md`);
    }
    for (const p of properties)
      assert.match(doc, new RegExp('`' + p + '`'), `${cls}.${p} is not in docs/api.md`);
  });
}

it('docs/api.md names every export of the package root', () => {
  const index = readFileSync(new URL('../../../src/index.ts', import.meta.url), 'utf8');
  const names = [...index.matchAll(/export (?:type )?\{([^}]+)\}/g)].flatMap((m) =>
    m[1]!
      .split(',')
      .map((n) => n.trim())
      .filter(Boolean),
  );
  assert.ok(names.includes('PageCache') && names.includes('MISS'));
  const missing = names.filter((n) => !new RegExp('`' + n + '[`(.]').test(doc));
  assert.deepEqual(missing, []);
});

it('no module header becomes the doc comment of an export (published .d.ts files)', () => {
  const dist = new URL('../../../packages/pageref/dist/', import.meta.url);
  const files = readdirSync(dist, { recursive: true, encoding: 'utf8' }).filter((f) =>
    f.endsWith('.d.ts'),
  );
  assert.ok(files.length > 10);
  const wrong: string[] = [];
  for (const f of files) {
    const dts = readFileSync(new URL(f, dist), 'utf8');
    for (const m of dts.matchAll(/(\/\*\*(?:(?!\*\/)[\s\S])*\*\/)\n(export [^\n]*)/g)) {
      // a re-export (`export { … } from`) carries no doc of its own
      if (/^export (type )?\{/.test(m[2]!)) continue;
      if (/@module|@packageDocumentation/.test(m[1]!)) wrong.push(`${f}: ${m[2]}`);
    }
  }
  assert.deepEqual(wrong, []);
});

it('each library source file opens with its module comment, tagged so that it documents no export', () => {
  const src = new URL('../../../src/', import.meta.url);
  const files = [
    'index.ts',
    ...['cells', 'refcount', 'pagecache'].flatMap((d) =>
      readdirSync(new URL(`${d}/`, src)).map((f) => `${d}/${f}`),
    ),
  ];
  const untagged = files.filter((f) => {
    const text = readFileSync(new URL(f, src), 'utf8');
    const first = /^\/\*\*(?:(?!\*\/)[\s\S])*\*\//.exec(text);
    return !first || !/@module|@packageDocumentation/.test(first[0]);
  });
  assert.deepEqual(untagged, []);
});
