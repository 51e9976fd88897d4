/**
 * `pageref barriers` as a user runs it: a `--client` filter that leaves a function no client
 * gives that function no verdict (`no clients`) in the JSON and the table, never `same`. One
 * small client, so the run takes a second.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pageref } from '../helpers/pageref.js';

const CLIENT = 'MP+unfreeze@P0.b+count(frozen)';

describe('pageref barriers --client', () => {
  it('a function the filter leaves no client is "no clients", in the JSON and the table', () => {
    const json = pageref('barriers', '--function', 'unfreeze,count', '--client', CLIENT, '--json');
    assert.equal(json.status, 0, json.stderr);
    const r = JSON.parse(json.stdout) as {
      functions: { function: string; clients: number; verdict: string }[];
    };
    assert.deepEqual(
      r.functions.map((f) => [f.function, f.clients, f.verdict]),
      [
        ['unfreeze', 1, 'same'],
        ['count', 0, 'no clients'],
      ],
    );
    const text = pageref('barriers', '--function', 'unfreeze,count', '--client', CLIENT);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /page_ref_count\s+count\s+0\s+no clients/);
    assert.match(text.stderr, /barriers: count: no clients \(0 clients/);
  });

  it('takes a name with a comma in it (a partner per slot) as one name, beside another', () => {
    const names = `WRC+unfreeze@P0.a+count,count(frozen),${CLIENT}`;
    const json = pageref('barriers', '--function', 'unfreeze', '--client', names, '--json');
    assert.equal(json.status, 0, json.stderr);
    const r = JSON.parse(json.stdout) as { functions: { clients: number; verdict: string }[] };
    assert.deepEqual(r.functions[0], { ...r.functions[0], clients: 2, verdict: 'same' });
  });
});
