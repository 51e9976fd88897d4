/**
 * Why the catalog expects each of its violations, for the report to print beside the red
 * cell and above the counterexample: a short label and the reason. Keyed by scenario, then
 * strategy; a test checks that every violation the catalog expects has one.
 */
export interface ExpectedViolation {
  /** A few words for the verdict table's cell. */
  label: string;
  /** What goes wrong, and whether and how it is avoided. */
  reason: string;
}

const ABA: ExpectedViolation = {
  label: 'expected by design: take the destructor from the page (aba-page-dtor)',
  reason:
    "Expected by design (seed 003). A fetch_add get succeeds on any count without the frozen bit, 0 included, so between a put's decrement to 0 and its freeze a getter can revive the page, drop it, free it, and the allocator can hand it out again; the stalled put's freeze then succeeds on the page's next incarnation. The put still frees exactly what it froze: the bug is only in running the destructor the caller believed in. The rule: a put that frees takes the destructor from the page itself. With that rule (aba-page-dtor) every strategy is safe. Mainline's get (add unless 0) cannot revive a zero, so classic and classic-optimistic pass both.",
};

const HISTORICAL = 'expected: a historical version, broken on purpose';

export const EXPECTED_VIOLATIONS: Readonly<
  Record<string, Readonly<Record<string, ExpectedViolation>>>
> = {
  'free-page-get': {
    'rfc-v1': {
      label: HISTORICAL,
      reason:
        "The RFC's allocator leaves a free page at a plain 0, which its fetch_add get takes as a live page (seed 001). The series fixed it by keeping free pages frozen.",
    },
  },
  'aba-caller-dtor': { 'frozen-bit': ABA, 'rfc-v1': ABA, 'v2-inverted': ABA },
  'debug-inc-live': {
    'v2-inverted': {
      label: HISTORICAL,
      reason:
        'v2\'s debug helper was inverted (count > 0 && !(count & FROZEN_BIT) reads "frozen"), so with debug checks on, every inc of a live page fires (seed 004).',
    },
  },
  'add-sub-return': {
    'v2-inverted': {
      label: HISTORICAL,
      reason:
        'The same inverted debug helper as in debug-inc-live: with debug checks on, the add of a live page fires (seed 004).',
    },
  },
  'overflow-guard': {
    'rfc-v1': {
      label: HISTORICAL,
      reason:
        "The RFC undoes a failed get with one CAS that gives up when it loses a race, so retrying getters drift a frozen counter upwards until it wraps to 0, which a get takes as live. The final series' get has an overflow guard (seed 002).",
    },
  },
};

/** The reason the catalog expects `scenario` to fail for `strategy`, if it does. */
export function expectedViolation(
  scenario: string,
  strategy: string,
): ExpectedViolation | undefined {
  return EXPECTED_VIOLATIONS[scenario]?.[strategy];
}
