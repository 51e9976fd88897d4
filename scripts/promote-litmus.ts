/**
 * Regenerates the golden `.expected` files beside litmus files, on purpose, as herdtools7's
 * herd_promote does: after a change that alters an answer, run this, read the diff, commit.
 * herd7's own outputs (test/fixtures/litmus/kernel/) are references and are left alone.
 *
 *   npm run promote-litmus                 every golden under litmus/ and test/fixtures/litmus/
 *   npm run promote-litmus -- FILE.litmus  those files only
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GOLDEN_DIRS, goldenKind, goldenOutput, litmusFiles } from '../src/litmus/golden.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function main(args: string[]): number {
  const files = args.length > 0 ? args : GOLDEN_DIRS.flatMap((d) => litmusFiles(join(ROOT, d)));
  let changed = 0;
  for (const file of files) {
    const name = relative(process.cwd(), file);
    if (goldenKind(file) === 'herd7') {
      console.log(`kept     ${name} (herd7's reference)`);
      continue;
    }
    const golden = `${file}.expected`;
    const now = goldenOutput(file);
    const before = existsSync(golden) ? readFileSync(golden, 'utf8') : undefined;
    if (before === now) continue;
    writeFileSync(golden, now);
    changed++;
    console.log(`${before === undefined ? 'created ' : 'promoted'} ${name}.expected`);
  }
  console.log(`${changed} golden file${changed === 1 ? '' : 's'} written, ${files.length} checked`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
