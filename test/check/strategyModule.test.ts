import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { strategyOfModule, whyNotLoaded } from '../../src/check/strategyModule.js';
import { frozenBit } from '../../src/refcount/frozenBit.js';
import type { Strategy } from '../../src/refcount/strategy.js';

/** What the checker's worker says of a strategy file that cannot be imported. */
async function why(path: string): Promise<string> {
  try {
    await import(pathToFileURL(path).href);
  } catch (e) {
    return whyNotLoaded(e, path);
  }
  assert.fail(`${path} imported`);
}

describe('a strategy file that cannot be imported says where, or what to do', () => {
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
    assert.equal(await why(esm), "SyntaxError at line 3: Unexpected token ';'");
    const cjs = file('broken.cjs', "module.exports = {\n  name: 'x',\n\n  count( {},\n};\n");
    assert.match(await why(cjs), /^SyntaxError at line 5: /);
  });

  it('a .ts file: compile it, or run under a TypeScript loader', async () => {
    const ts = file('mine.ts', "export default { name: 'mine' } as const;\n");
    assert.match(
      await why(ts),
      /Node cannot import TypeScript: compile it to JavaScript \(tsc\) and pass the \.js file, or run pageref under a TypeScript loader/,
    );
  });

  it('a value thrown at import, not an Error, is shown as it is', () => {
    assert.equal(whyNotLoaded('boom', '/x.mjs'), 'boom');
  });
});

describe('strategyOfModule reads a strategy once', () => {
  it("a name getter cannot turn into a built-in's name after the check (its results would show under it)", () => {
    let reads = 0;
    const s: Record<string, unknown> = { ...frozenBit };
    delete s.name;
    Object.defineProperty(s, 'name', { get: () => (reads++ < 6 ? 'mine' : 'frozen-bit') });
    const got = strategyOfModule({ default: s }, 'getter.js') as Strategy;
    assert.equal(typeof got, 'object');
    for (let i = 0; i < 20; i++) assert.equal(got.name, 'mine');
    assert.ok(Object.isFrozen(got));
  });

  it('each function is read once and called with the module object as `this`', () => {
    let swapped = false;
    const s = {
      ...frozenBit,
      name: 'this-user',
      helper: () => 7,
      get count() {
        return swapped
          ? () => -1
          : function (this: { helper(): number }) {
              return this.helper();
            };
      },
    };
    const got = strategyOfModule({ default: s }, 'this.js') as Strategy;
    swapped = true;
    assert.equal(got.count(undefined as never, 0), 7);
  });
});
