/**
 * The layer order of src/, written once (docs/layout.md) and enforced here: a folder may
 * import only from folders of a lower layer, never from one beside it or above it.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Each layer lists its folders; a folder sees every folder of the layers before its own. */
const LAYERS: readonly (readonly string[])[] = [
  ['cells', 'text'],
  ['refcount'],
  ['pagecache', 'explore', 'axiomatic', 'kernel'],
  ['check', 'litmus', 'bench', 'torture'],
  ['barriers'],
  ['report'],
  ['cli'],
];

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

function layerOf(folder: string): number {
  const i = LAYERS.findIndex((l) => l.includes(folder));
  if (i < 0) throw new Error(`src/${folder}/ is in no layer: add it to LAYERS and docs/layout.md`);
  return i;
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/** The top folder under src/ of a file, or '' for src/index.ts. */
function folderOf(file: string): string {
  const parts = relative(SRC, file).split(sep);
  return parts.length > 1 ? parts[0]! : '';
}

it('every import in src/ runs down the layers', () => {
  const wrong: string[] = [];
  for (const file of sources(SRC)) {
    const from = folderOf(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/from '(\.[^']+)'|import\('(\.[^']+)'\)/g)) {
      const spec = (m[1] ?? m[2])!;
      const to = folderOf(join(file, '..', spec));
      if (to === from) continue;
      // src/index.ts is the library's entry: it may export only the library's layers.
      const allowed =
        from === ''
          ? ['cells', 'refcount', 'pagecache'].includes(to)
          : to !== '' && layerOf(to) < layerOf(from);
      if (!allowed) wrong.push(`${relative(SRC, file)} imports ${spec}`);
    }
  }
  assert.deepEqual(wrong, []);
});

it('docs/layout.md states the same layers', () => {
  const layout = readFileSync(new URL('../../docs/layout.md', import.meta.url), 'utf8');
  const line = LAYERS.map((l) => (l.length > 1 ? `{${l.join(', ')}}` : l[0])).join(' → ');
  assert.ok(layout.includes(line), `docs/layout.md should state the layer order: ${line}`);
});
