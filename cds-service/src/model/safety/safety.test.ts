import type { MedicationRequest, PatientRecord, SafetyAlert, Score } from '@rationale/shared-types';
import { emptyRecord, safetyAlertSchema } from '@rationale/shared-types';
import {
  DRUG_INTERACTIONS,
  HYPERKALEMIA_RULES,
  RENAL_DOSE_BANDS,
  RENAL_RULES,
} from '../knowledge/treatment/safety-tables';
import { buildFacts, type FactsSpec } from '../recommendations/test-facts';
import { checkOrderSafety, renalNotCurrentAlert, type Measure } from './index';

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
      // One unit style: the finding labels' "mL/min/1.73m²", in the rule's text and the patient's value.
      expect(a.detail).toContain('below 30 mL/min/1.73m² (lactic acidosis)');
      expect(a.detail).toMatch(/Patient: eGFR 25 mL\/min\/1\.73m² \(/);
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
    // Cockcroft-Gault CrCl 22 mL/min (male, 70 years).
    spec: { age: 70, sex: 'male', labs: { egfr: 24, creatinine: 2.6, weight: 60 } },
    drafts: [draft('d1', 'ibuprofen 400 MG')],
    fires: 'renal-nsaid-crcl-30',
    check: (a) => expect(a.alternative?.code.code).toBe('161'),
  },
  {
    name: 'nitrofurantoin with CrCl 25: avoid (Beers)',
    // Cockcroft-Gault CrCl 25 mL/min (male, 70 years).
    spec: { age: 70, sex: 'male', labs: { creatinine: 2.3, weight: 60 } },
    drafts: [draft('d1', 'nitrofurantoin 100 MG')],
    fires: 'renal-nitrofurantoin-crcl-30',
    check: (a) => expect(a.citationIds).toContain('ags-2023-beers'),
  },
  {
    name: 'nitrofurantoin with CrCl 70: no alert',
    // Cockcroft-Gault CrCl 70 mL/min (male, 70 years).
    spec: { age: 70, sex: 'male', labs: { creatinine: 1.1, weight: 80 } },
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
    // Cockcroft-Gault CrCl 40 mL/min (male, 70 years).
    spec: { age: 70, sex: 'male', labs: { creatinine: 1.45, weight: 60 } },
    drafts: [draft('d1', 'gabapentin 800 MG Oral Tablet', { value: 800, perDay: 3 })],
    fires: 'renal-gabapentin-dose',
    check: (a) => expect(a.title).toContain('1400'),
  },
  {
    name: 'gabapentin 900 mg/day with CrCl 40: within the band',
    // Cockcroft-Gault CrCl 40 mL/min (male, 70 years).
    spec: { age: 70, sex: 'male', labs: { creatinine: 1.45, weight: 60 } },
    drafts: [draft('d1', 'gabapentin 300 MG', { value: 300, perDay: 3 })],
    absent: 'renal-gabapentin-dose',
  },
  {
    name: 'AF: rivaroxaban 20 mg with CrCl 40 exceeds the 15 mg renal dose',
    // Cockcroft-Gault CrCl 40 mL/min (male, 70 years).
    spec: { age: 70, sex: 'male', conditions: ['af'], labs: { creatinine: 1.45, weight: 60 } },
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

/**
 * Fresh data wins (issue 13): each kidney-function, dose and potassium check treats a value older
 * than its declared look-back as missing. The same record with the value current gives the
 * check's own alert; with the value past the look-back, an alert that the value is not current,
 * naming it, and never the contraindication or the dose.
 */
interface StaleCase {
  /** The check (rule id) whose look-back is exercised. */
  check: string;
  name: string;
  drafts: MedicationRequest[];
  /** The record with the deciding value measured `daysAgo` days before now. */
  spec: (daysAgo: number) => FactsSpec;
  /** The not-current alert's rule id. */
  notCurrent: string;
  /** The set-aside value's label and look-back. */
  stale: { label: string; lookBackMonths?: number; lookBackDays?: number };
  /** Days that are within the look-back, and past it. */
  current?: number;
  old?: number;
}

const at = (value: number, daysAgo: number) => ({ value, daysAgo });
// Cockcroft-Gault, male aged 70: (140 - 70) x weight / (72 x creatinine).
const male70 = (labs: FactsSpec['labs'], extra: FactsSpec = {}): FactsSpec => ({
  age: 70,
  sex: 'male',
  labs,
  ...extra,
});
const EGFR_STALE = { label: 'eGFR', lookBackMonths: 12 };
const CREATININE_CRCL = { label: 'creatinine (for CrCl)', lookBackMonths: 12 };

const STALE_CASES: StaleCase[] = [
  {
    check: 'renal-metformin-egfr-30',
    name: 'metformin with eGFR 25',
    drafts: [draft('d1', 'metformin 500 MG')],
    spec: (d) => ({ labs: { egfr: at(25, d) } }),
    notCurrent: 'renal-function-not-current',
    stale: EGFR_STALE,
  },
  {
    check: 'renal-metformin-egfr-45',
    name: 'metformin with eGFR 40',
    drafts: [draft('d1', 'metformin 500 MG')],
    spec: (d) => ({ labs: { egfr: at(40, d) } }),
    notCurrent: 'renal-function-not-current',
    stale: EGFR_STALE,
  },
  {
    check: 'renal-nsaid-crcl-30',
    name: 'ibuprofen with CrCl 25 (the creatinine dated)',
    drafts: [draft('d1', 'ibuprofen 400 MG')],
    spec: (d) => male70({ creatinine: at(2.3, d), weight: 60 }),
    notCurrent: 'renal-function-not-current',
    stale: CREATININE_CRCL,
  },
  {
    check: 'renal-nitrofurantoin-crcl-30',
    name: 'nitrofurantoin with CrCl 25 (the weight dated)',
    drafts: [draft('d1', 'nitrofurantoin 100 MG')],
    spec: (d) => male70({ creatinine: 2.3, weight: at(60, d) }),
    notCurrent: 'renal-function-not-current',
    stale: { label: 'weight (for CrCl)', lookBackMonths: 12 },
  },
  {
    check: 'renal-mra-egfr-30',
    name: 'spironolactone with eGFR 25',
    drafts: [draft('d1', 'spironolactone 25 MG')],
    spec: (d) => ({ labs: { egfr: at(25, d) } }),
    notCurrent: 'renal-function-not-current',
    stale: EGFR_STALE,
  },
  {
    check: 'renal-sglt2i-egfr-20',
    name: 'empagliflozin with eGFR 15',
    drafts: [draft('d1', 'empagliflozin 10 MG Oral Tablet')],
    spec: (d) => ({ labs: { egfr: at(15, d) } }),
    notCurrent: 'renal-function-not-current',
    stale: EGFR_STALE,
  },
  {
    check: 'renal-dabigatran-crcl-15',
    name: 'dabigatran with CrCl 12',
    drafts: [draft('d1', 'dabigatran etexilate 150 MG Oral Capsule')],
    spec: (d) => male70({ creatinine: at(5, d), weight: 60 }),
    notCurrent: 'renal-function-not-current',
    stale: CREATININE_CRCL,
  },
  {
    check: 'renal-edoxaban-crcl-95',
    name: 'edoxaban with CrCl 130',
    drafts: [draft('d1', 'edoxaban 60 MG Oral Tablet')],
    spec: (d) => male70({ creatinine: at(0.6, d), weight: 80 }),
    notCurrent: 'renal-function-not-current',
    stale: CREATININE_CRCL,
  },
  {
    check: 'renal-gabapentin-dose',
    name: 'gabapentin 2400 mg/day with CrCl 40',
    drafts: [draft('d1', 'gabapentin 800 MG Oral Tablet', { value: 800, perDay: 3 })],
    spec: (d) => male70({ creatinine: at(1.45, d), weight: 60 }),
    notCurrent: 'renal-function-not-current',
    stale: CREATININE_CRCL,
  },
  {
    check: 'renal-rivaroxaban-af-dose',
    name: 'AF: rivaroxaban 20 mg with CrCl 40',
    drafts: [draft('d1', 'rivaroxaban 20 MG Oral Tablet', { value: 20, perDay: 1 })],
    spec: (d) => male70({ creatinine: at(1.45, d), weight: 60 }, { conditions: ['af'] }),
    notCurrent: 'renal-function-not-current',
    stale: CREATININE_CRCL,
  },
  {
    check: 'renal-dabigatran-dose',
    name: 'dabigatran 150 mg twice daily with CrCl 25',
    drafts: [draft('d1', 'dabigatran etexilate 150 MG Oral Capsule', { value: 150, perDay: 2 })],
    spec: (d) => male70({ creatinine: at(2.3, d), weight: 60 }),
    notCurrent: 'renal-function-not-current',
    stale: CREATININE_CRCL,
  },
  {
    check: 'ddi-colchicine-strong-cyp3a4-renal',
    name: 'clarithromycin with colchicine and eGFR 45 (no CKD recorded)',
    drafts: [draft('d1', 'clarithromycin 500 MG')],
    spec: (d) => ({ meds: ['colchicine 0.6 MG'], labs: { egfr: at(45, d) } }),
    notCurrent: 'renal-function-not-current',
    stale: EGFR_STALE,
  },
  {
    check: 'potassium-sparing-hyperkalemia',
    name: 'spironolactone with potassium 5.9',
    drafts: [draft('d1', 'spironolactone 25 MG')],
    spec: (d) => ({ labs: { potassium: at(5.9, d), egfr: 70 } }),
    notCurrent: 'potassium-not-current',
    stale: { label: 'potassium', lookBackDays: 90 },
    current: 30,
    old: 120,
  },
  {
    check: 'raas-hyperkalemia',
    name: 'lisinopril with potassium 5.6',
    drafts: [draft('d1', 'lisinopril 10 MG')],
    spec: (d) => ({ labs: { potassium: at(5.6, d) } }),
    notCurrent: 'potassium-not-current',
    stale: { label: 'potassium', lookBackDays: 90 },
    current: 30,
    old: 120,
  },
  {
    check: 'af-apixaban-dose',
    name: 'AF: apixaban 5 mg twice daily at age 85 with creatinine 1.6',
    drafts: [draft('d1', 'apixaban 5 MG Oral Tablet', { value: 5, perDay: 2 })],
    spec: (d) => ({ age: 85, conditions: ['af'], labs: { creatinine: at(1.6, d), weight: 70 } }),
    notCurrent: 'dose-criteria-not-current',
    stale: { label: 'creatinine', lookBackMonths: 12 },
  },
];

describe('checkOrderSafety: a value older than the check look-back is treated as missing', () => {
  it('every renal, renal-dose, renal-interaction and potassium check has a case here', () => {
    const checks = [
      ...RENAL_RULES.map((r) => r.id),
      ...RENAL_DOSE_BANDS.map((b) => b.id),
      ...DRUG_INTERACTIONS.filter((r) => r.requiresRenalImpairmentBelow).map((r) => r.id),
      ...HYPERKALEMIA_RULES.map((r) => r.id),
    ];
    expect(STALE_CASES.map((c) => c.check)).toEqual(expect.arrayContaining(checks));
  });

  it.each(STALE_CASES)('$check: $name, current then past its look-back', (c) => {
    const alertsAt = (days: number) =>
      checkOrderSafety(buildFacts(c.spec(days)), record(c.drafts), []).map((a) => safetyAlertSchema.parse(a));

    const current = alertsAt(c.current ?? 30);
    expect(current.map((a) => a.ruleId)).toContain(c.check);
    expect(current.map((a) => a.ruleId)).not.toContain(c.notCurrent);

    const old = alertsAt(c.old ?? 400);
    expect(old.map((a) => a.ruleId)).not.toContain(c.check);
    const alert = old.find((a) => a.ruleId === c.notCurrent);
    expect(alert?.contraindicated).toBe(false);
    expect(alert?.alternative).toBeUndefined();
    expect(alert?.staleInputs).toEqual([expect.objectContaining({ ...c.stale })]);
    expect(alert?.title).toMatch(/^No current /);
  });

  it('a renal threshold and a renal dose band past their look-back get the same not-current alert from one builder', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const dated = (daysAgo: number): Measure => ({
      name: 'CrCl',
      value: 25,
      label: 'CrCl 25 mL/min',
      findingIds: ['f-creat'],
      basis: [
        {
          label: 'creatinine (for CrCl)',
          lab: {
            findingId: 'f-creat',
            analyte: 'creatinine',
            value: 2.3,
            unit: 'mg/dL',
            date: new Date(now.getTime() - daysAgo * 86_400_000).toISOString(),
            time: now.getTime() - daysAgo * 86_400_000,
            source: { reference: 'Observation/creat' },
          },
        },
      ],
    });
    const dabigatran = {
      reference: 'MedicationRequest/d1',
      label: 'dabigatran',
      classes: ['doac'],
      ingredients: ['dabigatran'],
    };
    const rule = RENAL_RULES.find((r) => r.id === 'renal-dabigatran-crcl-15');
    const band = RENAL_DOSE_BANDS.find((b) => b.id === 'renal-dabigatran-dose');
    if (!rule || !band) throw new Error('fixture rules missing');

    expect(renalNotCurrentAlert(dabigatran, dated(30), rule, rule.title, now)).toBeUndefined();
    const fromRule = safetyAlertSchema.parse(renalNotCurrentAlert(dabigatran, dated(400), rule, 'A', now));
    const fromBand = safetyAlertSchema.parse(renalNotCurrentAlert(dabigatran, dated(400), band, 'A', now));
    const shape = (a: SafetyAlert) => ({
      ruleId: a.ruleId,
      type: a.type,
      contraindicated: a.contraindicated,
      title: a.title,
      detail: a.detail,
      staleInputs: a.staleInputs,
    });
    expect(shape(fromRule)).toEqual(shape(fromBand));
    expect(fromRule).toMatchObject({
      ruleId: 'renal-function-not-current',
      type: 'drug-renal',
      contraindicated: false,
      title: 'No current CrCl for dabigatran',
      detail: 'At that value: A. Obtain a current CrCl before ordering.',
    });
    expect(fromRule.id).not.toBe(fromBand.id);
  });

  it('each check declares its look-back with a basis; a cited look-back names its source', () => {
    const lookBacks = [
      ...RENAL_RULES.map((r) => r.lookBack),
      ...RENAL_DOSE_BANDS.map((b) => b.lookBack),
      ...DRUG_INTERACTIONS.flatMap((r) => (r.requiresRenalImpairmentBelow ? [r.renalLookBack] : [])),
      ...HYPERKALEMIA_RULES.map((r) => r.lookBack),
    ];
    for (const l of lookBacks) {
      expect(l?.basis).toBeTruthy();
      // A window with no source says it is the model's convention.
      if (l?.citationIds.length === 0) expect(l.basis).toMatch(/model's convention/);
    }
  });

  it('a recorded CKD still makes colchicine with clarithromycin contraindicated when the eGFR is old', () => {
    const facts = buildFacts({
      conditions: ['ckd'],
      meds: ['colchicine 0.6 MG'],
      labs: { egfr: at(45, 400) },
    });
    const ids = checkOrderSafety(facts, record([draft('d1', 'clarithromycin 500 MG')]), []).map(
      (a) => a.ruleId,
    );
    expect(ids).toContain('ddi-colchicine-strong-cyp3a4-renal');
    expect(ids).not.toContain('renal-function-not-current');
  });

  it('an old value that would not have mattered asks for nothing (gabapentin 900 mg/day, old CrCl 40)', () => {
    const facts = buildFacts(male70({ creatinine: at(1.45, 400), weight: 60 }));
    const alerts = checkOrderSafety(
      facts,
      record([draft('d1', 'gabapentin 300 MG', { value: 300, perDay: 3 })]),
      [],
    );
    expect(alerts).toEqual([]);
  });
});
