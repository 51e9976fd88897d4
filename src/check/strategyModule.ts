import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { Strategy } from '../refcount/strategy.js';
import { PAGE_REF_FUNCTIONS } from '../refcount/pageRefApi.js';
import { STRATEGY_NAMES } from '../refcount/strategies.js';
import { describeValue } from '../explore/violation.js';

/**
 * A user's strategy module, as `pageref check --strategy-file` loads it: the functions it
 * must export, and the check of what it exported. Here rather than in the CLI because the
 * checker loads the module inside its own worker (see isolated.ts).
 */

/** The functions a strategy module must export (see docs/strategy-interface.md). */
export const STRATEGY_FUNCTIONS = [
  'isFrozenCount',
  ...PAGE_REF_FUNCTIONS,
] as const satisfies readonly (keyof Strategy)[];

/** The longest name a strategy may have: it heads a column of the verdict table. */
const MAX_NAME = 40;
const PRINTABLE_NAME = new RegExp(`^(?! )[\\x20-\\x7e]{1,${MAX_NAME}}(?<! )$`);

/**
 * What each function must return, the one way the checker reads it: `boolean` (true or
 * false, nothing truthy), `int32` (an integer a counter can hold, as `Atomics` returns), or
 * `void` (ignored, as PageRefs ignores it). Anything else is a `badResult` violation, never a
 * value the checker interprets: a tryAdd that returns its new count (5) is neither true nor
 * false, and code that read it one way here and another way there would explore a path the
 * strategy never takes (see guardedStrategy in scenario.ts).
 */
export const RESULT_TYPES: Readonly<
  Record<(typeof STRATEGY_FUNCTIONS)[number], 'boolean' | 'int32' | 'void'>
> = {
  isFrozenCount: 'boolean',
  count: 'int32',
  set: 'void',
  init: 'void',
  setFrozen: 'void',
  add: 'void',
  sub: 'void',
  inc: 'void',
  dec: 'void',
  incReturn: 'int32',
  decReturn: 'int32',
  subReturn: 'int32',
  subAndTest: 'boolean',
  decAndTest: 'boolean',
  tryAdd: 'boolean',
  tryGet: 'boolean',
  freeze: 'boolean',
  unfreeze: 'void',
  isFrozen: 'boolean',
};

/** Why `result` is not what `fn` may return: `who returned 5, where the page_ref API …`. */
export function badResultMessage(
  who: string,
  result: unknown,
  fn: keyof typeof RESULT_TYPES,
): string {
  const type = RESULT_TYPES[fn];
  return `${who} returned ${describeValue(result)}, where the page_ref API returns ${type === 'boolean' ? 'true or false' : 'an Int32 integer'}`;
}

/** Whether `value` is what a function whose result type is `type` may return. */
export function isResultOf(type: 'boolean' | 'int32' | 'void', value: unknown): boolean {
  if (type === 'void') return true;
  if (type === 'boolean') return typeof value === 'boolean';
  return typeof value === 'number' && (value | 0) === value;
}

/**
 * The strategy a loaded module exports as its default (or as `strategy`).
 * @returns the strategy, or one line saying what is wrong with the module.
 */
export function strategyOfModule(mod: Record<string, unknown>, file: string): Strategy | string {
  const exported = (mod.default ?? mod.strategy) as Record<string, unknown> | undefined;
  if (typeof exported !== 'object' || exported === null) {
    return `strategy file ${file} has no default export (or export named 'strategy') holding a strategy object`;
  }
  // read once: a getter that answers differently later cannot rename the strategy after its
  // name was checked (to a built-in's, whose column would then show its results)
  const s = snapshot(exported);
  const missing: string[] = STRATEGY_FUNCTIONS.filter((f) => typeof s[f] !== 'function');
  if (typeof s.name !== 'string') missing.unshift('name');
  if (missing.length > 0) {
    return `strategy file ${file} does not implement the strategy interface: missing ${missing.join(', ')} (see docs/strategy-interface.md)`;
  }
  if (!PRINTABLE_NAME.test(s.name as string)) {
    // shown as a column heading and in counterexamples: a name with an invisible character
    // ("classic\u200b") would show as another strategy's
    return `strategy file ${file} names its strategy ${escaped(s.name)}: a name is 1 to ${MAX_NAME} printable ASCII characters, not starting or ending with a space`;
  }
  if ((STRATEGY_NAMES as readonly string[]).includes(s.name as string)) {
    // one column, one JSON entry and one counterexample heading per name: a user's strategy
    // under a built-in's name would be hidden behind it
    return `strategy file ${file} names its strategy ${JSON.stringify(s.name)}, the name of a built-in strategy: give it a name of its own`;
  }
  return s as unknown as Strategy;
}

/**
 * The strategy's name and functions (and its debug-checked variant's), each read once into a
 * frozen object; each function is called with the module's object as `this`, as before.
 */
function snapshot(s: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = { name: s.name };
  for (const f of STRATEGY_FUNCTIONS) {
    const fn = s[f];
    copy[f] =
      typeof fn === 'function'
        ? (...a: unknown[]) => (fn as (...b: unknown[]) => unknown).apply(s, a)
        : fn;
  }
  const checked = s.checked;
  if (typeof checked === 'object' && checked !== null)
    copy.checked = snapshot(checked as Record<string, unknown>);
  return Object.freeze(copy);
}

/** A value as JSON, with every character that is not printable ASCII as \\uXXXX. */
function escaped(value: unknown): string {
  return (JSON.stringify(value) ?? String(value)).replace(
    /[^\x20-\x7e]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Why importing the module at `path` failed, in one line that says where or what to do. */
export function whyNotLoaded(thrown: unknown, path: string): string {
  if (!(thrown instanceof Error)) return String(thrown);
  const e = thrown;
  if ((e as NodeJS.ErrnoException).code === 'ERR_UNKNOWN_FILE_EXTENSION') {
    if (/^\.[cm]?ts$/.test(extname(path)))
      return 'Node cannot import TypeScript: compile it to JavaScript (tsc) and pass the .js file, or run pageref under a TypeScript loader (node --import tsx …)';
    return `${e.message}: pass an ES module (.js or .mjs)`;
  }
  if (e.name === 'SyntaxError') {
    const where = syntaxErrorLine(e, path);
    if (where) return `SyntaxError at line ${where}: ${e.message}`;
  }
  return `${e.name}: ${e.message}`;
}

/**
 * The line of a syntax error, which Node 20 leaves out of an ES module's error: from the
 * stack where it is there (CommonJS), else from `node --check` over the source.
 */
function syntaxErrorLine(e: Error, path: string): string | undefined {
  const first = e.stack?.split('\n', 1)[0] ?? '';
  const inStack = first.startsWith(path) ? /:(\d+)$/.exec(first) : null;
  if (inStack) return inStack[1];
  const check = spawnSync(
    process.execPath,
    [`--input-type=${extname(path) === '.cjs' ? 'commonjs' : 'module'}`, '--check', '-'],
    { input: readFileSync(path), encoding: 'utf8', timeout: 10_000 },
  );
  return /^\[stdin\]:(\d+)$/m.exec(check.stderr ?? '')?.[1];
}
