/**
 * The C front end: each version's page_ref functions, compiled from its header, make the
 * same Cells calls with the same orderings, return the same values and leave the same
 * counter as the port, from every raw value that matters (live, zero, frozen, the overflow
 * guard's edges); debug checks fire where the ports' do; C outside the subset is refused at
 * file:line:column.
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { KERNEL_VERSIONS, loadVersion } from '../../src/check/kernelVersions.js';
import { strategyFromC, type CStrategy } from '../../src/kernel/cStrategy.js';
import { CRefused } from '../../src/kernel/cHeader.js';
import { STRATEGIES } from '../../src/refcount/strategies.js';
import { withDebugChecks, PageRefDebugError } from '../../src/refcount/debugChecks.js';
import { FROZEN_BIT, FROZEN_LIMIT, MAX_COUNT } from '../../src/refcount/layout.js';
import type { Strategy } from '../../src/refcount/strategy.js';
import { recordingCells } from '../helpers/recordingCells.js';

const F = FROZEN_BIT;
const LIMIT = FROZEN_LIMIT | 0;
const RAWS = [0, 1, 2, 3, 5, MAX_COUNT, F, F + 1, F + 7, LIMIT - 1, LIMIT, -1];
const CALLS: [keyof Strategy, number[]][] = [
  ['count', []],
  ['set', [4]],
  ['init', []],
  ['setFrozen', []],
  ['add', [2]],
  ['sub', [1]],
  ['inc', []],
  ['dec', []],
  ['incReturn', []],
  ['decReturn', []],
  ['subReturn', [2]],
  ['subAndTest', [1]],
  ['subAndTest', [2]],
  ['decAndTest', []],
  ['tryAdd', [3]],
  ['tryGet', []],
  ['freeze', [2]],
  ['freeze', [3]],
  ['unfreeze', [3]],
  ['unfreeze', [0]],
  ['isFrozen', []],
];

/** One call on one page holding `raw`: the result (or the error), the counter, the calls. */
function run(s: Strategy, fn: keyof Strategy, raw: number, args: number[]) {
  const memory = Int32Array.of(raw);
  const { cells, log } = recordingCells(memory);
  let result: unknown;
  try {
    result = (s[fn] as (c: unknown, p: number, ...a: number[]) => unknown)(cells, 0, ...args);
  } catch (e) {
    result = e instanceof PageRefDebugError ? `debug check in ${e.operation}` : e;
  }
  return { result, after: memory[0], calls: log.map((r) => `${r.method} ${r.order}`) };
}

for (const v of KERNEL_VERSIONS) {
  describe(`${v.name}: each function as ${v.port} does it`, () => {
    let c: CStrategy;
    before(async () => {
      c = await loadVersion(v);
    });
    it('the same result, counter and Cells calls (method and ordering), from every raw value', () => {
      const port = STRATEGIES[v.port];
      // a method the header has no function for (isFrozen before v4) is our fallback, not C
      const written = CALLS.filter(([fn]) => !c.sources[fn]!.includes(':'));
      for (const [fn, args] of written)
        for (const raw of RAWS)
          assert.deepEqual(
            run(c, fn, raw, args),
            run(port, fn, raw, args),
            `${fn}(${args}) on 0x${(raw >>> 0).toString(16)}`,
          );
      if (c.sources.isFrozenCount === '__page_count_is_frozen')
        for (const raw of RAWS)
          assert.equal(c.isFrozenCount(raw), port.isFrozenCount(raw), `isFrozenCount(${raw})`);
    });
    // the ports run v4's checks for every strategy; mainline and the RFC, as written, check
    // only in page_ref_unfreeze (docs/kernel-header.md): compared where the header has them
    const patched = v.port === 'v2-inverted' || v.port === 'frozen-bit';
    it(
      "with debug checks on, the header's VM_BUG_ONs fire where the port's checks do",
      { skip: !patched && "no debug checks in this header but unfreeze's" },
      () => {
        const checked = withDebugChecks(c, { guards: false });
        const port = withDebugChecks(STRATEGIES[v.port], { guards: false });
        const fired = (r: { result: unknown }) => String(r.result).startsWith('debug check');
        for (const [fn, args] of CALLS)
          for (const raw of RAWS) {
            const [a, b] = [run(checked, fn, raw, args), run(port, fn, raw, args)];
            assert.equal(fired(a), fired(b), `${fn}(${args}) on 0x${(raw >>> 0).toString(16)}`);
          }
      },
    );
  });
}

describe('what the C front end refuses, at file:line:column', () => {
  const header = (body: string) =>
    `static inline int page_ref_count(const struct page *page)\n{\n${body}\n}\n`;
  const refused = async (body: string, where: RegExp) => {
    await assert.rejects(
      strategyFromC({ header: { text: header(body), file: 'x.h' } }),
      (e: unknown) => e instanceof CRefused && where.test(e.message),
    );
  };
  it('a kernel call it does not know', () =>
    refused(
      '\treturn atomic_fetch_or(1, &page->_refcount);',
      /^x\.h:3:9: unknown function atomic_fetch_or/,
    ));
  it('a statement outside the subset', () =>
    refused('\tfor (;;) return 0;', /^x\.h:3:2: for statement is not read/));
  it('a field other than _refcount and page', () =>
    refused('\treturn atomic_read(&page->flags);', /^x\.h:3:22: field flags is not read/));
  it('an identifier nothing defines', () =>
    refused('\treturn nr;', /^x\.h:3:9: unknown identifier nr/));
  it('a syntax error', async () => {
    await assert.rejects(
      strategyFromC({
        header: { text: 'static inline int f(void) { return ; ) }\n', file: 'y.h' },
      }),
      (e: unknown) => e instanceof CRefused && /^y\.h:1:\d+: syntax error/.test(e.message),
    );
  });
});
