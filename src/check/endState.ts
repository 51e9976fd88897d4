/**
 * The end-state invariants of one page, model-neutral: the same rule and the same message
 * whichever engine found the final state. The SC explorer (scenario.ts) knows the page from
 * its ghost world, LKMM (lkmm/judge.ts) from the ghost registers of one allowed execution;
 * each says whether the page ends free, who left it frozen and how many references are
 * held, and the strategy itself probes the final counter (`refs`, over a copy).
 *
 * @module
 */

import type { PageRefs } from '../refcount/pageRefs.js';

export interface EndStateViolation {
  kind: 'leftFrozen' | 'freeNotFrozen' | 'leak' | 'wrongCount';
  message: string;
}

/** A counter's raw value, as the messages show it. */
export const rawText = (raw: number) => `raw 0x${(raw >>> 0).toString(16)}`;

/** A page a thread froze and never unfroze nor freed; `by`: 'T1', or 'T0, T2'. */
export function leftFrozen(p: number, by: string): EndStateViolation {
  return { kind: 'leftFrozen', message: `page p${p} is left frozen by ${by} at the end` };
}

/**
 * A free page must be frozen as the strategy itself defines it, and frozen in effect:
 * count 0, a get fails.
 */
export function freeNotFrozen(
  p: number,
  refs: PageRefs,
  raw: number,
): EndStateViolation | undefined {
  const notFrozen = (why: string): EndStateViolation => ({
    kind: 'freeNotFrozen',
    message: `free page p${p} ${why} (${rawText(raw)})`,
  });
  if (!refs.isFrozen(p)) return notFrozen('is not frozen: isFrozen is false');
  const count = refs.count(p);
  if (count !== 0) return notFrozen(`has count ${count}, expected 0`);
  // last: a get that succeeds changes the (copied) counter
  if (refs.tryGet(p)) return notFrozen('is not frozen: a try-get would succeed');
  return undefined;
}

/** A live page must have a holder, and count exactly the references held. */
export function liveWrong(
  p: number,
  held: number,
  refs: PageRefs,
  raw: number,
): EndStateViolation | undefined {
  const wrong = (kind: EndStateViolation['kind'], what: string) => ({
    kind,
    message: `${what} (${rawText(raw)})`,
  });
  if (held === 0) return wrong('leak', `page p${p} leaked: live with no holder and never freed`);
  if (refs.isFrozen(p))
    return wrong('wrongCount', `live page p${p} is frozen, with ${held} reference(s) held`);
  const count = refs.count(p);
  if (count !== held)
    return wrong('wrongCount', `page p${p}'s count is ${count}, but ${held} reference(s) are held`);
  return undefined;
}
