/**
 * Hook latency (issue 13): terminology lookups are precomputed at load, never scanned per request.
 * After a first assessment has loaded everything, every list the lookups were built from (the
 * generated value-set table, the knowledge base's own condition code sets) is replaced by a trap
 * that throws when read; assessing new records, coded every way, must still give the same result.
 * A drug's names are looked up by word in an index built at load: classifying a clinical-drug
 * code never seen before tries the patterns of the few drugs its words name, not the whole table.
 */
import type { Coding, MedicationRequest, PatientRecord } from '@rationale/shared-types';
import { assess } from '../assess';
import { DIAGNOSTIC_CONDITION_CODES, matchConditionCodes } from '../knowledge/condition-index';
import { classifyMedication, DRUGS } from '../knowledge/drugs';
import { CONTEXT_CONDITIONS } from '../knowledge/context-conditions';
import { bp, condition, lab, NOW, patientRecord } from '../testing/fixtures';
import { groupsOfCoding, TERMINOLOGY_TABLE } from './index';

const RX = 'http://www.nlm.nih.gov/research/umls/rxnorm';

function trap(name: string): never[] {
  return new Proxy([] as never[], {
    get() {
      throw new Error(`${name} read per request`);
    },
    ownKeys() {
      throw new Error(`${name} read per request`);
    },
  });
}

const med = (id: string, coding: Coding): MedicationRequest => ({
  resourceType: 'MedicationRequest',
  id,
  status: 'active',
  intent: 'order',
  subject: { reference: 'Patient/p1' },
  authoredOn: '2026-01-10',
  medicationCodeableConcept: { coding: [coding] },
});

/** A chart coded the ways EHRs code: ICD-10-CM subtypes with and without the dot, SNOMED CT, RxNorm SCDs. */
function chart(variant: number): PatientRecord {
  return patientRecord(68, variant % 2 ? 'male' : 'female', {
    conditions: [
      condition(variant % 2 ? 'E11.65' : 'E1165', 'active', 'icd10', 'c1'),
      condition('I50.22', 'active', 'icd10', 'c2'),
      condition('I48.91', 'active', 'icd10', 'c3'),
      condition('N18.4', 'active', 'icd10', 'c4'),
      condition('38341003', 'active', 'snomed', 'c5'),
      condition('Z51.5', 'resolved', 'icd10', 'c6'),
    ],
    observations: [
      lab('4548-4', 8.1 + variant / 10, '%', 30, 'o1'),
      lab('33914-3', 28, 'mL/min/{1.73_m2}', 20, 'o2'),
      lab('2823-3', 5.4, 'mmol/L', 20, 'o3'),
      lab('13457-7', 150, 'mg/dL', 40, 'o4'),
      lab('10230-1', 30, '%', 60, 'o5'),
      bp(150, 92, 10, '85354-9', 'bp1'),
      bp(148, 90, 40, '85354-9', 'bp2'),
    ],
    medicationRequests: [
      med('m1', { system: RX, code: '861004' }),
      med('m2', { system: RX, code: '200031' }),
      med('m3', { system: RX, code: '198223' }),
    ],
  });
}

describe('terminology lookups are Map and Set lookups built at load', () => {
  const before = [0, 1].map((v) => JSON.stringify(assess(chart(v), NOW)));

  beforeAll(() => {
    const table = TERMINOLOGY_TABLE as unknown as Record<string, unknown>;
    for (const [id, group] of Object.entries(TERMINOLOGY_TABLE.groups)) {
      for (const system of Object.keys(group.codes))
        group.codes[system] = trap(`group ${id} ${system} codes`);
      (group as { icd10cm: string[] }).icd10cm = trap(`group ${id} ICD-10-CM rules`);
    }
    table.analytes = trap('LOINC analyte groups');
    table.observations = trap('CQL observation rules');
    table.rxnorm = trap('RxNorm displays');
    for (const set of [...DIAGNOSTIC_CONDITION_CODES, ...CONTEXT_CONDITIONS]) {
      set.snomed = trap(`${set.id} SNOMED CT codes`);
      set.icd10 = trap(`${set.id} ICD-10-CM codes`);
    }
  });

  it('assesses the same charts to the same result with every source list unreadable', () => {
    expect([0, 1].map((v) => JSON.stringify(assess(chart(v), NOW)))).toEqual(before);
  });

  it('maps codings never seen before by lookup alone: value-set members, ICD-10-CM subtypes, knowledge code sets', () => {
    expect(groupsOfCoding({ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'O09.893' })).toContain(
      'pregnancy',
    );
    expect(groupsOfCoding({ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'i5043' })).toContain(
      'heart-failure',
    );
    expect(
      matchConditionCodes([{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'E11.649' }]).map(
        (m) => m.id,
      ),
    ).toContain('t2d');
  });

  it('classifies a never-seen RxNorm clinical drug by trying only the names its words could be', () => {
    const exec = jest.spyOn(RegExp.prototype, 'exec');
    // sacubitril 49 MG / valsartan 51 MG Oral Tablet (published display in the generated table).
    const drug = classifyMedication([{ system: RX, code: '1656349' }]);
    const tried = exec.mock.calls.length;
    exec.mockRestore();
    expect(drug?.classes).toEqual(expect.arrayContaining(['arni']));
    expect(DRUGS.length).toBeGreaterThan(50);
    expect(tried).toBeLessThan(15);
  });
});
