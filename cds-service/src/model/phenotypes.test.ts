import type { Encounter, MedicationRequest, PatientRecord, Procedure } from '@rationale/shared-types';
import { assess, posteriorsFor } from './assess';
import { DEFAULT_MODEL_SETTINGS } from './settings';
import { DIAGNOSTIC_KB, FINDING_DEFS } from './knowledge/conditions';
import { DIAGNOSTIC_CONDITION_CODES } from './knowledge/condition-index';
import { CONTEXT_CONDITIONS } from './knowledge/context-conditions';
import { DRUGS } from './knowledge/drugs/table';
import { bp, condition, lab, NOW, patientRecord } from './testing/fixtures';

const SCT = 'http://snomed.info/sct';
let n = 0;

/** A MedicationRequest named by its clinical-drug text, authored `yearsAgo` before NOW. */
function med(text: string, status: 'active' | 'stopped' = 'active', yearsAgo = 3): MedicationRequest {
  return {
    resourceType: 'MedicationRequest',
    id: `mr-${++n}`,
    status,
    intent: 'order',
    subject: { reference: 'Patient/p1' },
    medicationCodeableConcept: { text },
    authoredOn: `${NOW.getUTCFullYear() - yearsAgo}-04-01`,
  };
}

function procedure(code: string, display: string): Procedure {
  return {
    resourceType: 'Procedure',
    id: `proc-${++n}`,
    status: 'completed',
    subject: { reference: 'Patient/p1' },
    code: { coding: [{ system: SCT, code, display }] },
    performedDateTime: '2024-05-01',
  };
}

function encounterFor(code: string): Encounter {
  return {
    resourceType: 'Encounter',
    id: `enc-${++n}`,
    status: 'finished',
    class: { code: 'AMB' },
    subject: { reference: 'Patient/p1' },
    period: { start: '2025-02-01', end: '2025-02-01' },
    reasonCode: [{ coding: [{ system: SCT, code }] }],
  };
}

function rec(extra: Partial<PatientRecord>, age = 62, sex: 'female' | 'male' = 'male'): PatientRecord {
  return patientRecord(age, sex, extra);
}

const hypothesis = (record: PatientRecord, id: string) =>
  assess(record, NOW).hypotheses.find((h) => h.conditionId === id);
const status = (record: PatientRecord, id: string) => hypothesis(record, id)?.status ?? 'absent';

describe('phenotypes: a problem inferred from the whole record', () => {
  const cases: Array<{ name: string; id: string; record: PatientRecord; expected: string }> = [
    // Type 2 diabetes
    {
      name: 'metformin suggests type 2 diabetes',
      id: 't2d',
      record: rec({ medicationRequests: [med('Metformin 500 MG Oral Tablet')] }),
      expected: 'suggested',
    },
    {
      name: 'metformin with prediabetes on the list does not',
      id: 't2d',
      record: rec({
        medicationRequests: [med('Metformin 500 MG Oral Tablet')],
        conditions: [condition('714628002')],
      }),
      expected: 'not-suggested',
    },
    {
      name: 'metformin with PCOS on the list does not',
      id: 't2d',
      record: rec(
        { medicationRequests: [med('Metformin 500 MG Oral Tablet')], conditions: [condition('69878008')] },
        30,
        'female',
      ),
      expected: 'not-suggested',
    },
    {
      name: 'insulin with type 1 diabetes on the list does not',
      id: 't2d',
      record: rec({
        medicationRequests: [med('insulin glargine 100 UNT/ML Injectable Solution')],
        conditions: [condition('46635009')],
      }),
      expected: 'not-suggested',
    },
    {
      name: 'no glucose-lowering drug suggests nothing',
      id: 't2d',
      record: rec({ medicationRequests: [med('Acetaminophen 325 MG Oral Tablet')] }),
      expected: 'not-suggested',
    },
    // Atrial fibrillation
    {
      name: 'apixaban and digoxin suggest AF',
      id: 'af',
      record: rec({
        medicationRequests: [med('apixaban 5 MG Oral Tablet'), med('Digoxin 0.125 MG Oral Tablet')],
      }),
      expected: 'suggested',
    },
    {
      name: 'electrical cardioversion suggests AF',
      id: 'af',
      record: rec({
        procedures: [procedure('180325003', 'Electrical cardioversion')],
        medicationRequests: [med('Warfarin Sodium 5 MG Oral Tablet')],
      }),
      expected: 'suggested',
    },
    {
      name: 'warfarin and digoxin with a DVT and heart failure on the list do not',
      id: 'af',
      record: rec({
        medicationRequests: [med('Warfarin Sodium 5 MG Oral Tablet'), med('Digoxin 0.125 MG Oral Tablet')],
        conditions: [condition('128053003'), condition('88805009')],
      }),
      expected: 'not-suggested',
    },
    {
      name: 'warfarin with a mechanical valve and digoxin with heart failure do not',
      id: 'af',
      record: rec({
        medicationRequests: [med('Warfarin Sodium 5 MG Oral Tablet'), med('Digoxin 0.125 MG Oral Tablet')],
        conditions: [condition('Z95.2', 'active', 'icd10'), condition('88805009')],
      }),
      expected: 'not-suggested',
    },
    // Heart failure
    {
      name: 'furosemide, carvedilol and sacubitril/valsartan suggest heart failure',
      id: 'heart-failure',
      record: rec({
        medicationRequests: [
          med('Furosemide 40 MG Oral Tablet'),
          med('carvedilol 25 MG Oral Tablet'),
          med('sacubitril 97 MG / valsartan 103 MG Oral Tablet'),
        ],
      }),
      expected: 'suggested',
    },
    {
      name: 'furosemide with CKD on the list does not',
      id: 'heart-failure',
      record: rec({
        medicationRequests: [med('Furosemide 40 MG Oral Tablet')],
        conditions: [condition('709044004')],
      }),
      expected: 'not-suggested',
    },
    {
      name: 'furosemide with cirrhosis on the list does not',
      id: 'heart-failure',
      record: rec({
        medicationRequests: [med('Furosemide 40 MG Oral Tablet')],
        conditions: [condition('19943007')],
      }),
      expected: 'not-suggested',
    },
    {
      name: 'a mildly reduced LVEF (45%) on furosemide suggests heart failure',
      id: 'heart-failure',
      record: rec({
        medicationRequests: [med('Furosemide 40 MG Oral Tablet')],
        observations: [lab('10230-1', 45, '%', 60)],
      }),
      expected: 'suggested',
    },
    {
      name: 'a normal LVEF on furosemide with CKD does not',
      id: 'heart-failure',
      record: rec({
        medicationRequests: [med('Furosemide 40 MG Oral Tablet')],
        observations: [lab('10230-1', 62, '%', 60)],
        conditions: [condition('709044004')],
      }),
      expected: 'not-suggested',
    },
    // Coronary disease / prior MI
    {
      name: 'a PCI suggests coronary disease',
      id: 'cad',
      record: rec({ procedures: [procedure('415070008', 'Percutaneous coronary intervention')] }),
      expected: 'suggested',
    },
    {
      name: 'nitroglycerin and clopidogrel suggest coronary disease',
      id: 'cad',
      record: rec({
        medicationRequests: [
          med('Nitroglycerin 0.4 MG/ACTUAT Mucosal Spray'),
          med('Clopidogrel 75 MG Oral Tablet'),
        ],
      }),
      expected: 'suggested',
    },
    {
      name: 'sublingual nitroglycerin alone suggests coronary disease (anti-angina medication)',
      id: 'cad',
      record: rec({ medicationRequests: [med('Nitroglycerin 0.4 MG/ACTUAT Mucosal Spray')] }),
      expected: 'suggested',
    },
    {
      name: 'isosorbide dinitrate with heart failure on the list does not',
      id: 'cad',
      record: rec({
        medicationRequests: [med('isosorbide dinitrate 20 MG Oral Tablet')],
        conditions: [condition('88805009')],
      }),
      expected: 'not-suggested',
    },
    {
      name: 'clopidogrel after a stroke does not',
      id: 'cad',
      record: rec({
        medicationRequests: [med('Clopidogrel 75 MG Oral Tablet')],
        conditions: [condition('230690007')],
      }),
      expected: 'not-suggested',
    },
    // Hypertension
    {
      name: 'hydrochlorothiazide suggests hypertension',
      id: 'htn',
      record: rec({ medicationRequests: [med('Hydrochlorothiazide 25 MG Oral Tablet')] }),
      expected: 'suggested',
    },
    {
      name: 'a normal blood pressure on hydrochlorothiazide still suggests hypertension',
      id: 'htn',
      record: rec({
        medicationRequests: [med('Hydrochlorothiazide 25 MG Oral Tablet')],
        observations: [bp(118, 76, 20), bp(122, 74, 200)],
      }),
      expected: 'suggested',
    },
    {
      name: 'hydrochlorothiazide at 28, with no blood pressure on the record, suggests hypertension',
      id: 'htn',
      record: rec({ medicationRequests: [med('Hydrochlorothiazide 25 MG Oral Tablet')] }, 28),
      expected: 'suggested',
    },
    {
      name: 'hydrochlorothiazide with heart failure on the list does not',
      id: 'htn',
      record: rec(
        {
          medicationRequests: [med('Hydrochlorothiazide 25 MG Oral Tablet')],
          conditions: [condition('88805009')],
        },
        30,
      ),
      expected: 'not-suggested',
    },
    {
      name: 'an ACC/AHA stage 1 average with a beta-blocker of many uses does not',
      id: 'htn',
      record: rec({
        medicationRequests: [med('Metoprolol succinate 100 MG Extended Release Oral Tablet')],
        observations: [bp(124, 84, 20), bp(118, 86, 200), bp(126, 83, 380)],
      }),
      expected: 'not-suggested',
    },
    {
      name: 'a stage 2 average suggests hypertension without any drug',
      id: 'htn',
      record: rec({ observations: [bp(152, 94, 20), bp(148, 92, 200)] }),
      expected: 'suggested',
    },
    {
      name: 'a beta-blocker with migraine on the list does not',
      id: 'htn',
      record: rec(
        { medicationRequests: [med('propranolol 40 MG Oral Tablet')], conditions: [condition('37796009')] },
        35,
      ),
      expected: 'not-suggested',
    },
    // Hyperlipidemia
    {
      name: 'a statin and ezetimibe suggest hyperlipidemia',
      id: 'hyperlipidemia',
      record: rec({
        medicationRequests: [med('Simvastatin 20 MG Oral Tablet'), med('ezetimibe 10 MG Oral Tablet')],
      }),
      expected: 'suggested',
    },
    {
      name: 'a statin alone suggests hyperlipidemia, a normal LDL on it notwithstanding',
      id: 'hyperlipidemia',
      record: rec({
        medicationRequests: [med('Simvastatin 20 MG Oral Tablet')],
        observations: [lab('18262-6', 96, 'mg/dL', 30)],
      }),
      expected: 'suggested',
    },
    {
      name: 'a statin started years before a stroke still suggests hyperlipidemia',
      id: 'hyperlipidemia',
      record: rec({
        medicationRequests: [med('Simvastatin 20 MG Oral Tablet', 'active', 10)],
        conditions: [condition('230690007')],
      }),
      expected: 'suggested',
    },
    {
      name: 'a statin started after a stroke does not',
      id: 'hyperlipidemia',
      record: rec({
        medicationRequests: [med('Simvastatin 20 MG Oral Tablet', 'active', 2)],
        conditions: [condition('230690007')],
      }),
      expected: 'not-suggested',
    },
    {
      name: 'a statin with diabetes on the list does not',
      id: 'hyperlipidemia',
      record: rec({
        medicationRequests: [med('Simvastatin 20 MG Oral Tablet')],
        conditions: [condition('44054006')],
      }),
      expected: 'not-suggested',
    },
    {
      name: 'a statin started with nitroglycerin and clopidogrel (coronary disease inferred) does not',
      id: 'hyperlipidemia',
      record: rec({
        medicationRequests: [
          med('Simvastatin 20 MG Oral Tablet'),
          med('Nitroglycerin 0.4 MG/ACTUAT Mucosal Spray'),
          med('Clopidogrel 75 MG Oral Tablet'),
        ],
      }),
      expected: 'not-suggested',
    },
    {
      name: 'an LDL of 205 mg/dL suggests hyperlipidemia (ACC/AHA 2018 severe)',
      id: 'hyperlipidemia',
      record: rec({ observations: [lab('18262-6', 205, 'mg/dL', 30)] }),
      expected: 'suggested',
    },
    {
      name: 'a single LDL of 170 mg/dL without treatment does not',
      id: 'hyperlipidemia',
      record: rec({ observations: [lab('18262-6', 170, 'mg/dL', 30)] }),
      expected: 'not-suggested',
    },
    {
      name: 'a statin with coronary disease on the list does not',
      id: 'hyperlipidemia',
      record: rec({
        medicationRequests: [med('Simvastatin 20 MG Oral Tablet')],
        conditions: [condition('53741008')],
      }),
      expected: 'not-suggested',
    },
    // CKD
    {
      name: 'a visit coded for CKD suggests CKD',
      id: 'ckd',
      record: rec({ encounters: [encounterFor('709044004')] }),
      expected: 'suggested',
    },
    // COPD
    {
      name: 'tiotropium and pulmonary rehabilitation suggest COPD',
      id: 'copd',
      record: rec({
        medicationRequests: [med('tiotropium 18 MCG Inhalation Capsule')],
        procedures: [procedure('15081005', 'Pulmonary rehabilitation')],
      }),
      expected: 'suggested',
    },
    {
      name: 'fluticasone/salmeterol with asthma on the list does not',
      id: 'copd',
      record: rec({
        medicationRequests: [
          med('Fluticasone propionate 0.25 MG/ACTUAT / salmeterol 0.05 MG/ACTUAT Dry Powder Inhaler'),
        ],
        conditions: [condition('195967001')],
      }),
      expected: 'not-suggested',
    },
    // Asthma
    {
      name: 'albuterol and an inhaled corticosteroid suggest asthma',
      id: 'asthma',
      record: rec(
        {
          medicationRequests: [
            med('200 ACTUAT Albuterol 0.09 MG/ACTUAT Metered Dose Inhaler'),
            med('120 ACTUAT Fluticasone propionate 0.044 MG/ACTUAT Metered Dose Inhaler'),
          ],
        },
        24,
      ),
      expected: 'suggested',
    },
    {
      name: 'albuterol and an inhaled corticosteroid with COPD on the list do not',
      id: 'asthma',
      record: rec({
        medicationRequests: [
          med('200 ACTUAT Albuterol 0.09 MG/ACTUAT Metered Dose Inhaler'),
          med('120 ACTUAT Fluticasone propionate 0.044 MG/ACTUAT Metered Dose Inhaler'),
        ],
        conditions: [condition('13645005')],
      }),
      expected: 'not-suggested',
    },
    // Anemia
    {
      name: 'iron with a visit coded for anemia suggests anemia',
      id: 'anemia',
      record: rec({
        medicationRequests: [med('ferrous sulfate 325 MG Oral Tablet')],
        encounters: [encounterFor('271737000')],
      }),
      expected: 'suggested',
    },
    {
      name: 'iron in pregnancy does not',
      id: 'anemia',
      record: rec(
        {
          medicationRequests: [med('ferrous sulfate 325 MG Oral Tablet')],
          conditions: [condition('77386006')],
        },
        30,
        'female',
      ),
      expected: 'not-suggested',
    },
    // Hypothyroidism, gout, osteoporosis, depression
    {
      name: 'levothyroxine suggests hypothyroidism even with a normal TSH',
      id: 'hypothyroidism',
      record: rec({
        medicationRequests: [med('levothyroxine sodium 0.1 MG Oral Tablet')],
        observations: [lab('3016-3', 2.1, 'm[IU]/L', 30)],
      }),
      expected: 'suggested',
    },
    {
      name: 'allopurinol suggests gout',
      id: 'gout',
      record: rec({ medicationRequests: [med('Allopurinol 100 MG Oral Tablet')] }),
      expected: 'suggested',
    },
    {
      name: 'allopurinol during cancer treatment does not',
      id: 'gout',
      record: rec({
        medicationRequests: [med('Allopurinol 100 MG Oral Tablet')],
        conditions: [condition('363346000')],
      }),
      expected: 'not-suggested',
    },
    {
      name: 'alendronate with a bone density scan suggests osteoporosis',
      id: 'osteoporosis',
      record: rec(
        {
          medicationRequests: [med('Alendronic acid 10 MG Oral Tablet')],
          procedures: [procedure('312681000', 'Bone density scan')],
        },
        68,
        'female',
      ),
      expected: 'suggested',
    },
    {
      name: 'sertraline with anxiety on the list does not suggest depression',
      id: 'depression',
      record: rec({
        medicationRequests: [med('Sertraline 100 MG Oral Tablet')],
        conditions: [condition('21897009')],
      }),
      expected: 'not-suggested',
    },
  ];
  it.each(cases)('$name', ({ id, record, expected }) => {
    const s = status(record, id);
    if (expected === 'suggested') expect(s).toBe('suggested');
    else expect(s).not.toBe('suggested');
  });

  it('names the confounder in the contribution and lowers the likelihood ratio', () => {
    const plain = hypothesis(rec({ medicationRequests: [med('Metformin 500 MG Oral Tablet')] }), 't2d');
    const confounded = hypothesis(
      rec({
        medicationRequests: [med('Metformin 500 MG Oral Tablet')],
        conditions: [condition('714628002')],
      }),
      't2d',
    );
    const lr = (h: typeof plain) => h?.contributions.find((c) => c.findingCode === 'rx-metformin');
    expect(lr(plain)?.likelihoodRatio).toBe(30);
    expect(lr(confounded)?.likelihoodRatio).toBe(1.5);
    expect(lr(confounded)?.label).toMatch(/also explained by prediabetes/i);
    expect(confounded?.posterior ?? 1).toBeLessThan(plain?.posterior ?? 0);
  });

  it('names an inferred condition as the confounder, and only one present when the drug began', () => {
    const statin = (h: ReturnType<typeof hypothesis>) =>
      h?.contributions.find((c) => c.findingCode === 'rx-statin');
    const withCoronaryDrugs = hypothesis(
      rec({
        medicationRequests: [
          med('Simvastatin 20 MG Oral Tablet'),
          med('Nitroglycerin 0.4 MG/ACTUAT Mucosal Spray'),
          med('Clopidogrel 75 MG Oral Tablet'),
        ],
      }),
      'hyperlipidemia',
    );
    expect(statin(withCoronaryDrugs)?.likelihoodRatio).toBe(4);
    expect(statin(withCoronaryDrugs)?.label).toMatch(/coronary.*inferred from the record/i);
    const coronaryLater = hypothesis(
      rec({
        medicationRequests: [
          med('Simvastatin 20 MG Oral Tablet', 'active', 10),
          med('Nitroglycerin 0.4 MG/ACTUAT Mucosal Spray', 'active', 2),
          med('Clopidogrel 75 MG Oral Tablet', 'active', 2),
        ],
      }),
      'hyperlipidemia',
    );
    expect(statin(coronaryLater)?.likelihoodRatio).toBe(100);
    expect(coronaryLater?.status).toBe('suggested');
  });

  it('counts past prescriptions with their dates and keeps every source', () => {
    const record = rec({
      medicationRequests: [
        med('Metformin 500 MG Oral Tablet', 'stopped', 6),
        med('Metformin 1000 MG Oral Tablet', 'stopped', 4),
      ],
    });
    const a = assess(record, NOW);
    const use = a.findings.find((f) => f.code === 'medication-use:metformin');
    expect(use?.label).toBe(
      `metformin in the past (${NOW.getUTCFullYear() - 6}-${NOW.getUTCFullYear() - 4})`,
    );
    expect(use?.sources.map((s) => s.reference).sort()).toEqual(
      record.medicationRequests.map((m) => `MedicationRequest/${m.id}`).sort(),
    );
    expect(a.hypotheses.find((h) => h.conditionId === 't2d')?.contributions[0]?.findingId).toBe(use?.id);
  });

  it('reads a reason given by reference to a Condition of the record', () => {
    const diabetes = condition('44054006', 'resolved');
    const request = {
      ...med('Acetaminophen 325 MG Oral Tablet'),
      reasonReference: [{ reference: diabetes.id }],
    };
    const a = assess(rec({ conditions: [diabetes], medicationRequests: [request] }), NOW);
    expect(a.findings.find((f) => f.code === 'reason:t2d')?.sources).toEqual([
      { reference: `MedicationRequest/${request.id}` },
    ]);
  });

  it('ignores cancelled and entered-in-error prescriptions and future procedures', () => {
    const cancelled = { ...med('Metformin 500 MG Oral Tablet'), status: 'cancelled' as const };
    const future = { ...procedure('415070008', 'PCI'), performedDateTime: '2099-01-01' };
    const a = assess(rec({ medicationRequests: [cancelled], procedures: [future] }), NOW);
    expect(
      a.findings.some((f) => f.code.startsWith('medication-use:') || f.code.startsWith('procedure:')),
    ).toBe(false);
  });
});

/** The first problem-list code of a condition id, as a Condition of the record (onset 2020). */
function confounderCondition(id: string) {
  if (id === 'pregnancy') return condition('77386006');
  const set = [...DIAGNOSTIC_CONDITION_CODES, ...CONTEXT_CONDITIONS].find((c) => c.id === id);
  const snomed = set?.snomed[0];
  if (snomed) return condition(snomed);
  return condition(set?.icd10[0] ?? id, 'active', 'icd10');
}

describe('every confounder of a prescription lowers what it says, only when on the record', () => {
  const cases = DIAGNOSTIC_KB.conditions.flatMap((c) =>
    c.evidence.flatMap((e) => {
      const rule = FINDING_DEFS.get(e.finding)?.rule;
      if (rule?.type !== 'medication') return [];
      const drug = DRUGS.find(
        (d) => rule.ingredients.includes(d.ingredient) || d.classes.some((k) => rule.classes.includes(k)),
      );
      return e.confounders.flatMap((k) =>
        k.conditionIds.map((confounder) => ({
          condition: c.id,
          finding: e.finding,
          drug: drug?.ingredient ?? '',
          confounder,
          lr: k.lrPositive,
        })),
      );
    }),
  );

  it('covers every confounder the knowledge base declares', () => {
    expect(cases.length).toBeGreaterThan(40);
    expect(cases.every((x) => x.drug)).toBe(true);
  });

  it.each(cases)(
    '$finding for $condition ($drug) falls to LR $lr with $confounder',
    ({ condition: id, finding, drug, confounder, lr }) => {
      const sex = confounder === 'pregnancy' || confounder === 'pcos' ? 'female' : 'male';
      const age = sex === 'female' ? 30 : 62;
      const prescription = med(`${drug} 10 MG Oral Tablet`);
      const contribution = (record: PatientRecord) =>
        hypothesis(record, id)?.contributions.find((x) => x.findingCode === finding);
      const alone = contribution(rec({ medicationRequests: [prescription] }, age, sex));
      expect(alone?.likelihoodRatio ?? 0).toBeGreaterThan(lr);
      const confounded = contribution(
        rec({ medicationRequests: [prescription], conditions: [confounderCondition(confounder)] }, age, sex),
      );
      expect(confounded?.likelihoodRatio ?? lr).toBeLessThanOrEqual(lr);
      if (confounded) expect(confounded.label).toMatch(/also explained by/);
    },
  );
});

describe('CKD: a normal defining test counts against it, the other route remaining', () => {
  const ckd = (record: PatientRecord) => posteriorsFor(record, NOW, DEFAULT_MODEL_SETTINGS).get('ckd') ?? 1;
  const egfr = lab('33914-3', 88, 'mL/min/{1.73_m2}', 30);
  const uacr = lab('14959-1', 8, 'mg/g', 30);

  it('a latest eGFR of 88 lowers it, a normal UACR as well lowers it further', () => {
    const none = ckd(rec({}));
    const eGfrOnly = ckd(rec({ observations: [egfr] }));
    const both = ckd(rec({ observations: [egfr, uacr] }));
    expect(none).toBeCloseTo(0.14, 2);
    expect(eGfrOnly).toBeLessThan(none);
    expect(both).toBeLessThan(eGfrOnly);
  });

  it('a low eGFR 4 months after another is still suggested whatever the UACR', () => {
    const record = rec({
      observations: [
        lab('33914-3', 48, 'mL/min/{1.73_m2}', 10),
        lab('33914-3', 51, 'mL/min/{1.73_m2}', 140),
        uacr,
      ],
    });
    expect(status(record, 'ckd')).toBe('suggested');
  });
});
