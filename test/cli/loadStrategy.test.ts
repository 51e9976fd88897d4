import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadStrategy } from '../../src/cli/loadStrategy.js';
import { UsageError } from '../../src/cli/usageError.js';

/** Asserts that `p` rejects with a UsageError whose message matches. */
async function usageError(p: Promise<unknown>, message: string | RegExp): Promise<void> {
  await assert.rejects(p, (e) => {
    assert.ok(e instanceof UsageError, String(e));
    if (typeof message === 'string') assert.equal(e.message, message);
    else assert.match(e.message, message);
    return true;
  });
}

describe('loadStrategy: a file that cannot be loaded says where, or what to do', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pageref-strategy-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };

  it('a syntax error names its line (ES module and CommonJS)', async () => {
    const esm = file(
      'broken.mjs',
      "export default {\n  name: 'x',\n  count(c, p) { return +; },\n};\n",
    );
    await usageError(
      loadStrategy(esm),
      `could not load strategy file ${esm}: SyntaxError at line 3: Unexpected token ';'`,
    );
    const cjs = file('broken.cjs', "module.exports = {\n  name: 'x',\n\n  count( {},\n};\n");
    await usageError(loadStrategy(cjs), /: SyntaxError at line 5: /);
  });

  it('a .ts file: compile it, or run under a TypeScript loader', async () => {
    const ts = file('mine.ts', "export default { name: 'mine' } as const;\n");
    await usageError(
      loadStrategy(ts),
      /Node cannot import TypeScript: compile it to JavaScript \(tsc\) and pass the \.js file, or run pageref under a TypeScript loader/,
    );
  });
});
