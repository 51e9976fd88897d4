/**
 * `pageref check --kernel-header FILE --patch MAIL… [--beside PORT]` as a user runs it: the
 * real mainline page_ref.h patched by the v4 mail (seed 002), on two fast scenarios; beside
 * its port (agree, exit 0) and beside a port it differs from (listed, exit 1); and a mail
 * whose hunk does not apply (a usage error naming the mail and its line, exit 2).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pageref, ROOT } from '../helpers/pageref.js';

const HEADER = 'kernel/page_ref.h';
const V4 = 'kernel/seeds/002_e9374adfdd9a9d66.txt';
const V4_NAME = 'C:page_ref.h+002_e9374adfdd9a9d66.txt';
const kernel = (...more: string[]) =>
  pageref('check', '--kernel-header', HEADER, '--patch', V4, ...more);

describe('pageref check --kernel-header --patch', () => {
  it('v4 as posted, beside frozen-bit: the same verdicts, said so, exit 0', () => {
    const out = kernel('--scenario', 'inc-free,inc-freeze', '--beside', 'frozen-bit');
    assert.equal(out.status, 0, out.stderr);
    assert.match(out.stdout, /inc-free\s+safe\s+safe\s+2 threads/);
    assert.match(out.stdout, /inc-freeze\s+safe\s+safe\s+2 threads/);
    assert.match(out.stdout, /Every verdict is as the catalog expects\./);
    assert.ok(out.stdout.includes(`${V4_NAME} and frozen-bit agree on every scenario`));
  });

  it('--json: the C functions each method was compiled from, and the verdicts', () => {
    const out = kernel('--scenario', 'inc-free', '--json');
    assert.equal(out.status, 0, out.stderr);
    const r = JSON.parse(out.stdout) as {
      model: string;
      strategy: string;
      sources: Record<string, string>;
      results: { scenario: string; verdict: string }[];
      differences: string[];
    };
    assert.equal(r.model, 'sc');
    assert.equal(r.strategy, V4_NAME);
    assert.equal(r.sources.tryGet, 'folio_try_get');
    assert.equal(r.sources.isFrozen, '__page_is_frozen'); // a function the v4 mail adds
    assert.deepEqual(
      r.results.map((x) => [x.scenario, x.verdict]),
      [['inc-free', 'safe']],
    );
    assert.deepEqual(r.differences, []);
  });

  it('beside a port it differs from: the difference listed, exit 1', () => {
    const out = kernel('--scenario', 'free-page-get', '--beside', 'rfc-v1');
    assert.equal(out.status, 1, out.stderr);
    assert.match(
      out.stdout,
      /and rfc-v1 differ:\n {2}free-page-get: verdict safe in C, violation in the port/,
    );
  });

  it('a hunk that does not apply: a usage error naming the mail and its line, exit 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pageref-kernel-'));
    try {
      // the hunk at mail line 209 removes folio_set_count(); make it remove a line not there
      const lines = readFileSync(join(ROOT, V4), 'utf8').split('\n');
      assert.match(lines[211]!, /^-static inline void folio_set_count\(/);
      lines[211] = lines[211]!.replace('folio_set_count(', 'folio_set_counter(');
      const bad = join(dir, 'bad.txt');
      writeFileSync(bad, lines.join('\n'));
      const out = pageref('check', '--kernel-header', HEADER, '--patch', bad);
      assert.equal(out.status, 2);
      assert.equal(out.stdout, '');
      assert.ok(
        out.stderr.includes(`${bad}: hunk at mail line 209 does not apply (@@ -101,9 +111,9 @@`),
        out.stderr,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
