import type { MedicationRequest, PatientRecord, SafetyAlert, Score } from '@rationale/shared-types';
import { emptyRecord, safetyAlertSchema } from '@rationale/shared-types';
import { buildFacts, score, type FactsSpec } from '../recommendations/test-facts';
import { checkOrderSafety } from './index';

const RX = 'http://www.nlm.nih.gov/research/umls/rxnorm';

function draft(
  id: string,
  text: string,
  dose?: { value: number; unit?: string; perDay: number },
): MedicationRequest {
  return {
    resourceType: 'MedicationRequest',
    id,
    status: 'draft',
    intent: 'order',
    subject: { reference: 'Patient/p1' },
    medicationCodeableConcept: { text },
    ...(dose
      ? {
          dosageInstruction: [
            {
              timing: { repeat: { frequency: dose.perDay, period: 1, periodUnit: 'd' } },
              doseAndRate: [{ doseQuantity: { value: dose.value, unit: dose.unit ?? 'mg' } }],
            },
          ],
        }
      : {}),
  };
}

function record(drafts: MedicationRequest[], selections: string[] = []): PatientRecord {
  return { ...emptyRecord({ resourceType: 'Patient', id: 'p1' }), draftOrders: drafts, selections };
}

interface Case {
  name: string;
  spec: FactsSpec;
  drafts: MedicationRequest[];
  scores?: Score[];
  selections?: string[];
  fires?: string;
  absent?: string;
  check?: (a: SafetyAlert) => void;
}

const CASES: Case[] = [
  // Allergy
  {
    name: 'penicillin allergy + amoxicillin: high, class match',
    spec: { allergies: [{ text: 'Penicillin V', criticality: 'high' }] },
    drafts: [draft('d1', 'amoxicillin 500 MG Oral Capsule')],
    fires: 'allergy-class-penicillin',
    check: (a) => {
      expect(a.severity).toBe('high');
      expect(a.contraindicated).toBe(true);
      expect(a.order.reference).toBe('MedicationRequest/d1');
    },
  },
  {
    name: 'direct ingredient allergy to lisinopril',
    spec: { allergies: [{ text: 'lisinopril' }] },
    drafts: [draft('d1', 'lisinopril 10 MG')],
    fires: 'allergy-ingredient',
    check: (a) => expect(a.contraindicated).toBe(true),
  },
  {
    name: 'high-criticality penicillin allergy + cephalexin: low-severity nuance, not contraindicated',
    spec: { allergies: [{ text: 'penicillin', criticality: 'high' }] },
    drafts: [draft('d1', 'cephalexin 500 MG')],
    fires: 'allergy-penicillin-cephalosporin',
    check: (a) => {
      expect(a.severity).toBe('low');
      expect(a.contraindicated).toBe(false);
      expect(a.citationIds).toContain('aaaai-acaai-2022-drug-allergy');
    },
  },
  {
    name: 'low-criticality penicillin allergy + cefazolin: no alert',
    spec: { allergies: [{ text: 'penicillin', criticality: 'low' }] },
    drafts: [draft('d1', 'cefazolin 1 G')],
    absent: 'allergy-penicillin-cephalosporin',
  },
  {
    name: 'penicillin allergy + meropenem: no alert',
    spec: { allergies: [{ text: 'penicillin', criticality: 'high' }] },
    drafts: [draft('d1', 'meropenem 1 G')],
    absent: 'allergy-penicillin-carbapenem',
  },
  {
    name: 'sulfa antibiotic allergy + furosemide: no cross-reactivity alert',
    spec: { allergies: [{ text: 'Sulfa drugs', criticality: 'high' }] },
    drafts: [draft('d1', 'furosemide 40 MG')],
    absent: 'allergy-sulfonamide-nonantibiotic',
  },
  {
    name: 'sulfa antibiotic allergy + sulfamethoxazole/trimethoprim: alert',
    spec: { allergies: [{ text: 'Sulfa drugs' }] },
    drafts: [draft('d1', 'sulfamethoxazole 800 MG / trimethoprim 160 MG')],
    fires: 'allergy-class-sulfonamide-antibiotic',
  },

  // Renal
  {
    name: 'metformin with eGFR 25: contraindicated, linagliptin alternative',
    spec: { labs: { egfr: 25 } },
    drafts: [draft('d1', 'metformin 500 MG Oral Tablet')],
    fires: 'renal-metformin-egfr-30',
    check: (a) => {
      expect(a.contraindicated).toBe(true);
      expect(a.alternative?.code).toMatchObject({ system: RX, code: '1100699' });
      expect(a.detail).toContain('eGFR 25');
    },
  },
  {
    name: 'new metformin with eGFR 40: do not start (moderate)',
    spec: { labs: { egfr: 40 } },
    drafts: [draft('d1', 'metformin 500 MG')],
    fires: 'renal-metformin-egfr-45',
    check: (a) => expect(a.severity).toBe('moderate'),
  },
  {
    name: 'metformin renewal with eGFR 40 in a patient already on it: no do-not-start alert',
    spec: { labs: { egfr: 40 }, meds: ['metformin 500 MG'] },
    drafts: [draft('d1', 'metformin 500 MG')],
    absent: 'renal-metformin-egfr-45',
  },
  {
    name: 'metformin with eGFR 70: no renal alert',
    spec: { labs: { egfr: 70 } },
    drafts: [draft('d1', 'metformin 500 MG')],
    absent: 'renal-metformin-egfr-30',
  },
  {
    name: 'ibuprofen with CrCl 22: avoid, acetaminophen alternative',
    spec: { labs: { egfr: 24 } },
    scores: [score('crcl-cockcroft-gault', 22)],
    drafts: [draft('d1', 'ibuprofen 400 MG')],
    fires: 'renal-nsaid-crcl-30',
    check: (a) => expect(a.alternative?.code.code).toBe('161'),
  },
  {
    name: 'nitrofurantoin with CrCl 25: avoid (Beers)',
    spec: {},
    scores: [score('crcl-cockcroft-gault', 25)],
    drafts: [draft('d1', 'nitrofurantoin 100 MG')],
    fires: 'renal-nitrofurantoin-crcl-30',
    check: (a) => expect(a.citationIds).toContain('ags-2023-beers'),
  },
  {
    name: 'nitrofurantoin with CrCl 70: no alert',
    spec: {},
    scores: [score('crcl-cockcroft-gault', 70)],
    drafts: [draft('d1', 'nitrofurantoin 100 MG')],
    absent: 'renal-nitrofurantoin-crcl-30',
  },
  {
    name: 'spironolactone with eGFR 25',
    spec: { labs: { egfr: 25 } },
    drafts: [draft('d1', 'spironolactone 25 MG')],
    fires: 'renal-mra-egfr-30',
  },
  {
    name: 'gabapentin 2400 mg/day with CrCl 40: above the 1400 mg label maximum',
    spec: {},
    scores: [score('crcl-cockcroft-gault', 40)],
    drafts: [draft('d1', 'gabapentin 800 MG Oral Tablet', { value: 800, perDay: 3 })],
    fires: 'renal-gabapentin-dose',
    check: (a) => expect(a.title).toContain('1400'),
  },
  {
    name: 'gabapentin 900 mg/day with CrCl 40: within the band',
    spec: {},
    scores: [score('crcl-cockcroft-gault', 40)],
    drafts: [draft('d1', 'gabapentin 300 MG', { value: 300, perDay: 3 })],
    absent: 'renal-gabapentin-dose',
  },
  {
    name: 'AF: rivaroxaban 20 mg with CrCl 40 exceeds the 15 mg renal dose',
    spec: { conditions: ['af'] },
    scores: [score('crcl-cockcroft-gault', 40)],
    drafts: [draft('d1', 'rivaroxaban 20 MG Oral Tablet', { value: 20, perDay: 1 })],
    fires: 'renal-rivaroxaban-af-dose',
    check: (a) => expect(a.alternative?.code.code).toBe('1232082'),
  },
  {
    name: 'AF: apixaban 5 mg twice daily at age 85 and creatinine 1.6: reduce to 2.5 mg',
    spec: { age: 85, conditions: ['af'], labs: { creatinine: 1.6, weight: 70 } },
    drafts: [draft('d1', 'apixaban 5 MG Oral Tablet', { value: 5, perDay: 2 })],
    fires: 'af-apixaban-dose',
    check: (a) => expect(a.alternative?.code.code).toBe('1364435'),
  },
  {
    name: 'AF: apixaban 5 mg twice daily at age 70: no dose alert',
    spec: { age: 70, conditions: ['af'], labs: { creatinine: 1.0, weight: 70 } },
    drafts: [draft('d1', 'apixaban 5 MG', { value: 5, perDay: 2 })],
    absent: 'af-apixaban-dose',
  },

  // Drug-drug
  {
    name: 'warfarin active + ibuprofen draft: high, acetaminophen alternative',
    spec: { meds: ['warfarin sodium 5 MG'] },
    drafts: [draft('d1', 'ibuprofen 400 MG')],
    fires: 'ddi-warfarin-nsaid',
    check: (a) => {
      expect(a.severity).toBe('high');
      expect(a.alternative?.code.code).toBe('161');
      expect(a.findingIds).toEqual(['med-0']);
    },
  },
  {
    name: 'warfarin draft + active naproxen: alert on the warfarin order without the NSAID alternative',
    spec: { meds: ['naproxen 500 MG'] },
    drafts: [draft('d1', 'warfarin 5 MG')],
    fires: 'ddi-warfarin-nsaid',
    check: (a) => expect(a.alternative).toBeUndefined(),
  },
  {
    name: 'warfarin + fluconazole',
    spec: { meds: ['warfarin 5 MG'] },
    drafts: [draft('d1', 'fluconazole 150 MG')],
    fires: 'ddi-warfarin-potentiator',
  },
  {
    name: 'clopidogrel + omeprazole (moderate), pantoprazole alternative',
    spec: { meds: ['clopidogrel 75 MG'] },
    drafts: [draft('d1', 'omeprazole 20 MG')],
    fires: 'ddi-clopidogrel-ppi',
    check: (a) => {
      expect(a.severity).toBe('moderate');
      expect(a.alternative?.code.code).toBe('40790');
    },
  },
  {
    name: 'clopidogrel + pantoprazole: no alert',
    spec: { meds: ['clopidogrel 75 MG'] },
    drafts: [draft('d1', 'pantoprazole 40 MG')],
    absent: 'ddi-clopidogrel-ppi',
  },
  {
    name: 'simvastatin + clarithromycin: contraindicated, azithromycin alternative',
    spec: { meds: ['simvastatin 20 MG'] },
    drafts: [draft('d1', 'clarithromycin 500 MG')],
    fires: 'ddi-statin-strong-cyp3a4',
    check: (a) => {
      expect(a.contraindicated).toBe(true);
      expect(a.alternative?.code.code).toBe('18631');
    },
  },
  {
    name: 'simvastatin draft with clarithromycin active: pravastatin alternative',
    spec: { meds: ['clarithromycin 500 MG'] },
    drafts: [draft('d1', 'simvastatin 20 MG')],
    fires: 'ddi-statin-strong-cyp3a4',
    check: (a) => expect(a.alternative?.code.code).toBe('904475'),
  },
  {
    name: 'atorvastatin + azithromycin: no CYP3A4 contraindication',
    spec: { meds: ['atorvastatin 40 MG'] },
    drafts: [draft('d1', 'azithromycin 250 MG')],
    absent: 'ddi-statin-strong-cyp3a4',
  },
  {
    name: 'lisinopril + spironolactone: hyperkalemia (moderate)',
    spec: { meds: ['lisinopril 10 MG'] },
    drafts: [draft('d1', 'spironolactone 25 MG')],
    fires: 'ddi-raas-potassium-sparing',
  },
  {
    name: 'spironolactone + potassium chloride: high',
    spec: { meds: ['spironolactone 25 MG'] },
    drafts: [draft('d1', 'potassium chloride 20 MEQ')],
    fires: 'ddi-potassium-sparing-potassium',
  },
  {
    name: 'oxycodone + alprazolam: boxed warning',
    spec: { meds: ['alprazolam 0.5 MG'] },
    drafts: [draft('d1', 'oxycodone 5 MG')],
    fires: 'ddi-opioid-benzodiazepine',
    check: (a) => expect(a.citationIds).toContain('fda-2016-opioid-benzodiazepine'),
  },
  {
    name: 'methotrexate + trimethoprim/sulfamethoxazole',
    spec: { meds: ['methotrexate 2.5 MG'] },
    drafts: [draft('d1', 'sulfamethoxazole 800 MG / trimethoprim 160 MG')],
    fires: 'ddi-methotrexate-trimethoprim',
  },
  {
    name: 'lithium + ibuprofen',
    spec: { meds: ['lithium carbonate 300 MG'] },
    drafts: [draft('d1', 'ibuprofen 400 MG')],
    fires: 'ddi-lithium-nsaid',
  },
  {
    name: 'lithium + lisinopril',
    spec: { meds: ['lithium carbonate 300 MG'] },
    drafts: [draft('d1', 'lisinopril 10 MG')],
    fires: 'ddi-lithium-raas',
  },
  {
    name: 'sildenafil + isosorbide mononitrate: contraindicated',
    spec: { meds: ['isosorbide mononitrate 30 MG'] },
    drafts: [draft('d1', 'sildenafil 50 MG')],
    fires: 'ddi-pde5-nitrate',
    check: (a) => expect(a.contraindicated).toBe(true),
  },
  {
    name: 'colchicine + clarithromycin with eGFR 45: contraindicated',
    spec: { meds: ['colchicine 0.6 MG'], labs: { egfr: 45 } },
    drafts: [draft('d1', 'clarithromycin 500 MG')],
    fires: 'ddi-colchicine-strong-cyp3a4-renal',
  },
  {
    name: 'colchicine + clarithromycin with eGFR 90: no renal-impairment interaction',
    spec: { meds: ['colchicine 0.6 MG'], labs: { egfr: 90 } },
    drafts: [draft('d1', 'clarithromycin 500 MG')],
    absent: 'ddi-colchicine-strong-cyp3a4-renal',
  },
  {
    name: 'apixaban + rifampin',
    spec: { meds: ['apixaban 5 MG'] },
    drafts: [draft('d1', 'rifampin 300 MG')],
    fires: 'ddi-doac-strong-inducer',
  },
  {
    name: 'amiodarone + warfarin',
    spec: { meds: ['warfarin 5 MG'] },
    drafts: [draft('d1', 'amiodarone 200 MG')],
    fires: 'ddi-amiodarone-warfarin',
  },
  {
    name: 'amiodarone + digoxin',
    spec: { meds: ['digoxin 0.125 MG'] },
    drafts: [draft('d1', 'amiodarone 200 MG')],
    fires: 'ddi-amiodarone-digoxin',
  },
  {
    name: 'sacubitril/valsartan + lisinopril: contraindicated',
    spec: { meds: ['lisinopril 10 MG'] },
    drafts: [draft('d1', 'sacubitril 24 MG / valsartan 26 MG Oral Tablet')],
    fires: 'ddi-arni-acei',
    check: (a) => expect(a.contraindicated).toBe(true),
  },
  {
    name: 'citalopram + ondansetron: QT pair',
    spec: { meds: ['citalopram 20 MG'] },
    drafts: [draft('d1', 'ondansetron 4 MG')],
    fires: 'ddi-qt-known-risk',
  },

  // Drug-condition
  {
    name: 'NSAID in HFrEF: contraindicated (3: Harm)',
    spec: { conditions: ['hfref'] },
    drafts: [draft('d1', 'naproxen 500 MG')],
    fires: 'cond-nsaid-hfref',
    check: (a) => expect(a.contraindicated).toBe(true),
  },
  {
    name: 'NSAID in CKD: moderate',
    spec: { conditions: ['ckd'] },
    drafts: [draft('d1', 'ibuprofen 400 MG')],
    fires: 'cond-nsaid-ckd',
  },
  {
    name: 'diltiazem in HFrEF, amlodipine alternative',
    spec: { conditions: ['hfref'] },
    drafts: [draft('d1', 'diltiazem 120 MG')],
    fires: 'cond-non-dhp-ccb-hfref',
    check: (a) => expect(a.alternative?.code.code).toBe('17767'),
  },
  {
    name: 'pioglitazone in HFrEF',
    spec: { conditions: ['hfref'] },
    drafts: [draft('d1', 'pioglitazone 15 MG')],
    fires: 'cond-tzd-hf',
  },
  {
    name: 'propranolol in asthma: contraindicated, bisoprolol alternative',
    spec: { conditions: ['asthma'] },
    drafts: [draft('d1', 'propranolol 40 MG')],
    fires: 'cond-nonselective-beta-blocker-asthma',
    check: (a) => expect(a.alternative?.code.code).toBe('19484'),
  },
  {
    name: 'metoprolol in asthma: low caution only',
    spec: { conditions: ['asthma'] },
    drafts: [draft('d1', 'metoprolol tartrate 25 MG')],
    fires: 'cond-cardioselective-beta-blocker-asthma',
    check: (a) => expect(a.severity).toBe('low'),
  },
  {
    name: 'apixaban with a mechanical valve: contraindicated, warfarin alternative',
    spec: { conditions: ['mechanical-valve'] },
    drafts: [draft('d1', 'apixaban 5 MG')],
    fires: 'cond-doac-mechanical-valve',
  },
  {
    name: 'naproxen without HF or CKD: no condition alert',
    spec: {},
    drafts: [draft('d1', 'naproxen 500 MG')],
    absent: 'cond-nsaid-hfref',
  },

  // Duplicates
  {
    name: 'lisinopril + losartan: dual RAAS blockade',
    spec: { meds: ['lisinopril 10 MG'] },
    drafts: [draft('d1', 'losartan 50 MG')],
    fires: 'dup-raas-dual',
    check: (a) => expect(a.severity).toBe('high'),
  },
  {
    name: 'two statins',
    spec: { meds: ['simvastatin 20 MG'] },
    drafts: [draft('d1', 'atorvastatin 40 MG')],
    fires: 'dup-statin',
  },
  {
    name: 'two DOACs (warfarin active + apixaban draft)',
    spec: { meds: ['warfarin 5 MG'] },
    drafts: [draft('d1', 'apixaban 5 MG')],
    fires: 'dup-oral-anticoagulant',
  },
  {
    name: 'renewal of the same statin is not a duplicate',
    spec: { meds: ['atorvastatin 40 MG'] },
    drafts: [draft('d1', 'atorvastatin 40 MG')],
    absent: 'dup-statin',
  },
  {
    name: 'ARNI + ACE inhibitor reported once, as the contraindicated interaction, not also as a duplicate',
    spec: { meds: ['lisinopril 10 MG'] },
    drafts: [draft('d1', 'sacubitril 24 MG / valsartan 26 MG')],
    absent: 'dup-raas-dual',
  },

  // Pregnancy
  {
    name: 'lisinopril in pregnancy: contraindicated, labetalol alternative',
    spec: { sex: 'female', pregnant: true },
    drafts: [draft('d1', 'lisinopril 10 MG')],
    fires: 'preg-raas-inhibitor',
    check: (a) => {
      expect(a.contraindicated).toBe(true);
      expect(a.alternative?.code.code).toBe('6185');
      expect(a.findingIds).toEqual(['pregnancy']);
    },
  },
  {
    name: 'isotretinoin in pregnancy',
    spec: { sex: 'female', pregnant: true },
    drafts: [draft('d1', 'isotretinoin 20 MG')],
    fires: 'preg-isotretinoin',
  },
  {
    name: 'valproate in pregnancy',
    spec: { sex: 'female', pregnant: true },
    drafts: [draft('d1', 'divalproex 500 MG')],
    fires: 'preg-valproate',
  },
  {
    name: 'methotrexate in pregnancy',
    spec: { sex: 'female', pregnant: true },
    drafts: [draft('d1', 'methotrexate 2.5 MG')],
    fires: 'preg-methotrexate',
  },
  {
    name: 'statin in pregnancy: moderate, not contraindicated',
    spec: { sex: 'female', pregnant: true },
    drafts: [draft('d1', 'atorvastatin 20 MG')],
    fires: 'preg-statin',
    check: (a) => {
      expect(a.contraindicated).toBe(false);
      expect(a.severity).toBe('moderate');
    },
  },
  {
    name: 'warfarin in pregnancy with a mechanical valve: not contraindicated',
    spec: { sex: 'female', pregnant: true, conditions: ['mechanical-valve'] },
    drafts: [draft('d1', 'warfarin 5 MG')],
    fires: 'preg-warfarin',
    check: (a) => expect(a.contraindicated).toBe(false),
  },
  {
    name: 'lisinopril when not pregnant: no pregnancy alert',
    spec: { sex: 'female' },
    drafts: [draft('d1', 'lisinopril 10 MG')],
    absent: 'preg-raas-inhibitor',
  },

  // Dose limits
  {
    name: 'acetaminophen 1000 mg 5 times a day exceeds 4 g',
    spec: {},
    drafts: [draft('d1', 'acetaminophen 500 MG', { value: 1000, perDay: 5 })],
    fires: 'dose-acetaminophen-max',
  },
  {
    name: 'citalopram 40 mg at age 72 exceeds 20 mg',
    spec: { age: 72 },
    drafts: [draft('d1', 'citalopram 40 MG', { value: 40, perDay: 1 })],
    fires: 'dose-citalopram-max',
    check: (a) => expect(a.title).toContain('20 mg/day'),
  },
  {
    name: 'citalopram 40 mg at age 40 is within the limit',
    spec: { age: 40 },
    drafts: [draft('d1', 'citalopram 40 MG', { value: 40, perDay: 1 })],
    absent: 'dose-citalopram-max',
  },
  {
    name: 'dose in tablets uses the strength in the text (simvastatin 80 MG × 1)',
    spec: {},
    drafts: [draft('d1', 'simvastatin 80 MG Oral Tablet', { value: 1, unit: 'tablet', perDay: 1 })],
    fires: 'dose-simvastatin-max',
  },
];

describe('checkOrderSafety', () => {
  it.each(CASES)('$name', (c) => {
    const alerts = checkOrderSafety(buildFacts(c.spec), record(c.drafts, c.selections), c.scores ?? []);
    for (const a of alerts) safetyAlertSchema.parse(a);
    if (c.fires) {
      const a = alerts.find((x) => x.ruleId === c.fires);
      expect(a).toBeDefined();
      if (a && c.check) c.check(a);
    }
    if (c.absent) expect(alerts.map((a) => a.ruleId)).not.toContain(c.absent);
  });

  it('resolves a medicationReference to a Medication in the record', () => {
    const r = record([
      {
        resourceType: 'MedicationRequest',
        id: 'd9',
        status: 'draft',
        intent: 'order',
        subject: { reference: 'Patient/p1' },
        medicationReference: { reference: 'Medication/m1' },
      },
    ]);
    r.medications = [
      {
        resourceType: 'Medication',
        id: 'm1',
        code: { coding: [{ system: RX, code: '1364445', display: 'apixaban 5 MG Oral Tablet' }] },
      },
    ];
    const alerts = checkOrderSafety(buildFacts({ meds: ['warfarin 5 MG'] }), r, []);
    expect(alerts.map((a) => a.ruleId)).toContain('dup-oral-anticoagulant');
    expect(alerts[0]?.order.code?.code).toBe('1364445');
  });

  it('checks only the selected drafts at order-select, counting the others as co-medications', () => {
    const drafts = [draft('a', 'warfarin 5 MG'), draft('b', 'ibuprofen 400 MG')];
    const alerts = checkOrderSafety(buildFacts({}), record(drafts, ['MedicationRequest/b']), []);
    expect(alerts.map((a) => a.order.reference)).toEqual(['MedicationRequest/b']);
    expect(alerts.map((a) => a.ruleId)).toContain('ddi-warfarin-nsaid');
  });

  it('reports an interaction between two drafts once', () => {
    const alerts = checkOrderSafety(
      buildFacts({}),
      record([draft('a', 'warfarin 5 MG'), draft('b', 'ibuprofen 400 MG')]),
      [],
    );
    expect(alerts.filter((a) => a.ruleId === 'ddi-warfarin-nsaid')).toHaveLength(1);
  });

  it('is deterministic and sorted by severity', () => {
    const spec: FactsSpec = {
      age: 70,
      pregnant: false,
      conditions: ['hfref', 'ckd'],
      labs: { egfr: 25 },
      meds: ['warfarin 5 MG', 'lisinopril 10 MG'],
      allergies: [{ text: 'penicillin', criticality: 'high' }],
    };
    const drafts = [
      draft('x', 'ibuprofen 400 MG'),
      draft('y', 'metformin 500 MG'),
      draft('z', 'losartan 50 MG'),
      draft('w', 'cephalexin 500 MG'),
    ];
    const a = checkOrderSafety(buildFacts(spec), record(drafts), []);
    const b = checkOrderSafety(buildFacts(spec), record(drafts), []);
    expect(a).toEqual(b);
    expect(new Set(a.map((x) => x.id)).size).toBe(a.length);
    const rank = { high: 0, moderate: 1, low: 2 };
    const ranks = a.map((x) => rank[x.severity]);
    expect(ranks).toEqual([...ranks].sort((p, q) => p - q));
    expect(a.length).toBeGreaterThanOrEqual(6);
  });

  it('returns nothing without drafts or for a drug outside the table', () => {
    expect(checkOrderSafety(buildFacts({ meds: ['warfarin 5 MG'] }), record([]), [])).toEqual([]);
    expect(
      checkOrderSafety(buildFacts({ meds: ['warfarin 5 MG'] }), record([draft('d', 'unobtainium 5 MG')]), []),
    ).toEqual([]);
  });
});
