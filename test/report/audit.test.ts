/**
 * The report's audit section (src/report/audit.ts): the committed docs/audit.json as tables
 * and SVG drawings, and a pointer to the script when the file is missing.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { auditSection } from '../../src/report/audit.js';

it('shows the audit tables of frozen-bit and classic, each counterexample drawn', () => {
  const html = auditSection();
  assert.match(html, /<h3>frozen-bit /);
  assert.match(html, /<h3>classic /);
  assert.match(html, /No dependency is assumed/);
  assert.match(html, /<code>mainline\.ts:\d+<\/code><\/td><td>unfreeze<\/td>/);
  assert.match(html, /<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(html, /<g class="edge race">/);
});

it('says how to make docs/audit.json when it is missing', () => {
  assert.match(auditSection('/nonexistent/audit.json'), /node dist\/scripts\/audit\.js/);
});
