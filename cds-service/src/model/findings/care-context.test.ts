import type {
  CarePlan,
  Observation,
  PatientRecord,
  Procedure,
  ServiceRequest,
} from '@rationale/shared-types';
import { NOW, patientRecord } from '../testing/fixtures';
import { extractFacts } from './extract';

// Codes and displays as published in the eCQM value sets (cqframework/ecqm-content-qicore-2024):
// Hospice Care Referral or Admission 2.16.840.1.113762.1.4.1116.365, Hospice Care Ambulatory
// 2.16.840.1.113883.3.526.3.1584, Comfort Measures 1.3.6.1.4.1.33895.1.3.0.45, Palliative Care
// Intervention 2.16.840.1.113883.3.464.1003.198.12.1135.
const SCT = 'http://snomed.info/sct';
const REFERRAL_TO_HOSPICE = { system: SCT, code: '306205009', display: 'Referral to hospice (procedure)' };
const HOSPICE_CARE = { system: SCT, code: '385763009', display: 'Hospice care (regime/therapy)' };
const COMFORT_MEASURES = { system: SCT, code: '133918004', display: 'Comfort measures (regime/therapy)' };
const TERMINAL_CARE = { system: SCT, code: '182964004', display: 'Terminal care (regime/therapy)' };
const PALLIATIVE_CARE = { system: SCT, code: '103735009', display: 'Palliative care (regime/therapy)' };

const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000).toISOString();

function serviceRequest(extra: Partial<ServiceRequest> = {}): ServiceRequest {
  return {
    resourceType: 'ServiceRequest',
    id: 'sr1',
    status: 'active',
    intent: 'order',
    subject: { reference: 'Patient/p1' },
    code: { coding: [REFERRAL_TO_HOSPICE] },
    authoredOn: daysAgo(20),
    ...extra,
  };
}

function carePlan(extra: Partial<CarePlan> = {}): CarePlan {
  return {
    resourceType: 'CarePlan',
    id: 'cp1',
    status: 'active',
    intent: 'plan',
    subject: { reference: 'Patient/p1' },
    category: [{ coding: [TERMINAL_CARE] }],
    period: { start: daysAgo(400) },
    ...extra,
  };
}

const hospice = (extra: Partial<PatientRecord>) =>
  extractFacts(patientRecord(82, 'female', extra), NOW).recordedConditions.get('hospice') ?? [];

describe('care context from ServiceRequest and CarePlan', () => {
  it('reads a hospice referral ordered this month from a ServiceRequest', () => {
    const found = hospice({ serviceRequests: [serviceRequest()] });
    expect(found.map((f) => f.sources[0]?.reference)).toEqual(['ServiceRequest/sr1']);
    expect(found[0]?.coding?.code).toBe('306205009');
  });

  it('reads a completed hospice-care order, coded only in category, as hospice', () => {
    const sr = serviceRequest({
      status: 'completed',
      code: { text: 'Home services' },
      category: [{ coding: [HOSPICE_CARE] }],
    });
    expect(hospice({ serviceRequests: [sr] })).toHaveLength(1);
  });

  it('ignores a revoked, entered-in-error, proposed or do-not-perform hospice ServiceRequest', () => {
    for (const sr of [
      serviceRequest({ status: 'revoked' }),
      serviceRequest({ status: 'entered-in-error' }),
      serviceRequest({ status: 'draft' }),
      serviceRequest({ intent: 'proposal' }),
      serviceRequest({ doNotPerform: true }),
    ])
      expect({
        sr: [sr.status, sr.intent, sr.doNotPerform],
        found: hospice({ serviceRequests: [sr] }),
      }).toEqual({
        sr: [sr.status, sr.intent, sr.doNotPerform],
        found: [],
      });
  });

  it('ignores a hospice referral ordered more than a year ago (the eCQM measurement period)', () => {
    expect(hospice({ serviceRequests: [serviceRequest({ authoredOn: daysAgo(400) })] })).toEqual([]);
  });

  it('reads an active terminal-care plan started over a year ago: an active plan is ongoing', () => {
    const found = hospice({ carePlans: [carePlan()] });
    expect(found.map((f) => f.sources[0]?.reference)).toEqual(['CarePlan/cp1']);
  });

  it('reads comfort measures coded only as a care-plan activity', () => {
    const cp = carePlan({
      category: [
        {
          coding: [
            { system: 'http://hl7.org/fhir/us/core/CodeSystem/careplan-category', code: 'assess-plan' },
          ],
        },
      ],
      activity: [{ detail: { status: 'in-progress', code: { coding: [COMFORT_MEASURES] } } }],
    });
    expect(hospice({ carePlans: [cp] })).toHaveLength(1);
  });

  it('reads a palliative care plan completed last month, not one completed two years ago', () => {
    const recent = carePlan({
      status: 'completed',
      category: [{ coding: [PALLIATIVE_CARE] }],
      period: { start: daysAgo(200), end: daysAgo(30) },
    });
    const old = { ...recent, id: 'cp2', period: { start: daysAgo(900), end: daysAgo(730) } };
    expect(hospice({ carePlans: [recent] })).toHaveLength(1);
    expect(hospice({ carePlans: [old] })).toEqual([]);
  });

  it('ignores a revoked or draft hospice care plan', () => {
    expect(hospice({ carePlans: [carePlan({ status: 'revoked' })] })).toEqual([]);
    expect(hospice({ carePlans: [carePlan({ status: 'draft' })] })).toEqual([]);
  });

  it('reads a hospice-care Procedure performed last month', () => {
    const proc: Procedure = {
      resourceType: 'Procedure',
      id: 'pr1',
      status: 'completed',
      subject: { reference: 'Patient/p1' },
      code: { coding: [HOSPICE_CARE] },
      performedDateTime: daysAgo(30),
    };
    expect(hospice({ procedures: [proc] }).map((f) => f.sources[0]?.reference)).toEqual(['Procedure/pr1']);
  });
});

// The eCQM Hospice library (Hospice 6.12.000) counts an Observation "Hospice care [Minimum Data
// Set]" (LOINC 45755-6) answered "Yes (qualifier value)" (SNOMED CT 373066001); PalliativeCare
// 1.11.000 counts a FACIT-Pal assessment (LOINC 71007-9) performed. "No (qualifier value)"
// (373067005) as in the eCQM test data (ControllingHighBloodPressureFHIR).
describe('care context from Observations, as the eCQM Hospice and PalliativeCare libraries read them', () => {
  const LOINC = 'http://loinc.org';
  const YES = { system: SCT, code: '373066001', display: 'Yes (qualifier value)' };
  const NO = { system: SCT, code: '373067005', display: 'No (qualifier value)' };
  const observation = (code: string, extra: Partial<Observation> = {}): Observation => ({
    resourceType: 'Observation',
    id: `o-${code}`,
    status: 'final',
    category: [
      { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'survey' }] },
    ],
    code: { coding: [{ system: LOINC, code }] },
    subject: { reference: 'Patient/p1' },
    effectiveDateTime: daysAgo(30),
    ...extra,
  });

  it('reads a Minimum Data Set hospice assessment answered Yes, naming the library and version', () => {
    const found = hospice({
      observations: [observation('45755-6', { valueCodeableConcept: { coding: [YES] } })],
    });
    expect(found.map((f) => f.sources[0]?.reference)).toEqual(['Observation/o-45755-6']);
    expect(found[0]?.label).toMatch(/Hospice care \[Minimum Data Set\]: Yes; eCQM Hospice 6\.12\.000/);
  });

  it('does not read it answered No, unanswered, not final, or older than 12 months', () => {
    for (const extra of [
      { valueCodeableConcept: { coding: [NO] } },
      {},
      { valueCodeableConcept: { coding: [YES] }, status: 'preliminary' as const },
      { valueCodeableConcept: { coding: [YES] }, status: 'entered-in-error' as const },
      { valueCodeableConcept: { coding: [YES] }, effectiveDateTime: daysAgo(400) },
    ])
      expect(hospice({ observations: [observation('45755-6', extra)] })).toEqual([]);
  });

  it('reads a FACIT-Pal palliative-care assessment (effective period, no value needed)', () => {
    const found = hospice({
      observations: [
        observation('71007-9', {
          effectiveDateTime: undefined,
          effectivePeriod: { start: daysAgo(60), end: daysAgo(59) },
          valueQuantity: { value: 120 },
        }),
      ],
    });
    expect(found[0]?.label).toMatch(/FACIT-Pal\).*eCQM PalliativeCare 1\.11\.000/);
  });
});
