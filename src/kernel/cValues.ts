/**
 * C's integer types as page_ref.h uses them, and the usual arithmetic conversions between
 * them: `int` and `unsigned int` are JavaScript numbers (wrapping at 32 bits, as the kernel
 * builds with -fno-strict-overflow), `long` and `unsigned long` are BigInts (64 bits, x86-64's
 * and arm64's: `BIT(31)` is `1UL << 31`, so `(1 << 30) | PAGEREF_FROZEN_BIT` is an unsigned
 * long and `(unsigned int)val >= _PAGEREF_FROZEN_LIMIT` compares as one). `bool` is an int
 * that a store or a return makes 0 or 1. A pointer to a page or folio is its cell index
 * (`page`), and `&page->_refcount` is the same index as an atomic_t (`atomic`).
 *
 * @module
 */

/** A value's C type. */
export type CType = 'int' | 'uint' | 'long' | 'ulong' | 'bool' | 'page' | 'atomic' | 'void';

/** A value: a number for the 32-bit types and pointers, a BigInt for the 64-bit ones. */
export type Val = number | bigint;

/** The integer types, by conversion rank (bool promotes to int). */
const RANK = { bool: 0, int: 1, uint: 2, long: 3, ulong: 4 } as const;
export type IntType = keyof typeof RANK;

export const isInt = (t: CType): t is IntType => t in RANK;

/** The type both operands of an arithmetic operator convert to (C11 6.3.1.8). */
export function common(a: IntType, b: IntType): Exclude<IntType, 'bool'> {
  const t = RANK[a] >= RANK[b] ? a : b;
  return t === 'bool' ? 'int' : t;
}

/** `v` of type `from` converted to `to`, as C converts it. */
export function convert(v: Val, from: IntType, to: IntType): Val {
  if (from === to) return v;
  const big = typeof v === 'bigint';
  switch (to) {
    case 'bool':
      return big ? (v !== 0n ? 1 : 0) : v !== 0 ? 1 : 0;
    case 'int':
      return big ? Number(BigInt.asIntN(32, v)) : (v as number) | 0;
    case 'uint':
      return big ? Number(BigInt.asUintN(32, v)) : (v as number) >>> 0;
    case 'long':
      return big ? BigInt.asIntN(64, v) : BigInt(v);
    case 'ulong':
      return BigInt.asUintN(64, big ? v : BigInt(v));
  }
}

/** A binary arithmetic, bitwise or shift operator on two values of type `t`. */
export function arithmetic(
  op: string,
  t: Exclude<IntType, 'bool'>,
  a: Val,
  b: Val,
): Val | undefined {
  if (t === 'long' || t === 'ulong') {
    const [x, y] = [a as bigint, b as bigint];
    const r = bigOp(op, x, y);
    return r === undefined
      ? undefined
      : t === 'long'
        ? BigInt.asIntN(64, r)
        : BigInt.asUintN(64, r);
  }
  const [x, y] = [a as number, b as number];
  const r = smallOp(op, x, y, t === 'uint');
  return r === undefined ? undefined : t === 'int' ? r | 0 : r >>> 0;
}

/** `unsigned`: the operands are unsigned ints, so `>>` shifts zeros in, as C's does. */
function smallOp(op: string, x: number, y: number, unsigned: boolean): number | undefined {
  switch (op) {
    case '+':
      return x + y;
    case '-':
      return x - y;
    case '*':
      return Math.imul(x, y);
    case '&':
      return x & y;
    case '|':
      return x | y;
    case '^':
      return x ^ y;
    case '<<':
      return x << y;
    case '>>':
      return unsigned ? x >>> y : x >> y;
  }
  return undefined;
}

function bigOp(op: string, x: bigint, y: bigint): bigint | undefined {
  switch (op) {
    case '+':
      return x + y;
    case '-':
      return x - y;
    case '*':
      return x * y;
    case '&':
      return x & y;
    case '|':
      return x | y;
    case '^':
      return x ^ y;
    case '<<':
      return x << y;
    case '>>':
      return x >> y;
  }
  return undefined;
}

/** A comparison of two values of one type: 1 or 0. */
export function compare(op: string, a: Val, b: Val): number | undefined {
  switch (op) {
    case '==':
      return a === b ? 1 : 0;
    case '!=':
      return a !== b ? 1 : 0;
    case '<':
      return a < b ? 1 : 0;
    case '<=':
      return a <= b ? 1 : 0;
    case '>':
      return a > b ? 1 : 0;
    case '>=':
      return a >= b ? 1 : 0;
  }
  return undefined;
}

/** Whether a value is nonzero (C's truth). */
export const truth = (v: Val): boolean => v !== 0 && v !== 0n;

/** A number literal's value and type (C11 6.4.4.1: the first type that holds it). */
export function literal(text: string): { value: Val; type: IntType } | undefined {
  const m = /^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)([uUlL]*)$/.exec(text);
  if (!m) return undefined;
  const n = BigInt(
    m[1]!.length > 1 && m[1]![0] === '0' && !/x/i.test(m[1]!) ? '0o' + m[1]!.slice(1) : m[1]!,
  );
  const unsigned = /u/i.test(m[2]!);
  const long = /l/i.test(m[2]!);
  const hex = /x/i.test(m[1]!);
  const fits = (t: IntType) =>
    t === 'int'
      ? n <= 0x7fffffffn
      : t === 'uint'
        ? n <= 0xffffffffn
        : t === 'long'
          ? n <= 0x7fffffffffffffffn
          : true;
  const order: IntType[] = long
    ? unsigned
      ? ['ulong']
      : ['long', 'ulong']
    : unsigned
      ? ['uint', 'ulong']
      : hex
        ? ['int', 'uint', 'long', 'ulong']
        : ['int', 'long'];
  const type = order.find(fits) ?? 'ulong';
  return { value: type === 'long' || type === 'ulong' ? n : Number(n), type };
}
