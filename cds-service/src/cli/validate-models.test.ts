/**
 * `rationale validate --config FILE --calibration FILE` through the real CLI (worker threads): a
 * site model in the configuration is reported like the knowledge model (its prediction per
 * condition, labelled by the condition it names), and a calibration file gives a section comparing
 * AUROC, Brier and ECE before and after on the same patients.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Resource } from '@rationale/shared-types';
import { calibratePrior, type CalibrationFile } from '../model/calibration';
import { DIAGNOSTIC_KB } from '../model/knowledge/conditions';
import { logisticRegressionOnnx } from '../site-models/onnx-export';
import { validModel } from '../test-support/site-models';
import type { ValidationReport } from '../validation/aggregate';
import { main } from './main';
import { parseValidateArgs } from './validate';

jest.setTimeout(180_000);

const dir = mkdtempSync(join(tmpdir(), 'validate-models-'));
const bundles = join(dir, 'bundles');
const PATIENTS = 24;

/** An adult with one A1c; the first half have type 2 diabetes recorded (and a high A1c). */
function patientBundle(i: number) {
  const id = `v${i}`;
  const diabetic = i < PATIENTS / 2;
  const resources: Resource[] = [
    { resourceType: 'Patient', id, birthDate: '1965-03-01', gender: i % 2 ? 'female' : 'male' },
    {
      resourceType: 'Observation',
      id: `${id}-a1c`,
      status: 'final',
      subject: { reference: `Patient/${id}` },
      code: { coding: [{ system: 'http://loinc.org', code: '4548-4', display: 'Hemoglobin A1c' }] },
      effectiveDateTime: '2025-05-01',
      valueQuantity: {
        value: diabetic ? 8 + (i % 3) / 10 : 5.1 + (i % 4) / 10,
        unit: '%',
        system: 'http://unitsofmeasure.org',
        code: '%',
      },
    },
    ...(diabetic
      ? [
          {
            resourceType: 'Condition',
            id: `${id}-t2d`,
            subject: { reference: `Patient/${id}` },
            clinicalStatus: {
              coding: [
                { system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' },
              ],
            },
            code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'E11.9' }] },
            onsetDateTime: '2025-05-02',
            recordedDate: '2025-05-02',
          } as Resource,
        ]
      : []),
  ];
  return { resourceType: 'Bundle', type: 'collection', entry: resources.map((resource) => ({ resource })) };
}

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { stdout: (t) => out.push(t), stderr: (t) => err.push(t), env: {} });
  return { code, out: out.join(''), err: err.join('') };
}

beforeAll(() => {
  mkdirSync(bundles);
  for (let i = 0; i < PATIENTS; i++)
    writeFileSync(join(bundles, `v${i}.json`), JSON.stringify(patientBundle(i)));
  // Risk rises with the A1c: weights on (age, a1c, glucose).
  writeFileSync(join(dir, 'model.onnx'), logisticRegressionOnnx({ weights: [0, 2, 0], intercept: -13 }));
  writeFileSync(join(dir, 'service.json'), JSON.stringify({ models: [validModel()] }));
  const published = DIAGNOSTIC_KB.conditions.find((c) => c.id === 't2d')!.prior.value;
  const calibration: CalibrationFile = {
    kind: 'rationale-calibration',
    version: 1,
    createdAt: '2026-01-01T00:00:00Z',
    source: { name: 'test', patients: 100 },
    strength: 10,
    modelVersion: 'test',
    // A much higher local prevalence than published: the t2d probabilities move.
    priors: { t2d: calibratePrior(published, 60, 100, 10) },
  };
  writeFileSync(join(dir, 'calibration.json'), JSON.stringify(calibration));
});

describe('rationale validate with site models and a calibration', () => {
  it('reports the site model per condition and compares the metrics before and after calibration', async () => {
    const out = join(dir, 'report');
    const result = await run([
      'validate',
      '--bundles',
      bundles,
      '--out',
      out,
      '--mode',
      'cross-sectional',
      '--threads',
      '1',
      '--replicates',
      '20',
      '--config',
      join(dir, 'service.json'),
      '--calibration',
      join(dir, 'calibration.json'),
    ]);
    expect(result.err).not.toMatch(/error/i);
    expect(result.code).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as ValidationReport;
    expect(report.source.patients).toBe(PATIENTS);

    // The site model's prediction is a row like a condition's, labelled by recorded type 2 diabetes.
    const site = report.crossSectional?.metrics.find((m) => m.conditionId === 't2d-risk:t2d');
    expect(site).toMatchObject({ patients: PATIENTS, cases: PATIENTS, positives: PATIENTS / 2 });
    expect(site?.metrics.auroc.value).toBe(1);
    expect(report.crossSectional?.metrics.some((m) => m.conditionId === 't2d')).toBe(true);

    // Before and after the calibration, on the same patients.
    const comparison = report.calibrationComparison;
    expect(comparison?.calibration).toBe('calibration.json');
    const t2d = comparison?.crossSectional?.find((r) => r.conditionId === 't2d');
    expect(t2d?.before.brier.value).not.toBeNull();
    expect(t2d?.after.brier.value).not.toBe(t2d?.before.brier.value);
    // The site model does not use the knowledge model's priors: unchanged.
    const siteRow = comparison?.crossSectional?.find((r) => r.conditionId === 't2d-risk:t2d');
    expect(siteRow?.after.brier.value).toBe(siteRow?.before.brier.value);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('Before and after calibration');
    expect(existsSync(join(out, 'calibration-cross-sectional.csv'))).toBe(true);
  });

  it('stops before reading a patient when the configuration is invalid, naming the field', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ models: [{ ...validModel(), budgetMs: 0 }] }));
    const result = await run(['validate', '--bundles', bundles, '--out', join(dir, 'x'), '--config', bad]);
    expect(result.code).not.toBe(0);
    expect(result.err).toMatch(/models\[0\]\.budgetMs/);
  });

  it('takes --config and --calibration with --queue (the run carries them to its workers)', () => {
    expect(
      parseValidateArgs(['--bundles', bundles, '--out', dir, '--queue', '--calibration', 'c.json']),
    ).toMatchObject({ queue: true, calibrationFile: expect.stringMatching(/c\.json$/) as string });
  });
});
