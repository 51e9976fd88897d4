/**
 * Puts the `pageref` command into node_modules/.bin of this clone, so that `npx pageref` from
 * the repository's root runs the built command at once. The root package.json has no `bin` on
 * purpose: npm 11 (libnpmexec) answers `npx NAME` from a root whose own `bin` has NAME by
 * installing the whole project into its npx cache first (17.8 s on the first call in issue 19;
 * offline, an ENOENT error), and looks in node_modules/.bin only when the root has no such bin.
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
