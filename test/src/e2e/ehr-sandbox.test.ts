/**
 * The sandbox's EHR loop in Chromium (issue 6): from the patient list, open a patient with known
 * findings and see the expected cards; accept a suggestion and find the resource on the FHIR
 * server; override a card and see it snoozed when the chart is opened again; launch the app from a
 * card into the embedded panel, the app on 127.0.0.1 while the EHR is on localhost.
 */
import type { Locator, Page } from 'playwright-core';
import { PATIENT_SCENARIOS } from '../../../sandbox/src/patients';
import { artifactPath, sandboxInChromium } from '../support/browser';
import { ehrLaunchToken, fhirGet } from '../support/smart';

// rat-002: eGFR 52 then 49 four months apart, UACR 45 mg/g, no CKD on the problem list.
const SCENARIO = PATIENT_SCENARIOS.find((s) => s.id === 'rat-002');
const CKD_CARD = /kidney disease G3a/i;
const LONG = 60_000;
// testTimeout in test/jest.config.cjs does not apply when jest runs from the root with projects.
jest.setTimeout(180_000);

describe('sandbox EHR in Chromium', () => {
  const sandbox = sandboxInChromium();
  const running = sandbox.stack;
  let page: Page;

  beforeAll(async () => {
    page = await sandbox.context().newPage();
  });

  /** The cards region, once every patient-view call of this page load has answered. */
  async function cardsAfterPatientView(): Promise<Locator> {
    const region = page.getByRole('region', { name: 'Decision support' });
    await page
      .getByRole('region', { name: 'Inspector' })
      .getByText(/patient-view → rationale-patient-view: HTTP 200/)
      .first()
      .waitFor({ timeout: LONG });
    await page
      .locator('section[aria-label="Decision support"][aria-busy="false"]')
      .waitFor({ timeout: LONG });
    return region;
  }

  it('opens a patient with known findings from the patient list and shows the expected cards', async () => {
    expect(SCENARIO).toBeDefined();
    const name = SCENARIO?.name ?? '';
    const started = performance.now();
    await page.goto(running().ehrUrl, { waitUntil: 'networkidle' });
    await page.getByRole('link', { name, exact: true }).waitFor({ timeout: LONG });
    console.log(`EHR page load to patient list: ${Math.round(performance.now() - started)} ms`);

    const opened = performance.now();
    await page.getByRole('link', { name, exact: true }).click();
    await page.getByRole('heading', { level: 1, name }).waitFor({ timeout: LONG });
    const region = await cardsAfterPatientView();
    const ckd = region.getByRole('article', { name: CKD_CARD });
    await ckd.waitFor({ timeout: LONG });
    console.log(`chart open to cards rendered: ${Math.round(performance.now() - opened)} ms`);

    const summaries = await region
      .getByRole('article')
      .evaluateAll((cards) => cards.map((c) => c.querySelector('h3')?.textContent));
    console.log(`cards for ${SCENARIO?.id}: ${JSON.stringify(summaries)}`);
    expect(summaries.length).toBeGreaterThanOrEqual(1);
    expect(summaries.length).toBeLessThanOrEqual(3);
    // The chart itself: the recent eGFR values the card is about.
    await expect(
      page.getByRole('region', { name: 'Recent labs' }).getByText(/49/).first().isVisible(),
    ).resolves.toBe(true);
    // Every card came back clean through the conformance checks.
    await expect(
      page
        .getByRole('region', { name: 'Inspector' })
        .getByText(/0 error\(s\)/)
        .first()
        .isVisible(),
    ).resolves.toBe(true);
    await page.screenshot({ path: artifactPath('ehr-chart-with-cards.png'), fullPage: true });
  });

  let createdReference = '';

  it('accepts a suggestion: its resource is created on the FHIR server and accepted feedback is sent', async () => {
    const ckd = page
      .getByRole('region', { name: 'Decision support' })
      .getByRole('article', { name: CKD_CARD });
    await ckd.getByRole('button', { name: 'Accept', exact: true }).first().click();
    const status = ckd.getByRole('status');
    await status.getByText(/^Accepted/).waitFor({ timeout: LONG });
    const text = (await status.textContent()) ?? '';
    console.log(`accept: ${text}`);
    expect(text).toMatch(/feedback 200/);
    createdReference = /created ([A-Za-z]+\/[A-Za-z0-9\-.]+)/.exec(text)?.[1] ?? '';
    expect(createdReference).toMatch(/^(Condition|ServiceRequest|MedicationRequest)\//);

    // Read it back over FHIR REST with a token from a real SMART EHR launch.
    const token = await ehrLaunchToken(running(), 'rat-002');
    const read = await fhirGet(running(), createdReference, token.access_token);
    expect(read.status).toBe(200);
    expect(read.body.resourceType).toBe(createdReference.split('/')[0]);
    expect(JSON.stringify(read.body.subject ?? read.body.patient)).toContain('Patient/rat-002');
    // And the chart shows it once reloaded (a new problem on the list).
    if (createdReference.startsWith('Condition/')) {
      const display: string = read.body.code?.text ?? read.body.code?.coding?.[0]?.display ?? '';
      expect(display).not.toBe('');
      await page
        .getByRole('region', { name: 'Problems' })
        .getByText(display, { exact: true })
        .first()
        .waitFor({ timeout: LONG });
    }
  });

  it('overrides a card with a reason, and the card is gone when the chart is opened again', async () => {
    const region = page.getByRole('region', { name: 'Decision support' });
    const candidates = region.getByRole('article').filter({ hasNot: page.getByText(CKD_CARD) });
    const target = candidates.first();
    await target.waitFor({ timeout: LONG });
    const summary = ((await target.locator('h3').textContent()) ?? '').trim();
    expect(summary).not.toBe('');
    await target.getByRole('button', { name: 'Override', exact: true }).click();
    const reason = target.getByLabel('Override reason');
    const reasonText = (await reason.count())
      ? await reason.locator('option').first().textContent()
      : '(none offered)';
    await target.getByRole('button', { name: 'Send override', exact: true }).click();
    const status = target.getByRole('status');
    await status.getByText(/^Overridden/).waitFor({ timeout: LONG });
    console.log(`override "${summary}" with reason "${reasonText}": ${await status.textContent()}`);
    expect(await status.textContent()).toMatch(/feedback 200/);

    await page.reload({ waitUntil: 'networkidle' });
    const after = await cardsAfterPatientView();
    const summaries = await after
      .getByRole('article')
      .evaluateAll((cards) => cards.map((c) => c.querySelector('h3')?.textContent?.trim()));
    console.log(`cards after reopening: ${JSON.stringify(summaries)}`);
    expect(summaries).not.toContain(summary);
  });

  it('launches the app from a card into the embedded panel, served from 127.0.0.1 while the EHR is on localhost', async () => {
    // rat-002's cards were accepted and overridden above; rat-005 still has a card to launch from.
    await page.goto(`${running().ehrUrl}#/patients/rat-005`, { waitUntil: 'networkidle' });
    const region = await cardsAfterPatientView();
    const card = region.getByRole('article').first();
    const linkButton = card.locator('.cds-links button').first();
    const label = ((await linkButton.textContent()) ?? '').trim();
    const clicked = performance.now();
    await card.getByRole('button', { name: label, exact: true }).click();
    const panel = page.getByRole('complementary', { name: 'SMART app' });
    await panel.waitFor({ timeout: LONG });
    const frame = page.frameLocator('iframe[title="SMART app"]');
    await frame.getByRole('heading', { name: 'Differential' }).waitFor({ timeout: LONG });
    console.log(
      `card link "${label}" click to differential in the embedded app: ${Math.round(performance.now() - clicked)} ms`,
    );

    const src = (await page.locator('iframe[title="SMART app"]').getAttribute('src')) ?? '';
    const appUrl = new URL(src);
    expect(appUrl.hostname).toBe('127.0.0.1');
    expect(new URL(page.url()).hostname).toBe('localhost');
    expect(appUrl.searchParams.get('iss')).toBe(running().fhirUrl);
    expect(appUrl.searchParams.get('launch')).toBeTruthy();
    await page.screenshot({ path: artifactPath('ehr-with-embedded-app.png'), fullPage: false });
  });

  it('order entry: a draft order fires order-select with its safety card, signing fires order-sign, and the signed order is written', async () => {
    // rat-020: atrial fibrillation on warfarin; ordering ibuprofen must raise the warfarin–NSAID interaction.
    const scenario = PATIENT_SCENARIOS.find((s) => s.draftOrder?.medication === 'ibuprofen');
    expect(scenario).toBeDefined();
    await page.goto(`${running().ehrUrl}#/patients/${scenario?.id}`, { waitUntil: 'networkidle' });
    await cardsAfterPatientView();
    const orders = page.getByRole('region', { name: 'Order entry' });
    await orders.getByLabel('Medication').selectOption('ibuprofen');
    const selected = performance.now();
    await orders.getByRole('button', { name: 'Add order', exact: true }).click();
    const inspector = page.getByRole('region', { name: 'Inspector' });
    await inspector
      .getByText(/order-select → \S+: HTTP 200/)
      .first()
      .waitFor({ timeout: LONG });
    const safety = page.getByRole('region', { name: 'Order safety' });
    const card = safety.getByRole('article').first();
    await card.waitFor({ timeout: LONG });
    console.log(
      `order-select: add order to safety card rendered: ${Math.round(performance.now() - selected)} ms`,
    );
    const summaries = await safety
      .getByRole('article')
      .evaluateAll((cards) => cards.map((c) => c.querySelector('h3')?.textContent));
    console.log(
      `order-select cards for ${scenario?.id} + ibuprofen (expected: ${scenario?.draftOrder?.expect}): ${JSON.stringify(summaries)}`,
    );
    expect(summaries.join(' ')).toMatch(/warfarin|NSAID|ibuprofen|bleed/i);
    const indicators = await safety.locator('.indicator-badge').allTextContents();
    expect(indicators.some((i) => i === 'warning' || i === 'critical')).toBe(true);
    await page.screenshot({ path: artifactPath('ehr-order-safety.png'), fullPage: true });

    await orders.getByRole('button', { name: 'Sign orders', exact: true }).click();
    await inspector
      .getByText(/order-sign → \S+: HTTP 200/)
      .first()
      .waitFor({ timeout: LONG });
    await orders.getByRole('button', { name: 'Confirm signature', exact: true }).click();
    const status = orders.getByRole('status').filter({ hasText: /^Signed/ });
    await status.waitFor({ timeout: LONG });
    const signed = /MedicationRequest\/[A-Za-z0-9\-.]+/.exec((await status.textContent()) ?? '')?.[0] ?? '';
    expect(signed).not.toBe('');
    const token = await ehrLaunchToken(running(), scenario?.id ?? '');
    const read = await fhirGet(running(), signed, token.access_token);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      status: 'active',
      medicationCodeableConcept: { coding: [expect.objectContaining({ code: '5640' })] },
    });
    await page
      .getByRole('region', { name: 'Medications' })
      .getByText(/Ibuprofen 400 mg/)
      .first()
      .waitFor({ timeout: LONG });
  });

  it('Oracle-like profile with paged prefetch: cards still arrive, appContext is dropped, and the app computes its own assessment', async () => {
    const oracle = await sandbox.context().newPage();
    await oracle.goto(`${running().ehrUrl}&profile=oracle&prefetch=paged#/patients/rat-005`, {
      waitUntil: 'networkidle',
    });
    const inspector = oracle.getByRole('region', { name: 'Inspector' });
    await inspector
      .getByText(/patient-view → rationale-patient-view: HTTP 200/)
      .first()
      .waitFor({ timeout: LONG });
    const cards = oracle.getByRole('region', { name: 'Decision support' }).getByRole('article');
    await cards.first().waitFor({ timeout: LONG });
    // The inspector's copy of the request shows the paged prefetch with its next link.
    const exchange = inspector.locator('details').first();
    await exchange.locator('summary').click();
    await exchange
      .getByText(/"relation": "next"/)
      .first()
      .waitFor({ timeout: LONG });
    await exchange
      .getByText(/oracle\.app-context/)
      .first()
      .waitFor({ timeout: LONG });
    await cards.first().locator('.cds-links button').first().click();
    const frame = oracle.frameLocator('iframe[title="SMART app"]');
    await frame.getByRole('heading', { name: 'Differential', exact: true }).waitFor({ timeout: LONG });
    await oracle.screenshot({ path: artifactPath('ehr-oracle-profile-app.png') });
    await oracle.close();
  });
});
