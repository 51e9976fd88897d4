import assert from 'node:assert/strict';
import { LitmusSyntaxError, parseLitmus } from '../../src/litmus/parse.js';
import { validate } from '../../src/litmus/validate.js';

/** Asserts that the litmus `text` is refused, with a located error matching `message`. */
export function refuses(text: string, message: RegExp): void {
  assert.throws(
    () => validate(parseLitmus(text, 'bad.litmus'), 'bad.litmus'),
    (e: unknown) => {
      assert.ok(e instanceof LitmusSyntaxError, String(e));
      assert.match(e.message, message);
      return true;
    },
  );
}
