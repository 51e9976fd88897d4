/**
 * C's operators on litmus values, in 32-bit two's complement arithmetic. A value is a number
 * or the address of a shared location (herd7's symbolic constant): addresses may be compared
 * with == and != and tested for truth (never null), and nothing else.
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
  if (typeof a === 'string' || typeof b === 'string') {
    return fail(
      `${op} applied to the address &${typeof a === 'string' ? a : b}: only == and != compare addresses`,
    );
  }
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
