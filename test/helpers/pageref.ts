import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CHILD_HANG_MS } from './hang.js';

/** The repository's root, from the compiled tests (dist/test/…). */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Runs the built CLI from the repository's root, as a user would: `pageref('check',
 * '--json')`. A run that hangs fails after CHILD_HANG_MS rather than block the suite.
 */
export function pageref(...args: string[]): SpawnSyncReturns<string> {
  return pagerefWith({}, ...args);
}

/** pageref(), with more variables in its environment. */
export function pagerefWith(
  env: Record<string, string>,
  ...args: string[]
): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, ['dist/src/cli/main.js', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: CHILD_HANG_MS,
    env: { ...process.env, ...env },
  });
}

/** `pageref check --model lkmm --scenario <scenario> --strategy <strategy> …more`. */
export function checkLkmm(
  scenario: string,
  strategy: string,
  ...more: string[]
): SpawnSyncReturns<string> {
  return pageref(
    'check',
    '--model',
    'lkmm',
    '--scenario',
    scenario,
    '--strategy',
    strategy,
    ...more,
  );
}
