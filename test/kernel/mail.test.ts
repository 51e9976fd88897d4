/**
 * Reading page_ref.h's hunks out of the seeds as the archive mangled them, and applying them
 * with `patch -l`'s looseness: the three series apply to their bases, in order; a hunk that
 * does not fit is refused with its mail line.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readMail } from '../../src/kernel/mail.js';
import { applyMailPatch, PatchRefused } from '../../src/kernel/patch.js';

const KERNEL = fileURLToPath(new URL('../../../kernel/', import.meta.url));
const SHARED = fileURLToPath(new URL('../../../../shared/seeds/', import.meta.url));
const seed = (n: string) =>
  readFileSync(
    KERNEL + 'seeds/' + readdirSync(KERNEL + 'seeds').find((f) => f.startsWith(n))!,
    'utf8',
  );
const BASE = readFileSync(KERNEL + 'page_ref.h', 'utf8');
const RFC_BASE = readFileSync(KERNEL + 'page_ref.rfc-base.h', 'utf8');

/** The base with every posted patch of the mail applied, in order. */
const patched = (base: string, mail: string) =>
  readMail(mail).patches.reduce((text, p) => applyMailPatch(text, p), base);

describe('readMail', () => {
  it('finds v4 as two patches whose blobs chain from the base, and its FROZEN_BIT', () => {
    const m = readMail(seed('002'));
    assert.deepEqual(
      m.patches.map((p) => [p.from, p.to, p.hunks.length, p.mailLine]),
      [
        ['94d3f0e71c06', 'f784db6f775a', 12, 190],
        ['f784db6f775a', '64ee0838c52e', 7, 498],
      ],
    );
    assert.deepEqual(m.skipped, []);
    assert.deepEqual(
      m.defines.map((d) => [d.name, d.value]),
      [['PAGEREF_FROZEN_BIT', 'BIT(31)']],
    );
  });

  it("skips a reply's diff (v2's #syz test fix) and every quoted one", () => {
    const m = readMail(seed('004'));
    assert.deepEqual(
      m.patches.map((p) => p.subject),
      [
        '[PATCH v2 1/2] mm: drop page refcount zero state semantics',
        '[PATCH v2 2/2] mm: implement page refcount locking via dedicated bit',
      ],
    );
    assert.deepEqual(
      m.skipped.map((p) => [p.mailLine, p.from, p.to]),
      [[1130, '32194e953674', 'ca6e43b0cf95']],
    );
  });

  it('reads a mail without message heads (the RFC) as one posted patch', () => {
    const m = readMail(seed('000'));
    assert.deepEqual(
      m.patches.map((p) => [p.from, p.hunks.length]),
      [['b0e3f4a4b4b8', 5]],
    );
    assert.deepEqual(
      m.defines.map((d) => [d.name, d.value]),
      [['PAGEREF_LOCKED_BIT', '(1 << 31)']],
    );
  });

  it('recounts a hunk from its body: the mangled headers count dropped blank lines', () => {
    const h = readMail(seed('002')).patches[0]!.hunks[0]!;
    assert.equal(
      h.header,
      '@@ -62,6 +62,16 @@ static inline void __page_ref_unfreeze(struct page *page, int v)',
    );
    assert.equal(h.newLines - h.oldLines, 10);
    assert.ok(h.lines.every((l) => ' +-'.includes(l[0]!)));
  });
});

describe('applyMailPatch', () => {
  it('applies v4 (both patches, in order) to the base: every renamed and added function', () => {
    const v4 = patched(BASE, seed('002'));
    for (const name of [
      '__page_count_is_frozen',
      '__page_is_frozen',
      'set_page_count_frozen',
      'page_ref_add_unless_frozen',
      '_PAGEREF_FROZEN_LIMIT',
    ])
      assert.match(v4, new RegExp(`\\b${name}\\b`));
    assert.doesNotMatch(v4, /page_ref_add_unless_zero/);
    assert.match(v4, /return count & PAGEREF_FROZEN_BIT;/);
    assert.equal(
      (v4.match(/atomic_cmpxchg_relaxed\(&page->_refcount, 0, PAGEREF_FROZEN_BIT\)/g) ?? []).length,
      2,
    );
  });

  it("applies v2 (both patches) to the same base, with v2's names and its inverted helper", () => {
    const v2 = patched(BASE, seed('004'));
    assert.match(v2, /set_page_count_as_frozen/);
    assert.match(v2, /return count > 0 && !\(\(count & PAGEREF_FROZEN_BIT\) != 0\);/);
    assert.match(v2, /static inline bool page_ref_add_unless_zero/);
  });

  it("applies the RFC to its own base, and refuses its fourth hunk on v4's base, by mail line", () => {
    assert.match(
      patched(RFC_BASE, seed('000')),
      /atomic_cmpxchg_relaxed\(&page->_refcount, val, PAGEREF_LOCKED_BIT\)/,
    );
    const rfc = readMail(seed('000')).patches[0]!;
    assert.throws(
      () => applyMailPatch(BASE, rfc),
      (e: unknown) =>
        e instanceof PatchRefused && e.mailLine === 73 && /mail line 73/.test(e.message),
    );
  });

  it('ignores whitespace both ways: a base indented with spaces takes the mangled hunks too', () => {
    const spaced = BASE.replaceAll('\t', '        ');
    assert.equal(
      patched(spaced, seed('002')).replaceAll('        ', '\t'),
      patched(BASE, seed('002')),
    );
  });

  it('refuses a hunk whose removed line is not in the file, naming the hunk', () => {
    const p = readMail(seed('002')).patches[1]!;
    assert.throws(() => applyMailPatch(BASE, p), PatchRefused); // patch 2 before patch 1
  });
});

it(
  'the seeds are those of shared/seeds, byte for byte',
  { skip: !existsSync(SHARED) && 'no shared/ beside this checkout' },
  () => {
    for (const f of readdirSync(KERNEL + 'seeds'))
      assert.equal(readFileSync(KERNEL + 'seeds/' + f, 'utf8'), readFileSync(SHARED + f, 'utf8'));
  },
);
