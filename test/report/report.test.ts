import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const OUT = `${ROOT}test-artifacts/report`;
const CHROMIUM = '/usr/bin/chromium';
// CI installs Chromium (.ci/run); elsewhere the browser test is skipped without it.
const noBrowser =
  !existsSync(CHROMIUM) && process.env.CI !== 'true' && 'no /usr/bin/chromium on this machine';

describe('pageref report', () => {
  let run: ReturnType<typeof spawnSync>;
  before(() => {
    mkdirSync(OUT, { recursive: true });
    run = spawnSync(process.execPath, ['dist/src/cli/main.js', 'report', '--out', OUT], {
      cwd: ROOT,
      encoding: 'utf8',
    });
  });

  it('prints the verdict table, counterexamples and litmus blocks, and exits 0', () => {
    assert.equal(run.status, 0, String(run.stderr));
    const out = String(run.stdout);
    assert.match(
      out,
      /^scenario\s+classic\s+classic-optimistic\s+frozen-bit\s+rfc-v1\s+v2-inverted/,
    );
    assert.match(out, /aba-caller-dtor × frozen-bit: shortest counterexample \(11 steps\)/);
    assert.match(out, /Observation inc_freeze_race Never 0 2 +\(vacuous/);
    assert.match(String(run.stderr), /report: checker: every scenario × every strategy/);
  });

  it('writes one self-contained HTML file: no external resource, no script', () => {
    const html = readFileSync(`${OUT}/index.html`, 'utf8');
    assert.doesNotMatch(html, /<script|<link|src="http|href="http/);
    assert.equal((html.match(/<section class="cx"/g) ?? []).length, 7);
  });

  it("prints the benchmark table in the seeds' shape", () => {
    assert.match(
      String(run.stdout),
      /#workers \| +classic \| +classic-optimistic \| +frozen-bit \| boost % \| +ceiling/,
    );
  });

  it(
    'renders in a real browser: table, diagrams, litmus, chart (screenshot kept)',
    { skip: noBrowser },
    async () => {
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
        ],
      });
      try {
        const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
        await page.goto(pathToFileURL(`${OUT}/index.html`).href);
        assert.equal(await page.locator('#verdicts tbody tr').count(), 14);
        assert.equal(await page.locator('#verdicts td.violation').count(), 6);
        assert.equal(await page.locator('#verdicts td.unexpected').count(), 0);
        const diagrams = page.locator('.diagram svg');
        assert.equal(await diagrams.count(), 6);
        const box = await diagrams.first().boundingBox();
        assert.ok(box && box.width > 400 && box.height > 100, JSON.stringify(box));
        assert.match((await page.locator('.diagram').first().textContent()) ?? '', /counter p0/);
        assert.equal(await page.locator('#litmus tbody tr').count(), 4);
        assert.equal(await page.locator('#litmus .vacuous').count(), 1);
        const chart = await page.locator('.chart svg').boundingBox();
        assert.ok(chart && chart.width > 300 && chart.height > 200, JSON.stringify(chart));
        assert.match((await page.locator('.chart').textContent()) ?? '', /frozen-bit/);
        await page.screenshot({ path: `${OUT}/report.png`, fullPage: true });
      } finally {
        await browser.close();
      }
    },
  );
});
