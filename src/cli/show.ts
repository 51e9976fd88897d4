/**
 * `--show` for `pageref check FILE.litmus`: the text drawing of the test's witness
 * (src/litmus/show.ts, src/axiomatic/draw/text.ts), printed after herd7's block.
 *
 * @module
 */

import type { LitmusTest } from '../litmus/ast.js';
import { showLitmus } from '../litmus/show.js';
import { drawText } from '../axiomatic/draw/text.js';
import type { MemoryModel } from '../axiomatic/models/model.js';

/** The drawing in text, or the sentence that says why there is none. */
export function showText(test: LitmusTest, model: MemoryModel, file: string): string {
  const shown = showLitmus(test, model, {}, file);
  return '\n' + ('drawing' in shown ? drawText(shown.drawing) : `pageref: ${shown.none}`) + '\n';
}
