/**
 * herd7's sized locations: a location the init block declares with an 8- or 16-bit type
 * shows its final value's low bits, and the condition compares them so (herd7 masks final
 * values by their type's size; a write is not masked). Checked against herd7 7.58 by
 * test/fixtures/litmus/dialect/ (Uint8+wrap, Sized+char, Sized+uint16).
 */
import type { LitmusTest, Prop } from './ast.js';
import type { Outcome } from './condition.js';

const bare = (type: string) => type.replace(/\b(const|volatile|_Atomic)\b/g, '').trim();

/** The 8- and 16-bit types of herd7's C: a location of one holds its value's low bits. */
const SIZED: Record<string, [bits: number, signed: boolean]> = {
  char: [8, true],
  int8_t: [8, true],
  uint8_t: [8, false],
  int16_t: [16, true],
  uint16_t: [16, false],
};

/**
 * The final memory of `o` as herd7 shows and tests it: a location the init block declares
 * with an 8- or 16-bit type holds its value's low bits, sign- or zero-extended (herd7 masks
 * final values by their type's size: `uint8_t x = 255;` then a write of x + 1 ends x=0;
 * a write does not mask, so a read still sees 256). Other outcomes come back unchanged.
 * @returns a function of the outcome, built once per test
 */
export function sizedMemory(test: LitmusTest): (o: Outcome) => Outcome {
  const sized = sizedLocations(test);
  if (sized.size === 0) return (o) => o;
  return (o) => {
    const memory = new Map(o.memory);
    for (const [loc, mask] of sized) {
      const v = memory.get(loc);
      if (typeof v === 'number') memory.set(loc, mask(v));
    }
    return { registers: o.registers, memory };
  };
}

/**
 * `test` with the constants its condition and filter compare a sized location with masked
 * as that location's value is (herd7 finds `x=-1` true of a uint16_t x that holds 65535).
 * The printed condition (conditionText) stays as written. Recursive, and only for a test
 * with a sized location.
 */
export function sizedConstants(test: LitmusTest): LitmusTest {
  const sized = sizedLocations(test);
  if (sized.size === 0) return test;
  const map = (p: Prop): Prop => {
    switch (p.kind) {
      case 'const':
        return p;
      case 'not':
        return { kind: 'not', prop: map(p.prop) };
      case 'atom': {
        const mask = p.left.kind === 'loc' ? sized.get(p.left.name) : undefined;
        return mask && p.right.kind === 'num'
          ? { ...p, right: { ...p.right, value: mask(p.right.value) } }
          : p;
      }
      default:
        return { kind: p.kind, left: map(p.left), right: map(p.right) };
    }
  };
  return {
    ...test,
    condition: map(test.condition),
    filter: test.filter && map(test.filter),
  };
}

function sizedLocations(test: LitmusTest): Map<string, (v: number) => number> {
  const sized = new Map<string, (v: number) => number>();
  for (const item of test.init) {
    const size = SIZED[bare(item.type)];
    if (!size) continue;
    const shift = 32 - size[0];
    sized.set(item.name, size[1] ? (v) => (v << shift) >> shift : (v) => (v << shift) >>> shift);
  }
  return sized;
}
