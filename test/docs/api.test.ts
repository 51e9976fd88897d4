import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { PageRefs } from '../../src/refcount/pageRefs.js';

it('docs/api.md documents every public method of PageRefs', () => {
  const doc = readFileSync(new URL('../../../docs/api.md', import.meta.url), 'utf8');
  const refs = new PageRefs({ pages: 1 }) as unknown as Record<string, unknown>;
  const methods = Object.keys(refs).filter((m) => typeof refs[m] === 'function');
  assert.ok(methods.length >= 19);
  for (const m of methods)
    assert.match(doc, new RegExp('`' + m + '\\('), `${m} is not in docs/api.md`);
});
