/**
 * Compiles the litmus grammar (src/litmus/grammar.ts) into a parser module at build time, so
 * that `pageref check FILE.litmus` does not load peggy and generate the parser at each start
 * (measured: loading peggy and generating took about 0.7 s of a 1.3 s run). Run by
 * `npm run build`; parse.ts uses the module only if it was built from the grammar it has,
 * and otherwise generates the parser as before.
 *
 *   node dist/scripts/buildParser.js
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import peggy from 'peggy';
import { LITMUS_GRAMMAR } from '../src/litmus/grammar.js';
import { BUILT_PARSER } from '../src/litmus/parse.js';

const source = peggy.generate(LITMUS_GRAMMAR, { output: 'source', format: 'commonjs' });
const out = fileURLToPath(new URL(`../src/litmus/${BUILT_PARSER}`, import.meta.url));
// the grammar it was built from, so that a stale module is never used
writeFileSync(out, `${source}\nmodule.exports.GRAMMAR = ${JSON.stringify(LITMUS_GRAMMAR)};\n`);
