/**
 * `rationale validate` end to end: a Bulk Data export made from Synthea bundles (NDJSON.gz per
 * resource type) and the same patients as a folder of bundles go through the real CLI (lane
 * processes, the production pipeline); both give the same report, and the HTML report opens in
 * Chromium with every plot drawn and no console error.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { bundlesToExport } from '../../../cds-service/scripts/bundles-to-export';
import { artifactPath, launchBrowser } from '../support/browser';
import { rationale, readReport, type CliOptions } from '../support/rationale-cli';
import { linkSyntheaBundles, SYNTHEA } from '../support/synthea';

const PATIENTS = 30;

const describeWithData = existsSync(SYNTHEA) ? describe : describe.skip;

interface ReportJson {
  source: { kind: string; patients: number };
  crossSectional: {
    metrics: Array<{ conditionId: string; metrics: Record<string, { value: number | null }> }>;
  };
  asOf: { chartOpens: number; leadTimes: unknown[] };
  fairness: Array<{ attribute: string; metric: string; small: boolean }>;
}

describeWithData('rationale validate', () => {
  let dir: string;
  let browser: Browser | undefined;

  const validate = (options: CliOptions) =>
    rationale('validate', { ...options, threads: 2, replicates: 50, every: 730 });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'validation-e2e-'));
    await bundlesToExport(SYNTHEA, join(dir, 'export'), { gzip: true, limit: PATIENTS });
    linkSyntheaBundles(join(dir, 'bundles'), PATIENTS);
    await validate({ export: join(dir, 'export'), out: join(dir, 'from-export') });
    await validate({ bundles: join(dir, 'bundles'), out: join(dir, 'from-bundles') });
  }, 900_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const report = (name: string) => readReport<ReportJson>(dir, name);

  it('reads the bulk export and the bundles into the same patients and the same numbers', () => {
    const fromExport = report('from-export');
    const fromBundles = report('from-bundles');
    expect(fromExport.source).toMatchObject({ kind: 'bulk-export', patients: PATIENTS });
    expect(fromBundles.source).toMatchObject({ kind: 'bundles', patients: PATIENTS });
    expect(fromExport.crossSectional.metrics).toEqual(fromBundles.crossSectional.metrics);
    expect(fromExport.asOf).toEqual(fromBundles.asOf);
    expect(fromExport.fairness).toEqual(fromBundles.fairness);
    expect(fromExport.asOf.chartOpens).toBeGreaterThan(PATIENTS);
    const attributes = new Set(fromExport.fairness.map((f) => f.attribute));
    expect([...attributes].sort()).toEqual(['ageBand', 'ethnicity', 'race', 'sex']);
  });

  it('writes a CSV for every table', () => {
    const files = readdirSync(join(dir, 'from-export'));
    for (const f of [
      'report.html',
      'report.json',
      'metrics-cross-sectional.csv',
      'metrics-as-of.csv',
      'thresholds-cross-sectional.csv',
      'calibration-as-of.csv',
      'lead-times.csv',
      'rules-as-of.csv',
      'card-burden-cross-sectional.csv',
      'fairness.csv',
    ])
      expect(files).toContain(f);
    const fairness = readFileSync(join(dir, 'from-export', 'fairness.csv'), 'utf8').split('\n');
    expect(fairness[0]).toBe(
      'mode,condition,attribute,group,reference,patients,cases,positives,small,metric,value,value_low,value_high,ratio,ratio_low,ratio_high,outside_band',
    );
    expect(fairness.length).toBeGreaterThan(40);
  });

  it('opens in Chromium with every plot drawn and no console error', async () => {
    browser = await launchBrowser();
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(`file://${join(dir, 'from-export', 'report.html')}`);
    await page.screenshot({ path: artifactPath('validation-report.png'), fullPage: false });

    const figures = await page.locator('figure.plot').evaluateAll((els) =>
      els.map((el) => ({
        title: el.getAttribute('data-plot') ?? '',
        svgs: el.querySelectorAll('svg').length,
        marks: el.querySelectorAll('svg path, svg circle, svg rect, svg line').length,
        // The plot itself is the widest svg of a figure (a colour legend adds small swatches).
        width: Math.max(
          0,
          ...[...el.querySelectorAll('svg')].map((svg) => svg.getBoundingClientRect().width),
        ),
      })),
    );
    const titles = figures.map((f) => f.title);
    for (const prefix of [
      'ROC',
      'Precision–recall',
      'Reliability',
      'Card burden',
      'Fairness ratios',
      'Lead time',
    ])
      expect(titles.some((t) => t.startsWith(prefix))).toBe(true);
    for (const f of figures) {
      expect(f.svgs).toBeGreaterThan(0);
      expect(f.marks).toBeGreaterThan(3);
      expect(f.width).toBeGreaterThan(100);
    }
    expect(await page.getByRole('heading', { name: 'Fairness audit' }).first().isVisible()).toBe(true);
    // Self-contained: nothing but the file itself is requested.
    expect(requests.filter((u) => !u.startsWith('file://'))).toEqual([]);
    expect(errors).toEqual([]);
  });
});
