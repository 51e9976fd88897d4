import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { PageRefs } from '../../src/refcount/pageRefs.js';

const doc = readFileSync(new URL('../../../docs/api.md', import.meta.url), 'utf8');
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
