/**
 * The report's barrier section reads what `pageref barriers --out` wrote.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { barriersSection } from '../../src/report/barriers.js';

describe('the report: barrier guarantees', () => {
  it('says how to write the table when it is missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'barriers-')) + '/';
    assert.match(barriersSection(dir), /pageref barriers --out docs\/barriers/);
  });

  it('shows each function, and herd7 where its output is stored', () => {
    const dir = mkdtempSync(join(tmpdir(), 'barriers-')) + '/';
    const json = {
      base: 'classic',
      strategy: 'frozen-bit',
      functions: [
        {
          function: 'decAndTest',
          clients: 2,
          verdict: 'weaker',
          weaker: ['MP+x'],
          stronger: [],
          scDiffers: 0,
        },
      ],
      litmus: [
        {
          name: 'MP+x+frozen-bit',
          strategy: 'frozen-bit',
          answer: 'Sometimes',
          expected: 'Sometimes',
        },
      ],
    };
    writeFileSync(join(dir, 'barriers.json'), JSON.stringify(json));
    writeFileSync(
      join(dir, 'MP+x+frozen-bit.litmus.herd7'),
      'Observation MP+x+frozen-bit Sometimes 1 3\n',
    );
    const html = barriersSection(dir);
    assert.match(html, /<th>decAndTest<\/th><td>2<\/td><td>weaker<\/td>/);
    assert.match(html, /<td>Sometimes<\/td><td>Sometimes<\/td><td>Sometimes<\/td>/);
  });
});
