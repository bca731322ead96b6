/**
 * Debian's Chromium through playwright-core, for the e2e tests (`npx playwright install` cannot
 * run offline). CHROMIUM_PATH overrides the binary.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { REPO_ROOT, startStack, type Stack } from './stack';

export const ARTIFACTS_DIR = join(REPO_ROOT, 'test/artifacts');

/**
 * Playwright disables ThirdPartyStoragePartitioning (microsoft/playwright#32230). Without it,
 * Chromium denies an embedded cross-site app any sessionStorage, which no production browser does:
 * Chrome, Edge, Firefox and Safari partition third-party storage by top-level site instead
 * (smart-app-launch.md §12). This list is Playwright 1.65's own minus that feature; a later
 * `--disable-features` replaces the earlier one.
 */
const DISABLED_FEATURES = [
  'AvoidUnnecessaryBeforeUnloadCheckSync',
  'DestroyProfileOnBrowserClose',
  'HttpsUpgrades',
  'HttpsFirstBalancedModeAutoEnable',
  'LensOverlay',
  'MediaRouter',
  'PaintHolding',
  'AvoidCorsURLLoaderRestartOnRedirect',
  'OptimizationHints',
  'NetworkTimeServiceQuerying',
  'AimEnabled',
  'PreconnectToSearch',
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      `--disable-features=${DISABLED_FEATURES.join(',')}`,
    ],
  });
}

/** Path of a screenshot under test/artifacts/, creating the folder. */
export function artifactPath(name: string): string {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return join(ARTIFACTS_DIR, name);
}

/**
 * The whole sandbox stack and a Chromium context for one describe block: started in its beforeAll,
 * stopped in its afterAll. Call at the top of the block; the getters throw when start-up failed.
 */
export function sandboxInChromium(): { stack(): Stack; context(): BrowserContext } {
  let stack: Stack | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  beforeAll(async () => {
    stack = await startStack();
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  }, 300_000);
  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await stack?.stop();
  });
  return {
    stack: () => {
      if (!stack) throw new Error('the stack did not start');
      return stack;
    },
    context: () => {
      if (!context) throw new Error('the browser did not start');
      return context;
    },
  };
}
