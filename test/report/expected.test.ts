import { it } from 'node:test';
import assert from 'node:assert/strict';
import { CATALOG } from '../../src/check/catalog.js';
import { EXPECTED_VIOLATIONS } from '../../src/report/expected.js';

it('every violation the catalog expects has its reason in the report, and no other', () => {
  const expected = CATALOG.flatMap((s) => s.violates.map((strategy) => `${s.name} × ${strategy}`));
  const explained = Object.entries(EXPECTED_VIOLATIONS).flatMap(([scenario, byStrategy]) =>
    Object.keys(byStrategy).map((strategy) => `${scenario} × ${strategy}`),
  );
  assert.deepEqual(explained.sort(), expected.sort());
});
