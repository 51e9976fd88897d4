/**
 * The time limit of a test, or of a child process it runs, that might hang: a safety net,
 * never a measure of speed. Ten minutes is far past what any of them takes on a busy
 * machine (the slowest, under a load of 10 on 2 cores, took 25 s), so no load makes a test
 * fail by it; a real hang still fails, and names itself, rather than block the suite.
 */
export const HANG_MS = 600_000;

/** The limit for a child process run inside a test limited by HANG_MS: it ends first. */
export const CHILD_HANG_MS = HANG_MS / 2;
