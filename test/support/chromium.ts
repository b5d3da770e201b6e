import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';

/** Debian's Chromium, driven by playwright-core (never a browser download). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH);
}

/**
 * In CI a missing browser is a failure (CI installs it); on a developer machine the browser tests
 * are left out with a printed reason.
 */
export function requireChromiumOrExplain(ci: boolean): boolean {
  if (chromiumAvailable()) return true;
  if (ci) throw new Error(`${CHROMIUM_PATH} is missing: .ci/run must install Debian's chromium.`);
  console.warn(`Browser tests not run: ${CHROMIUM_PATH} is missing (apt-get install -y chromium).`);
  return false;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    // Playwright's 30 s is short for a browser starting beside a busy test run on two cores.
    timeout: 120_000,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}
