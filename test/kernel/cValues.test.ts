/**
 * C's integer arithmetic as the C front end computes it: the cases where JavaScript's own
 * operators differ from C's (an unsigned right shift, wrapping, a 64-bit type).
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { arithmetic } from '../../src/kernel/cValues.js';

const CASES: [string, Parameters<typeof arithmetic>, ReturnType<typeof arithmetic>][] = [
  ['an unsigned >> shifts zeros in', ['>>', 'uint', 0x80000000, 1], 0x40000000],
  ['a signed >> keeps the sign', ['>>', 'int', -0x80000000, 1], -0x40000000],
  ['unsigned + wraps at 2^32', ['+', 'uint', 0xffffffff, 1], 0],
  ['int + wraps to INT_MIN', ['+', 'int', 0x7fffffff, 1], -0x80000000],
  ['unsigned long >> shifts zeros in', ['>>', 'ulong', 2n ** 63n, 1n], 2n ** 62n],
  ['long >> keeps the sign', ['>>', 'long', -(2n ** 63n), 1n], -(2n ** 62n)],
];

for (const [what, args, expected] of CASES)
  it(`${what}: ${args[0]} on ${args[1]}`, () => assert.equal(arithmetic(...args), expected));
