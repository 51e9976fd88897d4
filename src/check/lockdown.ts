import { readFileSync } from 'node:fs';

/**
 * Hardening of the checker's worker before it loads a user's strategy module, which then
 * runs in the same thread as the code that decides its verdicts (see isolated.ts for the
 * threat model). After {@link lockDown}, the module cannot change what that code runs on:
 * - the JavaScript builtins (Set, Map, Array, JSON, Atomics, … and their prototypes) are
 *   frozen by SES's `lockdown()` (the `ses` package), and the global names that lead to
 *   them can no longer be rebound;
 * - every value the checker's own modules export (classes and their prototypes, the
 *   catalog, the built-in strategies) is frozen, deeply (freezeDeep): the module can
 *   import them, but not change them.
 * Each such attempt throws a TypeError in the module (ES modules are strict code).
 */

/**
 * The checker's own modules: `entry` and every module it reaches by a static import of a
 * relative path, read from the compiled files. (A module the checker never loaded is a new
 * instance when the user imports it, which the checker does not use.)
 */
export function checkerModules(entry: string): string[] {
  const found = new Set([entry]);
  const queue = [entry];
  const imports =
    /^\s*(?:import|export)\s[^;]*?\sfrom\s*['"](\.\.?\/[^'"]+)['"]|^\s*import\s*['"](\.\.?\/[^'"]+)['"]/gm;
  for (let url = queue.pop(); url !== undefined; url = queue.pop()) {
    for (const m of readFileSync(new URL(url), 'utf8').matchAll(imports)) {
      const dep = new URL(m[1] ?? m[2]!, url).href;
      if (found.has(dep)) continue;
      found.add(dep);
      queue.push(dep);
    }
  }
  return [...found];
}

/**
 * Freezes the builtins, the global names that lead to them, and the exports of the
 * checker's modules reached from `entry` (see above). Once per thread: after it, no code
 * of this thread can change them, the checker's included.
 */
export async function lockDown(entry: string): Promise<void> {
  // (not the entry itself: it is the module being evaluated, and awaiting it would wait
  // for this very call; it exports nothing)
  const modules = checkerModules(entry).filter((url) => url !== entry);
  const namespaces = await Promise.all(
    modules.map((url) => import(url) as Promise<Record<string, unknown>>),
  );
  await import('ses');
  lockdown({
    // the checker's own errors keep their stacks ([checker bug] reports need them)
    errorTaming: 'unsafe',
    stackFiltering: 'verbose',
    consoleTaming: 'unsafe',
    // `x.toString = …` on an object whose prototype is frozen still works, as in plain JS
    overrideTaming: 'moderate',
    reporting: 'none',
  });
  // lockdown() leaves these two alone
  freezeDeep(Atomics);
  freezeDeep(SharedArrayBuffer);
  // The global object stays open (a strategy may add names), but a builtin's name cannot be
  // pointed elsewhere: the checker looks them up at each use.
  for (const name of Object.getOwnPropertyNames(globalThis)) {
    const d = Object.getOwnPropertyDescriptor(globalThis, name)!;
    if (!/^[A-Z]/.test(name) || !('value' in d) || !d.configurable) continue;
    Object.defineProperty(globalThis, name, { writable: false, configurable: false });
  }
  for (const ns of namespaces) for (const value of Object.values(ns)) freezeDeep(value);
}

/**
 * The error constructors as they were before lockdown(), which the checker's error
 * classes extend (they were defined first). lockdown() leaves them open, and must: its
 * `Error.stackTraceLimit` writes through to them, and libraries set it.
 */
const NATIVE_ERRORS = new Set<unknown>([
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  EvalError,
  ReferenceError,
  URIError,
]);

/**
 * Freezes `root` and everything reachable from it (properties, accessors, prototypes), as
 * SES's harden() does, but for the native error constructors (see NATIVE_ERRORS).
 */
function freezeDeep(root: unknown): void {
  const seen = new Set<unknown>();
  const stack = [root];
  while (stack.length > 0) {
    const o = stack.pop();
    if ((typeof o !== 'object' && typeof o !== 'function') || o === null) continue;
    if (seen.has(o) || NATIVE_ERRORS.has(o)) continue;
    seen.add(o);
    Object.freeze(o);
    stack.push(Object.getPrototypeOf(o));
    for (const d of Object.values(Object.getOwnPropertyDescriptors(o)))
      stack.push(d.value, d.get, d.set);
  }
}
