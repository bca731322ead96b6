/**
 * The example site model the sandbox ships (sandbox/cds-config.json, written with its ONNX file and
 * training report by scripts/train-site-model.ts): it loads through the same configuration and
 * runtime as any site's model, is silent, and runs on a patient.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Resource } from '@rationale/shared-types';
import { assessPatient } from '../assessment/assess-patient';
import { loadConfig } from '../config';
import { DEFAULT_MODEL_SETTINGS } from '../model/settings';
import { fakeAssess } from '../test-support/fake-model';
import { openSiteModels } from './open';

jest.setTimeout(30_000);

const ROOT = join(__dirname, '../../..');
const REPORT = JSON.parse(
  readFileSync(join(ROOT, 'cds-service/site-models/dysglycemia-risk/training-report.json'), 'utf8'),
) as { onnx: { sha256: string }; intercept: number };
const TYPICAL = (
  JSON.parse(readFileSync(join(__dirname, '../cli/fixtures/patient-typical.json'), 'utf8')) as {
    entry: { resource: Resource }[];
  }
).entry.map((e) => e.resource);

describe('the sandbox example model', () => {
  it('loads silent from the sandbox configuration, is the file the report describes, and runs', async () => {
    const config = loadConfig(
      { AUTH_REQUIRED: 'false' },
      { configFile: join(ROOT, 'sandbox/cds-config.json') },
    );
    expect(config.siteModels.map((m) => [m.id, m.mode])).toEqual([['dysglycemia-risk', 'silent']]);
    const open = await openSiteModels(config.siteModels);
    try {
      expect(open.models[0]?.runtime.provenance()).toEqual({ runtime: 'onnx', sha256: REPORT.onnx.sha256 });
      const patientId = TYPICAL.find((r) => r.resourceType === 'Patient')?.id ?? '';
      const { assessment } = await assessPatient(
        {
          data: { patientId, resources: TYPICAL },
          now: new Date('2026-06-01T00:00:00Z'),
          hook: 'patient-view',
        },
        { assess: fakeAssess, settings: DEFAULT_MODEL_SETTINGS, newId: () => 'a', siteModels: open.models },
      );
      const [result] = assessment.siteModels ?? [];
      expect(result?.status).toBe('complete');
      const p = result?.predictions[0]?.probability ?? -1;
      expect(p).toBeGreaterThan(0);
      expect(p).toBeLessThan(1);
      // The contributions and the probability agree: logit = intercept + Σ weight × value.
      const weights = config.siteModels[0]?.linear?.weights ?? {};
      const logit = Math.log(p / (1 - p));
      const sum = result!.features.reduce((s, f) => s + (weights[f.name] ?? 0) * f.value, 0);
      expect(logit - sum).toBeCloseTo(REPORT.intercept, 3);
    } finally {
      await open.close();
    }
  });
});
