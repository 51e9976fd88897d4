/**
 * A broken invariant, found while exploring: thrown by a program's ghost updates and by
 * the model cells, it ends the step and becomes the verdict. `kind` names which invariant,
 * so that clients and tests match kinds, not messages; the kinds the explorer itself raises
 * are {@link ExploreFault}, each a fault of the program under test, never of the checker.
 */
export class Violation<K extends string = string> extends Error {
  override readonly name = 'Violation';
  constructor(
    readonly kind: K,
    message: string,
  ) {
    super(message);
  }
}

/**
 * What the explorer itself detects in a thread body:
 * - `pauseSwallowed`: the body caught the exception that pauses it and went on;
 * - `nondeterministic`: a replay made a different access from the one logged;
 * - `spins`: an operation made more shared accesses than its budget (`maxOpSteps`);
 * - `outOfRange`: an access to a cell that does not exist;
 * - `threw`: the body threw an error of its own (classified by the program).
 */
export type ExploreFault = 'pauseSwallowed' | 'nondeterministic' | 'spins' | 'outOfRange' | 'threw';

/** Describes a thrown value for a message: `TypeError: x is null`, or the value itself. */
export function describeThrown(e: unknown): string {
  if (e instanceof Error) return `${e.name === 'Error' ? '' : `${e.name}: `}${e.message}`;
  if (typeof e === 'string') return JSON.stringify(e);
  try {
    return String(e);
  } catch {
    return Object.prototype.toString.call(e);
  }
}

/**
 * Describes a value for a message without running any of its code (no getter, valueOf or
 * toString of an object is called): `5`, `-0`, `"yes"`, `10n`, `undefined`, `an object`.
 */
export function describeValue(v: unknown): string {
  switch (typeof v) {
    case 'number':
      return Object.is(v, -0) ? '-0' : String(v);
    case 'string':
      return JSON.stringify(v);
    case 'bigint':
      return `${v}n`;
    case 'symbol':
      return 'a symbol';
    case 'function':
      return 'a function';
    case 'object':
      return v === null ? 'null' : 'an object';
    default:
      return String(v); // undefined, booleans
  }
}
