/**
 * A headless Chromium for the report's browser test, on any machine: the system's
 * /usr/bin/chromium when there is one, else the one shipped inside the npm package
 * @sparticuz/chromium (a devDependency; it unpacks its browser into the temp directory on
 * first use and needs no network).
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const SYSTEM_CHROMIUM = '/usr/bin/chromium';

/** @returns the browser and which Chromium it is (for the test's name and its messages). */
export async function launchChromium(): Promise<{ browser: Browser; which: string }> {
  if (existsSync(SYSTEM_CHROMIUM)) {
    const browser = await chromium.launch({
      executablePath: SYSTEM_CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    return { browser, which: SYSTEM_CHROMIUM };
  }
  const packaged = (await import('@sparticuz/chromium')).default;
  const executablePath = await packaged.executablePath();
  const browser = await chromium.launch({ executablePath, args: packaged.args });
  return { browser, which: `@sparticuz/chromium (${executablePath})` };
}
