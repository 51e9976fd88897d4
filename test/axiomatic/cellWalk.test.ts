import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { reachableWrites } from '../../src/axiomatic/cellWalk.js';
import type { ThreadTrace, TraceEvent } from '../../src/axiomatic/events.js';

const at = { line: 0, column: 0 };
const ev = (e: Partial<TraceEvent> & Pick<TraceEvent, 'kind'>): TraceEvent => ({
  tags: ['ONCE'],
  addr: [],
  data: [],
  ctrl: [],
  at,
  ...e,
});
/** An RMW on x that reads `from` and writes `to`. */
const rmw = (from: number, to: number): TraceEvent[] => [
  ev({ kind: 'R', loc: 'x', value: from }),
  ev({ kind: 'W', loc: 'x', value: to, rmwRead: 0 }),
];
const trace = (events: TraceEvent[]): ThreadTrace => ({
  events: events.map((e, i) => (e.rmwRead !== undefined ? { ...e, rmwRead: i - 1 } : e)),
  registers: {},
});

describe('reachableWrites', () => {
  it('drops a value a run wrote from a value that only its own later write could make', () => {
    // T0 decrements once (2 -> 1, or, reading a value it does not know to be impossible,
    // 4 -> 3); T1 freezes 1 -> 4. 4 is reachable (after T0's 2 -> 1), so 3 is too: T0's
    // decrement read 4 only in a run that did not decrement before.
    const t0 = [trace(rmw(2, 1)), trace(rmw(4, 3))];
    const t1 = [trace(rmw(1, 4))];
    const r = reachableWrites(new Map([['x', 2]]), [t0, t1]).get('x')!;
    assert.deepEqual([...r].sort(), ['-1 2', '0 1', '1 4']);
    // with a second decrement in T0's run, 4 -> 3 follows 2 -> 1 -> 4
    const t0twice = [trace([...rmw(2, 1), ...rmw(4, 3)])];
    const r2 = reachableWrites(new Map([['x', 2]]), [t0twice, t1]).get('x')!;
    assert.deepEqual([...r2].sort(), ['-1 2', '0 1', '0 3', '1 4']);
  });

  it('a read only moves on when it returns the current value; a plain write always', () => {
    const reader = [
      trace([ev({ kind: 'R', loc: 'x', value: 5 }), ev({ kind: 'W', loc: 'x', value: 7 })]),
    ];
    const writer = [trace([ev({ kind: 'W', loc: 'x', value: 5 })])];
    assert.deepEqual([...reachableWrites(new Map([['x', 0]]), [reader]).get('x')!], ['-1 0']);
    assert.deepEqual([...reachableWrites(new Map([['x', 0]]), [reader, writer]).get('x')!].sort(), [
      '-1 0',
      '0 7',
      '1 5',
    ]);
  });
});
