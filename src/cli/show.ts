/**
 * `--show` for `pageref check`: the text drawing (src/axiomatic/draw/text.ts) of a litmus
 * test's witness (src/litmus/show.ts), printed after herd7's block, or of each violation of
 * the catalog under `--model lkmm`, printed after the verdict table.
 *
 * @module
 */

import type { LitmusTest } from '../litmus/ast.js';
import { showLitmus } from '../litmus/show.js';
import { drawText } from '../axiomatic/draw/text.js';
import type { MemoryModel } from '../axiomatic/models/model.js';
import type { LkmmResult } from '../check/lkmm/lkmmResult.js';
import { drawLkmmResult } from '../check/lkmmDrawing.js';

/** The drawing in text, or the sentence that says why there is none. */
export function showText(test: LitmusTest, model: MemoryModel, file: string): string {
  const shown = showLitmus(test, model, {}, file);
  return '\n' + ('drawing' in shown ? drawText(shown.drawing) : `pageref: ${shown.none}`) + '\n';
}

/** Each violation's execution drawn, one after another. */
export function showLkmmResults(results: readonly LkmmResult[]): string {
  return results
    .map((r) => ({ r, d: drawLkmmResult(r) }))
    .filter(({ d }) => d !== undefined)
    .map(({ r, d }) => `\n${drawText(d!)}\n${r.message ? `(${r.message})` : ''}`.trimEnd())
    .join('\n');
}
