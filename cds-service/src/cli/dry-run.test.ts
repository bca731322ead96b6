import type { PatientRecord } from '@rationale/shared-types';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderCards } from '../cards';
import { typicalAssessment, sequentialUuids, warfarinNsaidAlert } from '../cards/fixtures';
import { DEFAULT_MODEL_SETTINGS } from '../model/settings';
import { dryRun, dryRunMarkdown, dryRunResponse, resourcesOf } from './dry-run';
import { CliError } from './errors';

const typicalBundle = JSON.parse(
  readFileSync(join(__dirname, 'fixtures/patient-typical.json'), 'utf8'),
) as unknown;
const ordersBundle = JSON.parse(
  readFileSync(join(__dirname, 'fixtures/patient-orders.json'), 'utf8'),
) as unknown;

function input(overrides: Partial<Parameters<typeof dryRun>[0]> = {}): Parameters<typeof dryRun>[0] {
  return {
    hook: 'patient-view',
    bundle: typicalBundle,
    profile: 'generic',
    now: new Date('2026-05-20T15:00:00Z'),
    budget: 3,
    modelSettings: DEFAULT_MODEL_SETTINGS,
    appLaunchUrl: 'https://app.example/launch',
    newUuid: sequentialUuids(),
    ...overrides,
  };
}

/** A stand-in model that records what it was given and answers with the hand-built assessment. */
function recordingModel(safety = false) {
  const seen: { record?: PatientRecord; now?: Date } = {};
  const assess = (record: PatientRecord, now: Date) => {
    seen.record = record;
    seen.now = now;
    return typicalAssessment({ id: '', safety: safety ? [warfarinNsaidAlert()] : [] });
  };
  return { seen, deps: { assess, renderCards } };
}

describe('dryRun', () => {
  it('groups the bundle into the record for the bundle’s patient and passes the time through', async () => {
    const model = recordingModel();
    const result = await dryRun(input(), model.deps);
    expect(result.patientId).toBe('typical-1');
    expect(model.seen.now?.toISOString()).toBe('2026-05-20T15:00:00.000Z');
    expect(model.seen.record?.observations).toHaveLength(12);
    expect(model.seen.record?.conditions).toHaveLength(1);
    expect(model.seen.record?.draftOrders).toHaveLength(0);
    expect(result.assessment.id).toBe('dry-run');
  });

  it('turns the bundle’s draft orders into draftOrders on order hooks and keeps them out of active medications', async () => {
    const model = recordingModel(true);
    const result = await dryRun(input({ hook: 'order-sign', bundle: ordersBundle }), model.deps);
    expect(result.draftOrders).toBe(1);
    expect(model.seen.record?.draftOrders.map((d) => d.id)).toEqual(['draft-1']);
    expect(model.seen.record?.selections).toEqual(['MedicationRequest/draft-1']);
    expect(model.seen.record?.medicationRequests.map((m) => m.id).sort()).toEqual([
      'mr-metformin',
      'mr-warfarin',
    ]);
  });

  it('leaves draft orders out of the record on patient-view', async () => {
    const model = recordingModel();
    await dryRun(input({ bundle: ordersBundle }), model.deps);
    expect(model.seen.record?.medicationRequests.map((m) => m.id).sort()).toEqual([
      'mr-metformin',
      'mr-warfarin',
    ]);
    expect(model.seen.record?.draftOrders).toHaveLength(0);
  });

  it('renders a readable report: each card as the EHR shows it, then what was held back', async () => {
    const result = await dryRun(input(), recordingModel().deps);
    const md = dryRunMarkdown(result, { hook: 'patient-view', profile: 'generic', budget: 3 });
    expect(md).toContain('# Dry run: patient-view for Patient/typical-1');
    expect(md).toContain('### 1. [WARNING] Start moderate-intensity statin: diabetes, age 58, LDL 132 mg/dL');
    expect(md).toContain(
      'Topic `rxstatindiabetes4075` · source Rationale (https://doi.org/10.1161/CIR.0000000000000625)',
    );
    expect(md).toContain('- [x] Order atorvastatin 20 mg orally once daily (create MedicationRequest)');
    expect(md).toContain(
      '**Override reasons:** Already addressed · Not clinically appropriate for this patient',
    );
    expect(md).toContain(
      '**Link:** Review the reasoning → https://app.example/launch (smart, appContext `{"assessmentId":"dry-run","item":"r-statin"}`)',
    );
    expect(md).toContain('## Held back (3)');
    expect(md).toContain('- `rxdiabetesuacrannual`: over the card budget');
    expect(md).toContain('- `dxt2d`: already on the problem list');
    expect(dryRunResponse(result).cards).toHaveLength(3);
  });

  it('refuses a file without resources, a bundle without a patient, and several patients without --patient', async () => {
    expect(() => resourcesOf({ resourceType: 'Bundle', entry: [] })).toThrow(CliError);
    const noPatient = {
      resourceType: 'Bundle',
      entry: [{ resource: { resourceType: 'Observation', id: 'o' } }],
    };
    await expect(dryRun(input({ bundle: noPatient }), recordingModel().deps)).rejects.toThrow(
      'the bundle has no Patient resource',
    );
    const two = [
      { resourceType: 'Patient', id: 'a' },
      { resourceType: 'Patient', id: 'b' },
    ];
    await expect(dryRun(input({ bundle: two }), recordingModel().deps)).rejects.toThrow(
      'name one with --patient',
    );
    const named = await dryRun(input({ bundle: two, patientId: 'Patient/b' }), recordingModel().deps);
    expect(named.patientId).toBe('b');
  });
});
