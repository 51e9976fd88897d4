/**
 * Execution drawings (src/axiomatic/draw): the text of a litmus witness, line for line; the
 * cycle of a forbidden candidate; the race of a racy one; the SVG well formed, with its edges.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { readLitmusFile } from '../../../src/litmus/checkFile.js';
import { showLitmus } from '../../../src/litmus/show.js';
import { LKMM } from '../../../src/axiomatic/models/index.js';
import { drawText } from '../../../src/axiomatic/draw/text.js';
import { drawSvg } from '../../../src/axiomatic/draw/svg.js';
import type { Drawing } from '../../../src/axiomatic/draw/explain.js';

const FIXTURES = fileURLToPath(new URL('../../../../test/fixtures/litmus/', import.meta.url));

function drawingOf(path: string): Drawing {
  const shown = showLitmus(readLitmusFile(FIXTURES + path), LKMM);
  assert.ok('drawing' in shown, 'none' in shown ? shown.none : '');
  return shown.drawing;
}

/** Every tag closed in order: enough to say the SVG is well formed for a browser. */
function assertWellFormed(svg: string) {
  const stack: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([a-zA-Z]+)[^>]*?(\/?)>/g)) {
    if (m[3]) continue;
    if (m[1]) assert.equal(stack.pop(), m[2], `</${m[2]}> closes the wrong tag`);
    else stack.push(m[2]!);
  }
  assert.deepEqual(stack, []);
  assert.doesNotMatch(svg.replace(/&(amp|lt|gt|quot|#\d+);/g, ''), /&/);
}

describe('execution drawings', () => {
  it("MP's witness, as text", () => {
    assert.equal(
      drawText(drawingOf('kernel/MP+poonceonces.litmus')),
      [
        'MP+poonceonces: a witness of the condition, allowed by lkmm',
        'P0               | P1',
        '-----------------+-----------------------------',
        'a: W buf=1 once  | c: R flag=1 once',
        'b: W flag=1 once | d: R buf=0 once (init buf=0)',
        '',
        'rf    b->c',
        'fr    d->a',
        '',
        'allowed',
      ].join('\n'),
    );
  });

  it('a forbidden candidate, with the cycle in base relations', () => {
    const text = drawText(drawingOf('kernel/MP+pooncerelease+poacquireonce.litmus'));
    assert.match(text, /forbidden by happens-before: the cycle c -po-> d -fr-> a -po-> b -rf-> c$/);
  });

  it('a racy witness, with the racing plain accesses', () => {
    const text = drawText(drawingOf('paulmck/plain/MP+wmbplainplain+rmbplainplain.litmus'));
    assert.match(text, /^race +c<->d +f<->a$/m);
  });

  it('as SVG: well formed, every edge drawn', () => {
    const d = drawingOf('kernel/MP+pooncerelease+poacquireonce.litmus');
    const svg = drawSvg(d);
    assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assertWellFormed(svg);
    for (const kind of ['rf', 'fr', 'cycle'])
      assert.match(svg, new RegExp(`<g class="edge ${kind}">`));
    assert.equal((svg.match(/<g class="edge /g) ?? []).length, d.edges.length);
    assert.equal((svg.match(/<g class="event"/g) ?? []).length, 4);
  });
});
