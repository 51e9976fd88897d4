/**
 * CPU time, for the tests that bound how long something takes. A bound on the wall clock
 * fails when the machine is busy with other work; CPU time counts only the work of this
 * process (or of its children), so a bound on it holds on a loaded machine as on an idle one.
 */
import { readFileSync } from 'node:fs';

/** @returns the CPU milliseconds this process has used, all its threads together. */
export function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Runs `fn`; @returns its result and the CPU milliseconds it took. */
export function onCpu<T>(fn: () => T): { result: T; ms: number } {
  const started = cpuMs();
  const result = fn();
  return { result, ms: cpuMs() - started };
}

/** Clock ticks per second of /proc's times (USER_HZ, 100 on every Linux that Node runs on). */
const USER_HZ = 100;

/**
 * @returns the CPU milliseconds used by this process's children that have ended and been
 *   waited for (those of `spawnSync`), from /proc/self/stat (cutime + cstime); undefined
 *   where there is no /proc.
 */
export function childrenCpuMs(): number | undefined {
  let stat: string;
  try {
    stat = readFileSync('/proc/self/stat', 'utf8');
  } catch {
    return undefined;
  }
  // after "pid (comm) ": state is field 3, cutime and cstime fields 16 and 17
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / USER_HZ;
}

/**
 * Runs `fn`, which runs a child process to its end; @returns its result and the child's CPU
 * milliseconds, or undefined where they cannot be read (no /proc).
 */
export function childOnCpu<T>(fn: () => T): { result: T; ms: number | undefined } {
  const started = childrenCpuMs();
  const result = fn();
  const ended = childrenCpuMs();
  return { result, ms: started === undefined || ended === undefined ? undefined : ended - started };
}
