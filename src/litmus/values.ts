/**
 * C's operators on litmus values, in 32-bit two's complement arithmetic. A value is a number
 * or the address of a shared location (herd7's symbolic constant): addresses may be compared
 * with == and != and tested for truth (never null), and take part in the few operations
 * herd7's symbolic values allow (addressOp); anything else is refused, as herd7 refuses it.
 */
import type { Value } from '../axiomatic/events.js';

/** A non-zero number or any address: the branch is taken. */
export function truthy(v: Value): boolean {
  return typeof v === 'string' || v !== 0;
}

export function unaryOp(op: '!' | '~' | '-', v: Value, fail: (what: string) => never): number {
  if (op === '!') return Number(!truthy(v));
  if (typeof v === 'string') return fail(`${op} applied to the address &${v}`);
  return op === '~' ? ~v : -v | 0;
}

export function binaryOp(op: string, a: Value, b: Value, fail: (what: string) => never): Value {
  if (op === '==') return Number(a === b);
  if (op === '!=') return Number(a !== b);
  if (op === '&&') return Number(truthy(a) && truthy(b));
  if (op === '||') return Number(truthy(a) || truthy(b));
  if (typeof a === 'string' || typeof b === 'string') return addressOp(op, a, b, fail);
  switch (op) {
    case '+':
      return (a + b) | 0;
    case '-':
      return (a - b) | 0;
    case '*':
      return Math.imul(a, b);
    // C leaves division by zero undefined; 0 keeps every trace defined
    case '/':
      return b === 0 ? 0 : (a / b) | 0;
    case '%':
      return b === 0 ? 0 : a % b;
    case '&':
      return a & b;
    case '|':
      return a | b;
    case '^':
      return a ^ b;
    case '<<':
      return a << b;
    case '>>':
      return a >> b;
    case '<':
      return Number(a < b);
    case '<=':
      return Number(a <= b);
    case '>':
      return Number(a > b);
    case '>=':
      return Number(a >= b);
    default:
      return fail(`unknown operator ${op}`);
  }
}

/**
 * An operation with an address operand, as herd7's symbolic values compute it
 * (lib/symbValue.ml: add, sub, orop, xor, lt): `x + 0`, `0 + x`, `x - 0` and `x | 0` are x,
 * which is diy7's address dependency, `*(x + (r0 ^ r0))`; `x ^ x` is 0; `x - y` is OCaml's
 * compare of the names (0, -1 or 1); `x < 0` is 0 and `0 < x` is 1. herd7 would move `x + 4`
 * to another location at an offset, which no test of this dialect declares, and refuses the
 * rest ("Illegal operation"): both are refused here.
 */
function addressOp(op: string, a: Value, b: Value, fail: (what: string) => never): Value {
  const address = (typeof a === 'string' ? a : b) as string;
  switch (op) {
    case '+':
    case '|':
      if (b === 0) return a;
      if (a === 0) return b;
      break;
    case '-':
      if (b === 0) return a;
      if (typeof a === 'string' && typeof b === 'string') return a === b ? 0 : a < b ? -1 : 1;
      break;
    case '^':
      if (a === b) return 0;
      break;
    case '<':
    case '>': {
      const [lo, hi] = op === '<' ? [a, b] : [b, a];
      if (hi === 0) return 0;
      if (lo === 0) return 1;
      break;
    }
  }
  if ((op === '+' || op === '-') && typeof (a === address ? b : a) === 'number')
    return fail(
      `${op} ${a === address ? b : a} moves the address &${address} off the location ${address}: herd7 adds 0 to an address and nothing else (a dependency: ${address} + (r ^ r))`,
    );
  return fail(
    `${op} applied to the address &${address}: herd7 allows an address + 0, - 0, | 0, ^ itself, and == or != (lib/symbValue.ml)`,
  );
}
