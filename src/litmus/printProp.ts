/**
 * Conditions as herd7 prints them (ConstrGen.pp_prop with herd's ascii atoms): locations in
 * brackets (`[x]=1`), registers bare (`1:r0=x`), `!=` and `~` as `not (…)`, parentheses only
 * where an `\/` sits under a `/\` (or either under `=>`).
 */
import { chainOf, type CondLoc, type CondValue, type LitmusTest, type Prop } from './ast.js';

/** `0:r0` or `[x]`: a place as herd7 prints it in states and conditions. */
export function placeName(l: CondLoc): string {
  return l.kind === 'reg' ? `${l.thread}:${l.name}` : `[${l.name}]`;
}

function valueText(v: CondValue): string {
  if (v.kind === 'num') return String(v.value);
  if (v.kind === 'addr') return v.name;
  return placeName(v);
}

type Level = 'top' | 'and' | 'or' | 'implies';
// herd's ConstrGen.is_paren: which operator needs parentheses under which.
const PAREN: Record<Level, Level[]> = {
  top: [],
  and: ['or', 'implies'],
  or: ['implies'],
  implies: ['and', 'or'],
};

const CONNECTIVE = { and: '/\\', or: '\\/', implies: '=>' } as const;

/** The proposition as herd7 prints it. */
export function printProp(p: Prop, above: Level = 'top'): string {
  const wrap = (here: Level, s: string) => (PAREN[above].includes(here) ? `(${s})` : s);
  switch (p.kind) {
    case 'const':
      return p.value ? 'true' : 'false';
    case 'atom': {
      const atom = `${placeName(p.left)}=${valueText(p.right)}`;
      return p.op === '==' ? atom : `not (${atom})`;
    }
    case 'not': {
      let nots = 0;
      for (; p.kind === 'not'; p = p.prop) nots++;
      return `${'not ('.repeat(nots)}${printProp(p)}${')'.repeat(nots)}`;
    }
    case 'and':
    case 'or':
    case 'implies': {
      // a chain prints its operands at its own level, as the left-deep tree would
      const kind = p.kind;
      const terms = chainOf(p).map((q) => printProp(q, kind));
      return wrap(kind, terms.join(` ${CONNECTIVE[kind]} `));
    }
  }
}

/** `exists (…)`, `~exists (…)` or `forall (…)`: the Condition line's text. */
export function printCondition(test: Pick<LitmusTest, 'quantifier' | 'condition'>): string {
  return `${test.quantifier} (${printProp(test.condition)})`;
}
