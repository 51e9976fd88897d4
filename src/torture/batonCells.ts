/**
 * `BatonCells`: real shared memory whose accesses take turns by a schedule, so that an
 * interleaving the checker found runs again, exactly, on real worker threads.
 *
 * Each worker runs the same strategy code over its own BatonCells on one SharedArrayBuffer.
 * The schedule is a list of thread numbers, one per access: before its access, a thread
 * waits (`Atomics.wait` on the baton's step word) until the schedule's current entry names
 * it. It keeps the turn through whatever it does before its next access (a free's
 * bookkeeping, a detector's check), and moves the step on and wakes the others
 * (`Atomics.notify`) only at that next access or when it finishes: what a thread does
 * between two accesses belongs to the step of the first, as in the checker. An entry that
 * names a thread which has finished is skipped; past the schedule's end, threads run freely
 * (no test relies on what they do then). The handshakes, not the machine's speed, decide the
 * order, so a busy machine only makes the run slower.
 *
 * This is the STYLE.md "worker baton" mechanism, here on the torture's side only: the checker
 * itself pauses threads by replay (src/explore/modelCells.ts).
 *
 * @module
 */

import type { Cells } from '../cells/cells.js';

/** The baton's words: the schedule's current step, then one "finished" word per thread. */
export const BATON = { step: 0, firstDone: 1 } as const;

/** The words a baton for `threads` threads needs. */
export const batonWords = (threads: number): number => BATON.firstDone + threads;

/**
 * How long a thread waits for its turn before it calls the run a hang: a safety net only,
 * never a measure of speed (a busy machine starts a worker in well under a second), and
 * shorter than a test's own limit, so that a hang names itself.
 */
export const BATON_HANG_MS = 300_000;

/** Cells over `view` whose accesses by thread `me` wait for their turn in `schedule`. */
/** One access, as a forced run reports it: `step` is its place in the schedule, or -1. */
export interface BatonAccess {
  step: number;
  thread: number;
  /** `add 0xfffffffc→0xfffffffd`, `cas 0x1→0x80000000 failed: found 0x2`, `load 0x1` */
  what: string;
}

const hex = (v: number) => `0x${(v >>> 0).toString(16)}`;

export class BatonCells implements Cells {
  /** This thread's accesses, in its order. */
  readonly accesses: BatonAccess[] = [];
  /** Whether this thread holds a scheduled step that it has not passed on yet. */
  private holding = false;

  constructor(
    private readonly view: Int32Array,
    private readonly baton: Int32Array,
    private readonly schedule: readonly number[],
    private readonly me: number,
  ) {}

  /** Waits for this thread's turn; @returns whether the access is a scheduled step. */
  private turn(): boolean {
    const b = this.baton;
    this.pass();
    for (;;) {
      const step = Atomics.load(b, BATON.step);
      if (step >= this.schedule.length) return false; // past the schedule: run freely
      const owner = this.schedule[step]!;
      if (owner === this.me) return true;
      if (Atomics.load(b, BATON.firstDone + owner) === 1) {
        // the owner has finished: skip its entry
        if (Atomics.compareExchange(b, BATON.step, step, step + 1) === step)
          Atomics.notify(b, BATON.step);
        continue;
      }
      if (Atomics.wait(b, BATON.step, step, BATON_HANG_MS) === 'timed-out')
        throw new Error(
          `thread ${this.me} waited ${BATON_HANG_MS / 1000} s for step ${step} (thread ${owner}'s): a hang`,
        );
    }
  }

  /** After an access: record it; a scheduled one holds the step until pass(). */
  private next(scheduled: boolean, what: string): void {
    const step = scheduled ? Atomics.load(this.baton, BATON.step) : -1;
    this.accesses.push({ step, thread: this.me, what });
    this.holding = scheduled;
  }

  /** Passes a held step on: the next step, and every waiting thread wakes to check. */
  private pass(): void {
    if (!this.holding) return;
    this.holding = false;
    Atomics.add(this.baton, BATON.step, 1);
    Atomics.notify(this.baton, BATON.step);
  }

  /** This thread has finished: its remaining entries in the schedule are skipped. */
  finish(): void {
    this.pass();
    Atomics.store(this.baton, BATON.firstDone + this.me, 1);
    Atomics.notify(this.baton, BATON.step);
  }

  load(i: number): number {
    const s = this.turn();
    const v = Atomics.load(this.view, i);
    this.next(s, `load ${hex(v)}`);
    return v;
  }

  store(i: number, value: number): void {
    const s = this.turn();
    const old = Atomics.exchange(this.view, i, value);
    this.next(s, `store ${hex(old)}→${hex(value)}`);
  }

  add(i: number, delta: number): number {
    const s = this.turn();
    const v = Atomics.add(this.view, i, delta);
    this.next(s, `add ${hex(v)}→${hex(v + delta)}`);
    return v;
  }

  sub(i: number, delta: number): number {
    const s = this.turn();
    const v = Atomics.sub(this.view, i, delta);
    this.next(s, `sub ${hex(v)}→${hex(v - delta)}`);
    return v;
  }

  cas(i: number, expected: number, replacement: number): number {
    const s = this.turn();
    const v = Atomics.compareExchange(this.view, i, expected, replacement);
    const failed = v === expected ? '' : ` failed: found ${hex(v)}`;
    this.next(s, `cas ${hex(expected)}→${hex(replacement)}${failed}`);
    return v;
  }
}
