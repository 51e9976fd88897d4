/**
 * A strategy from C: a page_ref.h, patched by zero or more mails, compiled (cCompile.ts)
 * and bound to the port methods' names, so the catalog runs the kernel's own text beside
 * its TypeScript port. Each method calls the header function the kernel calls for it, the
 * first of its names the header defines (the series renamed some); where a header defines
 * none (mainline has no frozen-state helpers), the method is the C expression the series
 * replaced them with, written below with its reason.
 *
 * @module
 */

import type { Cells } from '../cells/cells.js';
import type { Strategy } from '../refcount/strategy.js';
import { PAGE_REF_FUNCTIONS } from '../refcount/pageRefApi.js';
import { readHeader, type Macro } from './cHeader.js';
import { CCompiler, type CallContext, type Compiled } from './cCompile.js';
import { readMail } from './mail.js';
import { applyMailPatch } from './patch.js';
import type { Val } from './cValues.js';

/** A method's C: the header functions that implement it, first found wins, or a fallback. */
interface Binding {
  names: readonly string[];
  /** The C a header without any of `names` means, as a header function call. */
  fallback?: { call: string; args: (p: number, a: number) => Val[]; why: string };
  result: 'bool' | 'int' | 'void';
}

/**
 * Each page_ref method's C function. The arguments follow the C signature: the page (or
 * folio: a folio is its head page), then the method's own.
 */
const BINDINGS: Readonly<Record<(typeof PAGE_REF_FUNCTIONS)[number] | 'isFrozenCount', Binding>> = {
  count: { names: ['page_ref_count'], result: 'int' },
  set: { names: ['set_page_count'], result: 'void' },
  init: { names: ['init_page_count'], result: 'void' },
  setFrozen: {
    names: ['set_page_count_frozen', 'set_page_count_as_frozen'],
    fallback: {
      call: 'set_page_count',
      args: (p) => [p, 0],
      why: 'before the series, the allocator marks a free page with set_page_count(page, 0)',
    },
    result: 'void',
  },
  add: { names: ['page_ref_add'], result: 'void' },
  sub: { names: ['page_ref_sub'], result: 'void' },
  inc: { names: ['page_ref_inc'], result: 'void' },
  dec: { names: ['page_ref_dec'], result: 'void' },
  incReturn: { names: ['page_ref_inc_return'], result: 'int' },
  decReturn: { names: ['page_ref_dec_return'], result: 'int' },
  subReturn: { names: ['folio_ref_sub_return', 'page_ref_sub_return'], result: 'int' },
  subAndTest: { names: ['page_ref_sub_and_test'], result: 'bool' },
  decAndTest: { names: ['page_ref_dec_and_test'], result: 'bool' },
  tryAdd: {
    names: ['page_ref_add_unless_frozen', 'page_ref_add_unless_zero'],
    fallback: {
      call: 'page_ref_add_unless',
      args: (p, nr) => [p, nr, 0],
      why: 'older headers spell the speculative get page_ref_add_unless(page, nr, 0)',
    },
    result: 'bool',
  },
  tryGet: { names: ['folio_try_get'], result: 'bool' },
  freeze: { names: ['page_ref_freeze'], result: 'bool' },
  unfreeze: { names: ['page_ref_unfreeze'], result: 'void' },
  isFrozen: {
    names: ['__page_is_frozen'],
    fallback: {
      // page_ref_unfreeze's own test of frozenness, before the series named one
      call: 'page_count',
      args: (p) => [p],
      why: "before __page_is_frozen, a frozen page is one whose page_count() is 0 (page_ref_unfreeze's VM_BUG_ON_PAGE)",
    },
    result: 'bool',
  },
  isFrozenCount: {
    names: ['__page_count_is_frozen'],
    result: 'bool',
  },
};

/** A strategy compiled from C, with where each method's code came from. */
export interface CStrategy extends Strategy {
  /** Method → the C function it runs (and, for a fallback, why). */
  readonly sources: Readonly<Record<string, string>>;
}

/** What to build a strategy from. */
export interface KernelSource {
  /** The header's text and its name (for messages: file:line:column). */
  header: { text: string; file: string };
  /** Patch mails, applied in order (each mail's posted patches in mail order). */
  mails?: readonly { text: string; file: string }[];
  /** The strategy's name; defaults to `C:` and the files' base names. */
  name?: string;
}

/** The header's text once every mail's posted patches are applied, and the mails' defines. */
export function patchedHeader(source: KernelSource): { text: string; defines: Macro[] } {
  let text = source.header.text;
  const defines: Macro[] = [];
  for (const mail of source.mails ?? []) {
    const diffs = readMail(mail.text);
    for (const p of diffs.patches) {
      try {
        text = applyMailPatch(text, p);
      } catch (e) {
        if (e instanceof Error) e.message = `${mail.file}: ${e.message}`;
        throw e;
      }
    }
    for (const d of diffs.defines)
      defines.push({
        name: d.name,
        params: undefined,
        body: d.value,
        where: `${mail.file}:${d.mailLine}`,
      });
  }
  return { text, defines };
}

/**
 * The strategy the (patched) header's page_ref functions make.
 * @throws PatchRefused for a hunk that does not apply, CRefused for C outside the subset.
 */
export async function strategyFromC(source: KernelSource): Promise<CStrategy> {
  const { text, defines } = patchedHeader(source);
  const header = await readHeader(text, source.header.file, defines);
  const base = (f: string) => f.replace(/^.*\//, '');
  const name =
    source.name ??
    ['C:' + base(source.header.file), ...(source.mails ?? []).map((m) => base(m.file))].join('+');
  const plain = bind(new CCompiler(header, false), name);
  const checked = bind(new CCompiler(header, true), name);
  return { ...plain, checked };
}

/** Every method bound to its compiled C. */
function bind(compiler: CCompiler, name: string): CStrategy {
  const sources: Record<string, string> = {};
  const methods: Record<string, unknown> = {};
  for (const [method, b] of Object.entries(BINDINGS)) {
    const found = b.names.find((n) => compiler.header.functions.has(n));
    let fn: Compiled;
    let args: (p: number, a: number) => Val[];
    if (found) {
      fn = compiler.fn(found)!;
      args = (p, a) => (fn.params.length === 1 ? [p] : [p, a]);
      sources[method] = found;
    } else if (b.fallback && compiler.header.functions.has(b.fallback.call)) {
      fn = compiler.fn(b.fallback.call)!;
      args = b.fallback.args;
      sources[method] = `${b.fallback.call}: ${b.fallback.why}`;
    } else if (method === 'isFrozenCount') {
      // no cells: mainline's meaning, a count of 0 (the helper's body before patch 2/2)
      methods[method] = (raw: number) => raw === 0;
      sources[method] =
        'count == 0: mainline has no __page_count_is_frozen; patch 1/2 gives it this body';
      continue;
    } else {
      throw new Error(
        `${compiler.header.file}: no C for ${method}: expected one of ${[...b.names, ...(b.fallback ? [b.fallback.call] : [])].join(', ')}`,
      );
    }
    const run = fn.run;
    if (method === 'isFrozenCount') {
      const ctx: CallContext = {
        cells: undefined as unknown as Cells,
        op: method,
        page: -1,
        last: 0,
      };
      methods[method] = (raw: number) => run(ctx, [raw]) !== 0;
      continue;
    }
    const result = b.result;
    const fallbackTest = !found && method === 'isFrozen'; // page_count(page) == 0
    methods[method] = (cells: Cells, p: number, a: number) => {
      const ctx: CallContext = { cells, op: method, page: p, last: 0 };
      const v = run(ctx, args(p, a));
      if (fallbackTest) return v === 0;
      return result === 'bool' ? v !== 0 : result === 'int' ? v : undefined;
    };
  }
  return { name, sources, ...methods } as unknown as CStrategy;
}
