/**
 * Puts the `pageref` command into node_modules/.bin of this clone, as npm does for a
 * dependency's bin but not for the root package's own: without it, `npx pageref` from the
 * repository's root does not find the command and tries to install a package of that name
 * (measured from a fresh clone: 17.8 s on the first call in issue 19; offline, an error).
 * Run by `npm ci` / `npm install` (the `prepare` script), after the build. POSIX only: on
 * Windows, call `npm run pageref --` or `node dist/src/cli/main.js`.
 *
 *   node dist/scripts/linkBin.js
 */
import { chmodSync, lstatSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = `${ROOT}dist/src/cli/main.js`;
const BIN = `${ROOT}node_modules/.bin`;

if (process.platform !== 'win32') {
  chmodSync(MAIN, 0o755); // the file carries `#!/usr/bin/env node`
  mkdirSync(BIN, { recursive: true });
  const link = `${BIN}/pageref`;
  try {
    lstatSync(link);
    rmSync(link);
  } catch {
    // no link yet
  }
  // relative, so that the clone can move
  symlinkSync('../../dist/src/cli/main.js', link);
}
