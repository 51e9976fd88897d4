import { after, describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchChromium } from './browser.js';
import { ROOT, pageref } from '../helpers/pageref.js';
import { HANG_MS } from '../helpers/hang.js';

const OUT = `${ROOT}test-artifacts/report`;

describe('pageref report', () => {
  let run: ReturnType<typeof spawnSync>;
  before(() => {
    mkdirSync(OUT, { recursive: true });
    run = pageref('report', '--out', OUT);
  });

  it('prints the verdict table, counterexamples and litmus blocks, and exits 0', () => {
    assert.equal(run.status, 0, String(run.stderr));
    const out = String(run.stdout);
    assert.match(
      out,
      /^scenario\s+classic\s+classic-optimistic\s+frozen-bit\s+rfc-v1\s+v2-inverted/,
    );
    assert.match(out, /aba-caller-dtor × frozen-bit: shortest counterexample \(11 steps\)/);
    assert.match(out, /Observation inc_freeze_race Never 0 2\n/);
    assert.match(out, /Observation Unfreeze\+TryGet Never 0 4\n/);
    assert.match(String(run.stderr), /report: checker: every scenario × every strategy/);
  });

  it('writes one self-contained HTML file: no external resource, no script', () => {
    const html = readFileSync(`${OUT}/index.html`, 'utf8');
    assert.doesNotMatch(html, /<script|<link|src="http|href="http/);
    // aba-caller-dtor's counterexample is the same for its three ports and their C: drawn once
    assert.equal((html.match(/<section class="cx"/g) ?? []).length, 9);
    assert.match(
      html,
      /aba-caller-dtor × frozen-bit, rfc-v1, v2-inverted, C:rfc, C:v2, C:v4 <small>11 steps, shortest; the same counterexample for all 6/,
    );
    assert.match(
      html,
      /free-page-get × rfc-v1, v2-inverted, C:rfc, C:v2 <small>1 step, shortest; the same counterexample for all 4</,
    );
    for (const s of ['frozen-bit', 'rfc-v1', 'v2-inverted'])
      assert.match(html, new RegExp(`id="cx-aba-caller-dtor-${s}"`)); // every cell's link lands
  });

  it("explains each expected violation beside its cell, with the catalog's rule", () => {
    const html = readFileSync(`${OUT}/index.html`, 'utf8');
    assert.match(
      html,
      /#cx-aba-caller-dtor-frozen-bit">violation<\/a><small class="why">expected by design: take the destructor from the page \(aba-page-dtor\)<\/small>/,
    );
    assert.equal((html.match(/<small class="why">/g) ?? []).length, 9);
    assert.match(
      html,
      /<p class="reason">Expected by design \(&#34;Re: \[PATCH v4 0\/2\] mm: improve folio refcount scalability&#34; \(David Hildenbrand, 2026-06-22\)\)\. .*takes the destructor from the page itself/,
    );
  });

  it("prints the benchmark table in the seeds' shape", () => {
    assert.match(
      String(run.stdout),
      /#workers \| +classic \| +classic-optimistic \| +frozen-bit \| boost % \| +ceiling/,
    );
  });

  it(
    'renders in a real browser: table, diagrams, litmus, chart (screenshot kept)',
    { timeout: HANG_MS },
    async () => {
      const { browser } = await launchChromium();
      try {
        const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        page.setDefaultTimeout(HANG_MS); // Playwright's 30 s per action is a safety net too
        await page.goto(pathToFileURL(`${OUT}/index.html`).href);
        assert.equal(await page.locator('#verdicts tbody tr').count(), 15);
        // the ports' 9, and the same 9 again in the columns of the C they port (C:rfc, C:v2, C:v4)
        assert.equal(await page.locator('#verdicts td.violation').count(), 18);
        assert.equal(await page.locator('#verdicts td.unexpected').count(), 0);
        const diagrams = page.locator('.diagram svg');
        assert.equal(await diagrams.count(), 9);
        assert.equal(await page.locator('#verdicts td.violation .why').count(), 9);
        assert.equal(await page.locator('#expected li').count(), 7);
        const box = await diagrams.first().boundingBox();
        assert.ok(box && box.width > 400 && box.height > 100, JSON.stringify(box));
        assert.match((await page.locator('.diagram').first().textContent()) ?? '', /counter p0/);
        assert.equal(await page.locator('#litmus tbody tr').count(), 13);
        assert.equal(await page.locator('#litmus .vacuous').count(), 1);
        const chart = await page.locator('.chart svg').boundingBox();
        assert.ok(chart && chart.width > 300 && chart.height > 200, JSON.stringify(chart));
        // nothing drawn outside the chart's box: the legend is not cut off
        const outside = await page.locator('.chart svg text').evaluateAll((texts) => {
          const box = texts[0]!.closest('svg')!.getBoundingClientRect();
          return texts
            .map((t) => ({ text: t.textContent, r: t.getBoundingClientRect() }))
            .filter(
              ({ r }) => r.width > 0 && (r.right > box.right + 1 || r.bottom > box.bottom + 1),
            )
            .map(({ text }) => text);
        });
        assert.deepEqual(outside, []);
        const legend = (await page.locator('.chart').textContent()) ?? '';
        assert.match(legend, /ceiling \(one shared counter\)/);
        assert.match(legend, /unshared \(a counter per worker\)/);
        assert.match((await page.locator('.chart').textContent()) ?? '', /frozen-bit/);
        // the benchmark's tables fit a 1280 px window: no column behind a scrollbar
        const tables = await page
          .locator('table.bench')
          .evaluateAll((ts) =>
            ts.map((t) => ({ right: t.getBoundingClientRect().right, text: t.textContent })),
          );
        assert.ok(tables.length > 0);
        for (const t of tables) assert.ok(t.right <= 1280, `${t.right} px: ${t.text}`);
        assert.match(tables[0]!.text ?? '', /unshared/);
        const wide = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(wide <= 1280, `the page is ${wide} px wide`);
        assert.match((await page.locator('.noise-words').textContent()) ?? '', /load average/);
        await page.screenshot({ path: `${OUT}/report.png`, fullPage: true });
      } finally {
        await browser.close();
      }
    },
  );
});

describe('pageref report: output paths are checked before any work', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'pageref-report-'));
  writeFileSync(join(tmp, 'report'), 'a file where the report directory would go');
  // A directory nobody may create files in: for root, chmod is no bar, but /sys is.
  const locked = process.getuid?.() === 0 ? '/sys' : join(tmp, 'locked');
  if (locked !== '/sys') mkdirSync(locked, { mode: 0o555 });
  if (locked !== '/sys') chmodSync(locked, 0o555);
  after(() => rmSync(tmp, { recursive: true, force: true }));
  const cases: [string, string[], string, RegExp][] = [
    ['report is a file (EEXIST)', [], tmp, /^pageref: --out report: report is not a directory\n$/],
    [
      '--out /dev/null/x (ENOTDIR)',
      ['--out', '/dev/null/x'],
      tmp,
      /^pageref: --out \/dev\/null\/x: \/dev\/null is not a directory\n$/,
    ],
    [
      'from a directory that takes no new files (EPERM, EACCES)',
      [],
      locked,
      /^pageref: --out report: cannot create files in .* \((EACCES|EPERM|EROFS)\)\n$/,
    ],
    [
      '--out "" (an empty path)',
      ['--out', '', '--no-bench'],
      tmp,
      /^pageref: --out: expected a directory, got an empty path\n$/,
    ],
  ];
  for (const [name, args, cwd, message] of cases) {
    it(`${name}: one line, exit 2`, () => {
      const out = spawnSync(process.execPath, [`${ROOT}dist/src/cli/main.js`, 'report', ...args], {
        cwd,
        encoding: 'utf8',
      });
      assert.equal(out.status, 2, out.stderr);
      assert.match(out.stderr, message); // and no "report: checker…" progress: nothing ran
      assert.equal(out.stdout, '');
    });
  }
});
