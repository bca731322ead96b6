/**
 * Debian's Chromium through playwright-core, for the e2e tests (`npx playwright install` cannot
 * run offline). CHROMIUM_PATH overrides the binary.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { REPO_ROOT } from './stack';

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
