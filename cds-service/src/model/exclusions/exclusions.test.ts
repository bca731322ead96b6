import { SAFETY_TYPES } from '@rationale/shared-types';
import type {
  AllergyIntolerance,
  CarePlan,
  Condition,
  Encounter,
  MedicationRequest,
} from '@rationale/shared-types';
import { assess } from '../assess';
import { DIAGNOSIS_EXCLUSIONS, SAFETY_CHECK_EXCLUSIONS } from '../knowledge/card-exclusions';
import { DIAGNOSTIC_KB } from '../knowledge/conditions';
import { CITATIONS } from '../knowledge/evidence';
import { RULE_EXCLUSIONS } from '../knowledge/treatment/rule-exclusions';
import { RECOMMENDATION_RULES } from '../knowledge/treatment/rules';
import { bp, lab, NOW, patientRecord } from '../testing/fixtures';
import { EXCLUSIONS } from './table';

const ICD = 'http://hl7.org/fhir/sid/icd-10-cm';
const SCT = 'http://snomed.info/sct';

function cond(id: string, system: string, code: string, recordedDate = '2025-06-01'): Condition {
  return {
    resourceType: 'Condition',
    id,
    subject: { reference: 'Patient/p1' },
    clinicalStatus: { coding: [{ code: 'active' }] },
    code: { coding: [{ system, code }] },
    recordedDate,
  };
}

/** Diabetes, age 58, LDL 130: the 2018 cholesterol guideline's moderate-intensity statin (class I). */
function diabetic(
  age = 58,
  sex: 'female' | 'male' = 'female',
  extra: Partial<Parameters<typeof patientRecord>[2]> = {},
) {
  return patientRecord(age, sex, {
    conditions: [cond('dm', ICD, 'E11.9'), ...(extra?.conditions ?? [])],
    observations: [
      lab('18262-6', 130, 'mg/dL', 20),
      lab('4548-4', 7.1, '%', 20),
      bp(128, 78, 20),
      bp(126, 76, 60),
    ],
    ...(extra?.allergies ? { allergies: extra.allergies } : {}),
    ...(extra?.encounters ? { encounters: extra.encounters } : {}),
  });
}
const statin = (a: ReturnType<typeof assess>) =>
  a.recommendations.find((r) => r.ruleId.startsWith('statin-'));
const suppressedStatin = (a: ReturnType<typeof assess>) =>
  a.suppressedRecommendations?.find((s) => s.recommendation.ruleId.startsWith('statin-'));

describe('exclusion declarations', () => {
  it('every recommendation rule declares its exclusions, or says why none applies', () => {
    for (const rule of RECOMMENDATION_RULES) {
      const decl = RULE_EXCLUSIONS.get(rule.id);
      expect({ rule: rule.id, declared: decl !== undefined }).toEqual({ rule: rule.id, declared: true });
      if (decl && decl.exclusions.length === 0) expect(decl.noneBecause).toBeTruthy();
      if (rule.kind === 'start' || rule.kind === 'intensify')
        expect({ rule: rule.id, n: (decl?.exclusions.length ?? 0) > 0 }).toEqual({ rule: rule.id, n: true });
    }
  });

  it('declares no exclusion for a rule that does not exist', () => {
    const ids = new Set(RECOMMENDATION_RULES.map((r) => r.id));
    for (const id of RULE_EXCLUSIONS.keys()) expect(ids.has(id)).toBe(true);
  });

  it('cites a source for every exclusion and every declaration, all in the evidence library', () => {
    for (const e of EXCLUSIONS.values()) for (const c of e.citationIds) expect(CITATIONS.has(c)).toBe(true);
    for (const decl of RULE_EXCLUSIONS.values())
      for (const d of decl.exclusions) for (const c of d.citationIds) expect(CITATIONS.has(c)).toBe(true);
  });
});

describe('diagnosis-card and order-safety exclusion declarations', () => {
  it('every knowledge-base condition declares its diagnosis-card exclusions, or says why none applies', () => {
    for (const condition of DIAGNOSTIC_KB.conditions) {
      const decl = DIAGNOSIS_EXCLUSIONS.get(condition.id);
      expect({ condition: condition.id, declared: decl !== undefined }).toEqual({
        condition: condition.id,
        declared: true,
      });
      if (decl && decl.exclusions.length === 0) expect(decl.noneBecause).toBeTruthy();
    }
    const ids = new Set(DIAGNOSTIC_KB.conditions.map((c) => c.id));
    for (const id of DIAGNOSIS_EXCLUSIONS.keys()) expect(ids.has(id)).toBe(true);
  });

  it('every order-safety check type declares its exclusions, or says why none applies', () => {
    for (const type of SAFETY_TYPES) {
      const decl = SAFETY_CHECK_EXCLUSIONS.get(type);
      expect({ type, declared: decl !== undefined }).toEqual({ type, declared: true });
      if (decl && decl.exclusions.length === 0) expect(decl.noneBecause).toBeTruthy();
    }
  });

  it('cites every diagnosis-card and order-safety declaration from the evidence library', () => {
    for (const decl of [...DIAGNOSIS_EXCLUSIONS.values(), ...SAFETY_CHECK_EXCLUSIONS.values()])
      for (const d of decl.exclusions) for (const c of d.citationIds) expect(CITATIONS.has(c)).toBe(true);
  });
});

describe('exclusions applied to diagnosis cards and order alerts', () => {
  const comfortCare: CarePlan = {
    resourceType: 'CarePlan',
    id: 'cp1',
    status: 'active',
    intent: 'plan',
    subject: { reference: 'Patient/p1' },
    // Comfort measures (regime/therapy), VSAC Comfort Measures 1.3.6.1.4.1.33895.1.3.0.45.
    category: [{ coding: [{ system: SCT, code: '133918004' }] }],
    period: { start: '2026-01-10' },
  };
  const highBp = [bp(154, 96, 5), bp(152, 94, 40), bp(158, 98, 90)];
  const draft = (code: string, id: string): MedicationRequest => ({
    resourceType: 'MedicationRequest',
    id,
    status: 'draft',
    intent: 'proposal',
    subject: { reference: 'Patient/p1' },
    medicationCodeableConcept: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code }] },
  });

  it('keeps a suggested hypertension in hospice care in the differential, with the reason its card is withheld', () => {
    const plain = assess(patientRecord(74, 'female', { observations: highBp }), NOW);
    expect(plain.hypotheses.find((h) => h.conditionId === 'htn')?.exclusions).toBeUndefined();
    const a = assess(patientRecord(74, 'female', { observations: highBp, carePlans: [comfortCare] }), NOW);
    const htn = a.hypotheses.find((h) => h.conditionId === 'htn');
    expect(htn?.status).toBe('suggested');
    expect(htn?.exclusions?.map((r) => [r.exclusionId, r.effect])).toEqual([['hospice', 'suppress']]);
    expect(htn?.exclusions?.[0]?.reason).toMatch(/CarePlan/);
    expect(a.citations.map((c) => c.id)).toContain('ecqm-2024-measures-hospice-palliative');
  });

  it('marks a Beers alert in hospice care as excluded and leaves the allergy alert beside it alone', () => {
    const intolerance: AllergyIntolerance = {
      resourceType: 'AllergyIntolerance',
      id: 'ai1',
      patient: { reference: 'Patient/p1' },
      type: 'intolerance',
      clinicalStatus: { coding: [{ code: 'active' }] },
      code: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '83367' }] },
    };
    const record = {
      ...patientRecord(80, 'male', { allergies: [intolerance], carePlans: [comfortCare] }),
      // lorazepam 1 MG oral tablet; atorvastatin 20 MG oral tablet
      draftOrders: [draft('197901', 'd1'), draft('617310', 'd2')],
    };
    const a = assess(record, NOW);
    const beers = a.safety.find((s) => s.type === 'older-adult');
    const allergy = a.safety.find((s) => s.type === 'drug-allergy');
    expect(beers?.exclusions?.[0]?.exclusionId).toBe('hospice');
    expect(allergy).toBeDefined();
    expect(allergy?.exclusions).toBeUndefined();
  });
});

describe('exclusions applied to recommendations', () => {
  it('proposes a statin for a diabetic aged 58 with nothing excluding it', () => {
    expect(statin(assess(diabetic(), NOW))).toBeDefined();
  });

  it('withholds the statin in pregnancy coded only as an ICD-10-CM O code, and says why', () => {
    const a = assess(
      diabetic(41, 'female', { conditions: [cond('preg', ICD, 'O24.111', '2026-01-15')] }),
      NOW,
    );
    expect(statin(a)).toBeUndefined();
    expect(suppressedStatin(a)?.reasons[0]?.exclusionId).toBe('pregnancy');
  });

  it('withholds the statin in hospice care recorded only as an Encounter', () => {
    const hospice: Encounter = {
      resourceType: 'Encounter',
      id: 'h1',
      status: 'in-progress',
      class: { code: 'HH' },
      type: [{ coding: [{ system: SCT, code: '385763009' }] }],
      period: { start: '2026-02-01' },
    };
    const a = assess(diabetic(70, 'male', { encounters: [hospice] }), NOW);
    expect(statin(a)).toBeUndefined();
    expect(suppressedStatin(a)?.reasons.map((r) => r.exclusionId)).toContain('hospice');
  });

  it('withholds the statin after statin-associated muscle symptoms', () => {
    const a = assess(diabetic(60, 'male', { conditions: [cond('sams', SCT, '16462851000119106')] }), NOW);
    expect(statin(a)).toBeUndefined();
    expect(suppressedStatin(a)?.reasons[0]?.exclusionId).toBe('intolerance');
  });

  it('never proposes the drug the patient did not tolerate, and names the alternative', () => {
    const intolerance: AllergyIntolerance = {
      resourceType: 'AllergyIntolerance',
      id: 'ai1',
      patient: { reference: 'Patient/p1' },
      type: 'intolerance',
      clinicalStatus: { coding: [{ code: 'active' }] },
      code: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '83367' }] },
    };
    const a = assess(diabetic(60, 'male', { allergies: [intolerance] }), NOW);
    const rec = statin(a);
    expect(rec?.proposedOrders.map((o) => o.code.display).join(' ')).not.toMatch(/atorvastatin/i);
    expect(rec?.rationale).toMatch(/Not atorvastatin: documented intolerance/);
  });

  it('withholds a statin start on dialysis (KDIGO 2013 lipids)', () => {
    const a = assess(diabetic(60, 'male', { conditions: [cond('esrd', ICD, 'N18.6')] }), NOW);
    expect(statin(a)).toBeUndefined();
  });
});
