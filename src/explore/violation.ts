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
    MADE.add(this);
  }

  /**
   * `x instanceof Violation` holds for what this constructor made, and for nothing else:
   * code under test may throw anything, and the default check runs its code (a Proxy's
   * getPrototypeOf trap, which may lie, or throw, as a revoked Proxy does).
   */
  static override [Symbol.hasInstance](x: unknown): boolean {
    return (
      MADE.has(x as object) &&
      (this === Violation || Function.prototype[Symbol.hasInstance].call(this, x))
    );
  }
}

/** Every Violation made: the brand that instanceof checks (a WeakSet runs no code of x's). */
const MADE = new WeakSet<object>();

/**
 * What the explorer itself detects in a thread body:
 * - `pauseSwallowed`: the body caught the exception that pauses it and went on;
 * - `nondeterministic`: a replay made a different access from the one logged;
 * - `spins`: an operation made more shared accesses than its budget (`maxOpSteps`);
 * - `outOfRange`: an access to a cell that does not exist;
 * - `threw`: the body threw an error of its own (classified by the program).
 */
export type ExploreFault = 'pauseSwallowed' | 'nondeterministic' | 'spins' | 'outOfRange' | 'threw';

/** The longest description of a thrown value that a message takes. */
const MAX_DESCRIPTION = 300;

/**
 * Describes a thrown value for a message: `TypeError: x is null`, or the value itself.
 * Never throws: the value may come from code under test, and reading it may run that code
 * (getters, a Proxy's traps, toString), which may throw in turn, or be a revoked Proxy.
 */
export function describeThrown(e: unknown): string {
  const text = describe(e);
  return text.length > MAX_DESCRIPTION ? `${text.slice(0, MAX_DESCRIPTION)}…` : text;
}

function describe(e: unknown): string {
  if (typeof e === 'string') return JSON.stringify(e);
  if (e === null || (typeof e !== 'object' && typeof e !== 'function')) return String(e);
  try {
    if (e instanceof Error) {
      const name = readString(e, 'name') ?? 'Error';
      const message = readString(e, 'message') ?? '(its message cannot be read)';
      return `${name === 'Error' ? '' : `${name}: `}${message}`;
    }
  } catch {
    // its prototype cannot be read (a revoked Proxy, a throwing trap): described below
  }
  for (const text of [() => String(e), () => Object.prototype.toString.call(e)]) {
    try {
      const t = text();
      if (typeof t === 'string') return t;
    } catch {
      // the next way, or none
    }
  }
  return 'a value that throws when it is read (a revoked Proxy?)';
}

/** o[key] if it reads as a string without throwing. */
function readString(o: object, key: string): string | undefined {
  try {
    const v = (o as Record<string, unknown>)[key];
    return typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
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
