import type { Condition, Encounter } from '@rationale/shared-types';
import { extractFacts } from '../findings/extract';
import { classifyMedication } from '../knowledge/drugs';
import { NOW, patientRecord } from '../testing/fixtures';
import GENERATED from './generated/value-sets.json';
import { CONCEPT_GROUPS, CQL_OBSERVATIONS } from './manifest';
import {
  groupsOfCoding,
  groupsOfConcept,
  groupsOfObservation,
  icd10Categories,
  ICD10CM_URL,
  LOINC_GROUP_ANALYTES,
  normalizeIcd10,
  RXNORM_URL,
  SNOMED_URL,
  TERMINOLOGY_SOURCE,
  TERMINOLOGY_TABLE,
} from './index';

const icd = (code: string) => ({ system: ICD10CM_URL, code });
const sct = (code: string) => ({ system: SNOMED_URL, code });
const members = (group: string, system: string): string[] =>
  (GENERATED.groups as Record<string, { codes: Record<string, string[]> }>)[group]?.codes[system] ?? [];

function conditionOf(coding: { system: string; code: string }[], text?: string): Condition {
  return {
    resourceType: 'Condition',
    id: 'c1',
    subject: { reference: 'Patient/p1' },
    clinicalStatus: { coding: [{ code: 'active' }] },
    code: { coding, ...(text ? { text } : {}) },
    recordedDate: '2026-01-10',
  };
}

describe('generated terminology table', () => {
  it('records the source repository, its commit and every value set with its version', () => {
    expect(TERMINOLOGY_SOURCE.repository).toBe('cqframework/ecqm-content-qicore-2024');
    expect(TERMINOLOGY_SOURCE.commit).toMatch(/^[0-9a-f]{40}$/);
    for (const spec of CONCEPT_GROUPS)
      for (const oid of spec.valueSets) {
        const vs = TERMINOLOGY_SOURCE.valueSets[oid];
        expect(vs?.version).toMatch(/^\d{8}$/);
        expect(vs?.title).toBeTruthy();
      }
  });

  it('expands every manifest group with value sets into published members', () => {
    for (const spec of CONCEPT_GROUPS.filter((g) => g.valueSets.length > 0)) {
      const codes = Object.values(
        (GENERATED.groups as Record<string, { codes: Record<string, string[]> }>)[spec.id]?.codes ?? {},
      ).flat();
      expect({ id: spec.id, n: codes.length > 0 }).toEqual({ id: spec.id, n: true });
    }
  });
});

describe('Observation rules read from the eCQM CQL libraries', () => {
  it('records each rule with the library name and version it was generated from, for every manifest library', () => {
    const rules = TERMINOLOGY_TABLE.observations;
    for (const spec of CQL_OBSERVATIONS)
      expect(rules.filter((r) => r.path === spec.path && r.group === spec.group).length).toBeGreaterThan(0);
    expect(rules.map((r) => [r.library, r.version, r.code.code, r.value?.code])).toEqual([
      ['Hospice', '6.12.000', '45755-6', '373066001'],
      ['PalliativeCare', '1.11.000', '71007-9', undefined],
    ]);
  });

  it('matches the answer the library requires, in any coding of the value, with the system as an OID too', () => {
    const mds = { coding: [{ system: 'http://loinc.org', code: '45755-6' }] };
    const yes = (system: string) => ({
      coding: [
        { system: 'http://example.org/local', code: 'Y' },
        { system, code: '373066001' },
      ],
    });
    expect(
      groupsOfObservation({ code: mds, valueCodeableConcept: yes(SNOMED_URL) }).map((m) => m.id),
    ).toEqual(['hospice']);
    expect(
      groupsOfObservation({ code: mds, valueCodeableConcept: yes('urn:oid:2.16.840.1.113883.6.96') }).map(
        (m) => m.id,
      ),
    ).toEqual(['hospice']);
    expect(groupsOfObservation({ code: mds, valueCodeableConcept: { coding: [sct('373067005')] } })).toEqual(
      [],
    );
    expect(groupsOfObservation({ code: mds })).toEqual([]);
  });
});

describe('ICD-10-CM hierarchy', () => {
  it('enumerates the categories of a range in ICD-10-CM order (O00-O9A ends with O99, O9A)', () => {
    const cats = icd10Categories('O00', 'O9A');
    expect(cats[0]).toBe('O00');
    expect(cats.slice(-2)).toEqual(['O99', 'O9A']);
    expect(cats).not.toContain('P00');
  });

  it.each([
    ['O09.893', 'supervision of other high risk pregnancies'],
    ['O9A.111', 'malignant neoplasm complicating pregnancy, first trimester'],
    ['O26.851', 'spotting complicating pregnancy'],
    ['Z3A.20', '20 weeks gestation'],
    ['Z33.1', 'pregnant state, incidental'],
    ['Z33.3', 'pregnant state, gestational carrier'],
    ['O0990', 'sent without its dot'],
    ['o24.410', 'sent in lower case'],
  ])('%s (%s) is pregnancy', (code) => {
    expect(groupsOfCoding(icd(code))).toContain('pregnancy');
  });

  it.each(['Z30.09', 'P00.0', 'Z39.2', 'N18.3'])('%s is not pregnancy', (code) => {
    expect(groupsOfCoding(icd(code))).not.toContain('pregnancy');
  });

  it('normalizes codes sent without a dot', () => {
    expect(normalizeIcd10('e119')).toBe('E11.9');
    expect(normalizeIcd10('I50.22')).toBe('I50.22');
  });

  it('reads heart failure of any subtype and asthma of any subtype through their categories', () => {
    expect(groupsOfCoding(icd('I50.32'))).toContain('heart-failure');
    expect(groupsOfCoding(icd('J45.909'))).toContain('asthma');
    expect(groupsOfCoding(icd('J45.51'))).toContain('asthma');
  });
});

describe('SNOMED CT members of the published value sets', () => {
  it('recognises every SNOMED CT member of the pregnancy and asthma expansions', () => {
    for (const code of members('pregnancy', 'snomed'))
      expect(groupsOfCoding(sct(code))).toContain('pregnancy');
    for (const code of members('asthma', 'snomed')) expect(groupsOfCoding(sct(code))).toContain('asthma');
  });

  it('accepts the SNOMED CT OID as the system', () => {
    const code = members('heart-failure', 'snomed')[0] as string;
    expect(groupsOfCoding({ system: 'urn:oid:2.16.840.1.113883.6.96', code })).toContain('heart-failure');
  });

  it('tries every coding of a concept, not only the first', () => {
    const matches = groupsOfConcept({
      coding: [{ system: 'http://example.org/local', code: 'X1' }, icd('O80')],
    });
    expect(matches.map((m) => m.id)).toContain('pregnancy');
    expect(matches[0]?.matchedBy).toBe('code');
  });

  it('reads text only when no coding is recognised, and marks the match as text', () => {
    expect(
      groupsOfConcept({ coding: [{ system: 'http://example.org/local', code: 'X1' }], text: 'Pregnant' }),
    ).toEqual([{ id: 'pregnancy', label: 'Pregnancy', matchedBy: 'text' }]);
    expect(groupsOfConcept({ text: 'Pregnancy test negative' })).toEqual([]);
  });
});

describe('LOINC groups and RxNorm clinical drugs', () => {
  it('maps the published LOINC group members to analytes', () => {
    expect(LOINC_GROUP_ANALYTES.get('2823-3')).toBe('potassium');
    expect(LOINC_GROUP_ANALYTES.get('77142-8')).toBe('potassium');
    expect(LOINC_GROUP_ANALYTES.get('2106-3')).toBe('hcg');
  });

  it('classifies a drug sent only as its clinical-drug code, with no display or text', () => {
    const scd = Object.entries(GENERATED.rxnorm as Record<string, string>).find(([, d]) =>
      /^simvastatin 5 MG Oral Tablet$/.test(d),
    )?.[0] as string;
    expect(scd).toBeDefined();
    const c = classifyMedication([{ system: RXNORM_URL, code: scd }]);
    expect(c?.ingredient).toBe('simvastatin');
    expect(c?.classes).toContain('statin-cyp3a4-substrate');
  });

  it('lets the code decide over a misleading local text', () => {
    const scd = Object.entries(GENERATED.rxnorm as Record<string, string>).find(([, d]) =>
      /^pioglitazone 30 MG Oral Tablet$/.test(d),
    )?.[0] as string;
    expect(classifyMedication([{ system: RXNORM_URL, code: scd }], 'Diabetes tab')?.classes).toContain(
      'thiazolidinedione',
    );
  });
});

describe('extractFacts through the terminology layer', () => {
  it('marks pregnancy from an ICD-10-CM O code without a display', () => {
    const facts = extractFacts(
      patientRecord(30, 'female', { conditions: [conditionOf([icd('O26.891')])] }),
      NOW,
    );
    expect(facts.pregnant).toBe(true);
  });

  it('does not read a pregnancy left active two years after it was recorded', () => {
    const old = { ...conditionOf([icd('Z34.90'), icd('O09.90')]), recordedDate: '2024-01-01' };
    expect(extractFacts(patientRecord(30, 'female', { conditions: [old] }), NOW).pregnant).toBe(false);
  });

  it('reads hospice care from an Encounter type', () => {
    const code = members('hospice', 'snomed')[0] as string;
    const encounter: Encounter = {
      resourceType: 'Encounter',
      id: 'e1',
      status: 'in-progress',
      class: { code: 'HH' },
      type: [{ coding: [sct(code)] }],
      period: { start: '2026-02-01' },
    };
    const facts = extractFacts(patientRecord(80, 'male', { encounters: [encounter] }), NOW);
    expect(facts.recordedConditions.get('hospice')?.[0]?.sources[0]?.reference).toBe('Encounter/e1');
  });

  it('counts the codings it could not read', async () => {
    const { assess } = await import('../assess');
    const record = patientRecord(50, 'male', {
      conditions: [conditionOf([{ system: 'http://example.org/local', code: 'LOCAL-42' }])],
    });
    const a = assess(record, NOW);
    expect(a.terminology?.unrecognizedCount).toBe(1);
    expect(a.terminology?.unrecognized[0]).toEqual({
      resourceType: 'Condition',
      system: 'http://example.org/local',
      code: 'LOCAL-42',
      count: 1,
    });
  });
});
