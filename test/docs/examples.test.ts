/**
 * The README's library snippet and the examples run as they stand, importing 'pageref' as a
 * user would (the workspace links node_modules/pageref to packages/pageref, built by
 * `npm run build`).
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CHILD_HANG_MS } from '../helpers/hang.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const run = (file: string) =>
  execFileSync(process.execPath, [file], { cwd: ROOT, encoding: 'utf8', timeout: CHILD_HANG_MS });

for (const [readme, heading, expected] of [
  ['README.md', '## The library\n', '1\nhello\n'],
  ['packages/pageref/README.md', '# pageref\n', 'hello\n'],
] as const) {
  it(`${readme}: the library snippet runs and prints what its comments say`, () => {
    const text = readFileSync(new URL(readme, `file://${ROOT}`), 'utf8');
    const section = text.slice(text.indexOf(heading));
    const snippet = /```ts\n([\s\S]*?)```/.exec(section)![1]!;
    assert.match(snippet, /from 'pageref'/);
    // the snippet is TypeScript with no annotations, so it is also JavaScript
    const name = readme.replace(/\W/g, '-');
    const file = fileURLToPath(new URL(`snippet-${name}.mjs`, import.meta.url));
    writeFileSync(file, snippet);
    assert.equal(run(file), expected);
  });
}

it('examples/pageCacheWorkers.js: readers see no foreign bytes, the audit is clean', () => {
  const out = run('examples/pageCacheWorkers.js');
  assert.match(out, /^reader 0: \d+ hits, \d+ misses$/m);
  assert.match(out, /^writer: \d+ evictions/m);
  assert.match(out, /^torn or foreign reads: 0$/m);
  assert.match(out, /^audit: clean$/m);
});
