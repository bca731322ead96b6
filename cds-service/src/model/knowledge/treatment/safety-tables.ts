/**
 * Order-safety knowledge: drug-drug interactions, renal limits, drug-condition cautions,
 * duplicate-therapy groups, pregnancy, dose limits and allergy cross-reactivity. Severity and
 * `contraindicated` follow the cited source (a label "Contraindications" section or a guideline
 * "3: Harm" makes it contraindicated; "avoid" or a warning makes it high or moderate).
 */
import { z } from 'zod';
import {
  conditionRuleSchema,
  hyperkalemiaRuleSchema,
  olderAdultRuleSchema,
  crossReactivitySchema,
  doseLimitSchema,
  duplicateGroupSchema,
  interactionSchema,
  pregnancyRuleSchema,
  renalDoseBandSchema,
  renalRuleSchema,
  type SafetyLookBack,
  type Threshold,
} from './schema';

const t = (value: number, unit: string, citationId: string): Threshold => ({ value, unit, citationId });
const EGFR = 'mL/min/{1.73_m2}';

/*
 * Look-backs of the kidney-function values renal checks read. Where a source states an interval
 * it is cited; otherwise the window is the model's convention (12 months: kidney function is
 * measured at least yearly in the people these drugs are given to) and `basis` says so.
 */
const CONVENTION = "the source names no interval; 12 months is the model's convention";
const METFORMIN_EGFR: SafetyLookBack = {
  months: 12,
  basis: 'FDA 2016: obtain an eGFR before starting metformin and at least annually while taking it.',
  citationIds: ['fda-2016-metformin-renal'],
};
/** A check on kidney function whose source names no interval: the model's 12 months. */
const current = (check: string): SafetyLookBack => ({
  months: 12,
  basis: `${check}: ${CONVENTION}.`,
  citationIds: [],
});
/** A label that asks to assess renal function before starting and periodically, naming no interval. */
const labelPeriodic = (label: string, citationId: string): SafetyLookBack => ({
  months: 12,
  basis: `The ${label} label: assess renal function before starting and periodically; ${CONVENTION}.`,
  citationIds: [citationId],
});
/** Potassium before a potassium-raising drug: the sources ask for a current value, name no window. */
const POTASSIUM_CURRENT: SafetyLookBack = {
  days: 90,
  basis:
    "A current potassium before a potassium-raising drug (the HF guideline and labels; recheck within weeks of starting); the sources name no look-back, 90 days is the model's convention.",
  citationIds: [],
};

export const DRUG_INTERACTIONS = z.array(interactionSchema).parse([
  {
    id: 'ddi-warfarin-nsaid',
    a: { classes: ['vka'] },
    b: { classes: ['nsaid'] },
    severity: 'high',
    contraindicated: false,
    title: 'Warfarin with an NSAID: major bleeding risk',
    detail:
      'NSAIDs add antiplatelet effect and gastrointestinal injury to anticoagulation; the warfarin label warns of bleeding with NSAIDs.',
    alternativeForB: 'acetaminophen',
    citationIds: ['fda-label-warfarin', 'ags-2023-beers'],
  },
  {
    id: 'ddi-doac-nsaid',
    a: { classes: ['doac'] },
    b: { classes: ['nsaid'] },
    severity: 'moderate',
    contraindicated: false,
    title: 'DOAC with an NSAID: increased bleeding risk',
    detail:
      'Concomitant NSAIDs increase bleeding with direct oral anticoagulants (apixaban label, drug interactions).',
    alternativeForB: 'acetaminophen',
    citationIds: ['fda-label-apixaban'],
  },
  {
    id: 'ddi-warfarin-potentiator',
    a: { classes: ['vka'] },
    b: { classes: ['warfarin-potentiator'] },
    severity: 'high',
    contraindicated: false,
    title: 'Warfarin with a drug that raises the INR',
    detail:
      'Azole antifungals, sulfamethoxazole, metronidazole and amiodarone inhibit warfarin metabolism (CYP2C9/3A4) and raise the INR; reduce the warfarin dose or choose another agent and check the INR closely.',
    citationIds: ['fda-label-warfarin', 'fda-label-fluconazole', 'fda-label-amiodarone'],
  },
  {
    id: 'ddi-clopidogrel-ppi',
    a: { classes: ['p2y12-inhibitor'], ingredients: [] },
    b: { classes: ['cyp2c19-inhibiting-ppi'] },
    severity: 'moderate',
    contraindicated: false,
    title: 'Clopidogrel with omeprazole or esomeprazole: reduced antiplatelet effect',
    detail:
      'Omeprazole and esomeprazole inhibit CYP2C19 and reduce clopidogrel activation; the clopidogrel label advises avoiding them.',
    alternativeForB: 'pantoprazole-40',
    citationIds: ['fda-label-clopidogrel'],
  },
  {
    id: 'ddi-statin-strong-cyp3a4',
    a: { classes: ['statin-cyp3a4-substrate'] },
    b: { classes: ['strong-cyp3a4-inhibitor'] },
    severity: 'high',
    contraindicated: true,
    title:
      'Simvastatin or lovastatin with a strong CYP3A4 inhibitor: contraindicated (myopathy, rhabdomyolysis)',
    detail:
      'The simvastatin and lovastatin labels contraindicate strong CYP3A4 inhibitors such as clarithromycin, erythromycin, itraconazole, ketoconazole and posaconazole.',
    alternativeForA: 'pravastatin-40',
    alternativeForB: 'azithromycin',
    citationIds: ['fda-label-simvastatin', 'fda-label-lovastatin'],
  },
  {
    id: 'ddi-raas-potassium-sparing',
    a: { classes: ['raas-inhibitor'] },
    b: { classes: ['potassium-sparing-diuretic'] },
    severity: 'moderate',
    contraindicated: false,
    title: 'Renin-angiotensin inhibitor with a potassium-sparing diuretic: hyperkalemia risk',
    detail:
      'Both raise serum potassium; check potassium and creatinine within the first weeks and periodically.',
    citationIds: ['fda-label-spironolactone', 'aha-acc-hfsa-2022-hf'],
  },
  {
    id: 'ddi-potassium-sparing-potassium',
    a: { classes: ['potassium-sparing-diuretic'] },
    b: { classes: ['potassium-supplement'] },
    severity: 'high',
    contraindicated: false,
    title: 'Potassium-sparing diuretic with a potassium supplement: hyperkalemia risk',
    detail:
      'The amiloride and spironolactone labels warn against potassium supplementation except in documented hypokalemia.',
    citationIds: ['fda-label-amiloride', 'fda-label-spironolactone'],
  },
  {
    id: 'ddi-raas-potassium',
    a: { classes: ['raas-inhibitor'] },
    b: { classes: ['potassium-supplement'] },
    severity: 'moderate',
    contraindicated: false,
    title: 'Renin-angiotensin inhibitor with a potassium supplement: hyperkalemia risk',
    detail:
      'ACE inhibitors and ARBs raise serum potassium; the lisinopril label warns about potassium supplements.',
    citationIds: ['fda-label-lisinopril'],
  },
  {
    id: 'ddi-opioid-benzodiazepine',
    a: { classes: ['opioid'] },
    b: { classes: ['benzodiazepine'] },
    severity: 'high',
    contraindicated: false,
    title: 'Opioid with a benzodiazepine: profound sedation, respiratory depression, death (boxed warning)',
    detail:
      'FDA requires a boxed warning for the combination; CDC 2022 Recommendation 11 advises particular caution and weighing a taper.',
    citationIds: ['fda-2016-opioid-benzodiazepine', 'cdc-2022-opioids'],
  },
  {
    id: 'ddi-methotrexate-trimethoprim',
    a: { classes: ['antimetabolite'] },
    b: { classes: ['folate-antagonist-antibiotic'], ingredients: ['sulfamethoxazole'] },
    severity: 'high',
    contraindicated: false,
    title: 'Methotrexate with trimethoprim/sulfamethoxazole: bone marrow suppression',
    detail:
      'Trimethoprim adds antifolate effect and reduces methotrexate clearance; the methotrexate label warns of increased toxicity.',
    citationIds: ['fda-label-methotrexate'],
  },
  {
    id: 'ddi-lithium-nsaid',
    a: { classes: ['lithium'] },
    b: { classes: ['nsaid'] },
    severity: 'high',
    contraindicated: false,
    title: 'Lithium with an NSAID: raised lithium levels and toxicity',
    detail:
      'NSAIDs reduce renal lithium clearance; the lithium label advises monitoring levels closely or avoiding the combination.',
    alternativeForB: 'acetaminophen',
    citationIds: ['fda-label-lithium'],
  },
  {
    id: 'ddi-lithium-raas',
    a: { classes: ['lithium'] },
    b: { classes: ['acei', 'arb', 'arni'] },
    severity: 'high',
    contraindicated: false,
    title: 'Lithium with an ACE inhibitor or ARB: raised lithium levels and toxicity',
    detail:
      'ACE inhibitors and ARBs reduce lithium clearance; the lithium label advises frequent level monitoring.',
    citationIds: ['fda-label-lithium'],
  },
  {
    id: 'ddi-lithium-thiazide',
    a: { classes: ['lithium'] },
    b: { classes: ['thiazide'] },
    severity: 'moderate',
    contraindicated: false,
    title: 'Lithium with a thiazide: raised lithium levels',
    detail: 'Thiazides reduce renal lithium clearance; the lithium label advises monitoring levels.',
    citationIds: ['fda-label-lithium'],
  },
  {
    id: 'ddi-pde5-nitrate',
    a: { classes: ['pde5-inhibitor'] },
    b: { classes: ['nitrate'] },
    severity: 'high',
    contraindicated: true,
    title: 'PDE-5 inhibitor with a nitrate: contraindicated (severe hypotension)',
    detail: 'The sildenafil label contraindicates use with nitrates in any form.',
    citationIds: ['fda-label-sildenafil'],
  },
  {
    id: 'ddi-colchicine-strong-cyp3a4-renal',
    a: { classes: ['colchicine'] },
    b: { classes: ['strong-cyp3a4-inhibitor'] },
    severity: 'high',
    contraindicated: true,
    requiresRenalImpairmentBelow: t(60, EGFR, 'kdigo-2024-ckd-treatment'),
    renalLookBack: current('The colchicine label (renal impairment with a CYP3A4 or P-gp inhibitor)'),
    title: 'Colchicine with a strong CYP3A4 or P-gp inhibitor in renal impairment: contraindicated',
    detail:
      'The colchicine label contraindicates P-gp or strong CYP3A4 inhibitors in patients with renal or hepatic impairment (fatal toxicity reported).',
    alternativeForB: 'azithromycin',
    citationIds: ['fda-label-colchicine'],
  },
  {
    id: 'ddi-doac-strong-inducer',
    a: { classes: ['doac'] },
    b: { classes: ['strong-cyp3a4-pgp-inducer'] },
    severity: 'high',
    contraindicated: false,
    title: 'DOAC with a strong CYP3A4/P-gp inducer: loss of anticoagulant effect',
    detail:
      'Rifampin, carbamazepine and phenytoin lower DOAC exposure; the apixaban, rivaroxaban and dabigatran labels advise avoiding the combination.',
    alternativeForA: 'warfarin-5',
    citationIds: ['fda-label-apixaban', 'fda-label-rivaroxaban', 'fda-label-dabigatran'],
  },
  {
    id: 'ddi-amiodarone-warfarin',
    a: { ingredients: ['amiodarone'] },
    b: { classes: ['vka'] },
    severity: 'high',
    contraindicated: false,
    title: 'Amiodarone with warfarin: INR rise and bleeding',
    detail:
      'Amiodarone inhibits warfarin metabolism; its label advises reducing the warfarin dose and monitoring the INR closely.',
    citationIds: ['fda-label-amiodarone', 'fda-label-warfarin'],
  },
  {
    id: 'ddi-amiodarone-digoxin',
    a: { ingredients: ['amiodarone'] },
    b: { classes: ['cardiac-glycoside'] },
    severity: 'high',
    contraindicated: false,
    title: 'Amiodarone with digoxin: digoxin toxicity',
    detail:
      'Amiodarone raises digoxin concentrations; its label advises reducing the digoxin dose and monitoring levels.',
    citationIds: ['fda-label-amiodarone'],
  },
  {
    id: 'ddi-arni-acei',
    a: { classes: ['arni'] },
    b: { classes: ['acei'] },
    severity: 'high',
    contraindicated: true,
    title: 'Sacubitril/valsartan with an ACE inhibitor: contraindicated (angioedema)',
    detail:
      'The sacubitril/valsartan label contraindicates concomitant ACE inhibitors and use within 36 hours of the last ACE inhibitor dose.',
    citationIds: ['fda-label-sacubitril-valsartan', 'aha-acc-hfsa-2022-hf'],
  },
  {
    id: 'ddi-qt-known-risk',
    a: { classes: ['qt-known-risk'] },
    b: { classes: ['qt-known-risk'] },
    severity: 'moderate',
    contraindicated: false,
    title: 'Two drugs with a known risk of torsades de pointes',
    detail:
      'Both drugs are on the CredibleMeds known-risk list; combined QT prolongation raises the risk of torsades de pointes. Check an ECG and electrolytes or choose a drug without QT risk.',
    citationIds: ['crediblemeds-qtdrugs'],
  },
]);

export const RENAL_RULES = z.array(renalRuleSchema).parse([
  {
    id: 'renal-metformin-egfr-30',
    drug: { classes: ['biguanide'] },
    measure: 'egfr',
    below: t(30, EGFR, 'fda-2016-metformin-renal'),
    severity: 'high',
    contraindicated: true,
    title: 'Metformin is contraindicated with eGFR below 30',
    detail:
      'FDA labeling (2016) contraindicates metformin when eGFR is below 30 mL/min/1.73m² (lactic acidosis).',
    alternative: 'linagliptin-5',
    citationIds: ['fda-2016-metformin-renal', 'fda-label-linagliptin'],
    lookBack: METFORMIN_EGFR,
  },
  {
    id: 'renal-metformin-egfr-45',
    drug: { classes: ['biguanide'] },
    measure: 'egfr',
    below: t(45, EGFR, 'fda-2016-metformin-renal'),
    atLeast: t(30, EGFR, 'fda-2016-metformin-renal'),
    severity: 'moderate',
    contraindicated: false,
    title: 'Starting metformin is not recommended with eGFR 30-45',
    detail:
      'FDA labeling (2016): starting metformin with eGFR between 30 and 45 mL/min/1.73m² is not recommended.',
    alternative: 'linagliptin-5',
    citationIds: ['fda-2016-metformin-renal', 'fda-label-linagliptin'],
    lookBack: METFORMIN_EGFR,
  },
  {
    id: 'renal-nsaid-crcl-30',
    drug: { classes: ['nsaid'] },
    measure: 'crcl',
    lookBack: current('AGS Beers 2023 (avoid below CrCl 30)'),
    below: t(30, 'mL/min', 'ags-2023-beers'),
    severity: 'high',
    contraindicated: false,
    title: 'Avoid NSAIDs with CrCl below 30 (kidney injury)',
    detail:
      'AGS Beers Criteria 2023 advise avoiding NSAIDs when CrCl is below 30 mL/min; KDIGO advises avoiding prolonged NSAID use in CKD.',
    alternative: 'acetaminophen',
    citationIds: ['ags-2023-beers', 'kdigo-2024-ckd-treatment'],
  },
  {
    id: 'renal-nitrofurantoin-crcl-30',
    drug: { classes: ['nitrofurantoin'] },
    measure: 'crcl',
    lookBack: current('AGS Beers 2023 (avoid below CrCl 30)'),
    below: t(30, 'mL/min', 'ags-2023-beers'),
    severity: 'high',
    contraindicated: false,
    title: 'Avoid nitrofurantoin with CrCl below 30',
    detail:
      'AGS Beers Criteria 2023: avoid nitrofurantoin with CrCl below 30 mL/min (inadequate urine levels, toxicity).',
    citationIds: ['ags-2023-beers'],
  },
  {
    id: 'renal-mra-egfr-30',
    drug: { classes: ['mra'] },
    measure: 'egfr',
    lookBack: current('The 2022 HF guideline (an MRA only with eGFR above 30)'),
    below: t(30, EGFR, 'aha-acc-hfsa-2022-hf'),
    severity: 'high',
    contraindicated: false,
    title: 'MRA with eGFR 30 or below: hyperkalemia risk',
    detail:
      'The 2022 HF guideline limits MRAs to eGFR above 30 and potassium below 5.0; the spironolactone label warns of hyperkalemia in renal impairment.',
    citationIds: ['aha-acc-hfsa-2022-hf', 'fda-label-spironolactone'],
  },
  {
    id: 'renal-sglt2i-egfr-20',
    drug: { classes: ['sglt2i'] },
    measure: 'egfr',
    lookBack: current('KDIGO 2024 (start at eGFR 20 or above)'),
    below: t(20, EGFR, 'kdigo-2024-ckd-treatment'),
    severity: 'low',
    contraindicated: false,
    title: 'Starting an SGLT2 inhibitor below eGFR 20 is not established',
    detail:
      'KDIGO 2024 recommends starting SGLT2 inhibitors at eGFR 20 or above; once started they may continue below it.',
    citationIds: ['kdigo-2024-ckd-treatment', 'fda-label-empagliflozin'],
  },
  {
    id: 'renal-dabigatran-crcl-15',
    drug: { ingredients: ['dabigatran'] },
    measure: 'crcl',
    lookBack: labelPeriodic('dabigatran', 'fda-label-dabigatran'),
    below: t(15, 'mL/min', 'fda-label-dabigatran'),
    severity: 'high',
    contraindicated: false,
    title: 'Dabigatran with CrCl below 15: no dosing recommendation',
    detail: 'The dabigatran label gives no dose for CrCl below 15 mL/min or dialysis.',
    alternative: 'apixaban-2.5',
    citationIds: ['fda-label-dabigatran'],
  },
  {
    id: 'renal-edoxaban-crcl-95',
    drug: { ingredients: ['edoxaban'] },
    measure: 'crcl',
    lookBack: labelPeriodic('edoxaban', 'fda-label-edoxaban'),
    atLeast: t(95, 'mL/min', 'fda-label-edoxaban'),
    severity: 'moderate',
    contraindicated: false,
    title: 'Edoxaban with CrCl above 95: reduced efficacy in AF',
    detail:
      'The edoxaban label advises against use in nonvalvular AF with CrCl above 95 mL/min (more ischemic strokes than warfarin).',
    alternative: 'apixaban-5',
    citationIds: ['fda-label-edoxaban'],
  },
]);

export const RENAL_DOSE_BANDS = z.array(renalDoseBandSchema).parse([
  {
    id: 'renal-gabapentin-dose',
    ingredient: 'gabapentin',
    measure: 'crcl',
    lookBack: current('The gabapentin label (dose by CrCl)'),
    bands: [
      { from: 60, maxDailyMg: 3600 },
      { from: 30, maxDailyMg: 1400 },
      { from: 15, maxDailyMg: 700 },
      { from: 0, maxDailyMg: 300 },
    ],
    severity: 'moderate',
    citationIds: ['fda-label-gabapentin'],
  },
  {
    id: 'renal-rivaroxaban-af-dose',
    ingredient: 'rivaroxaban',
    measure: 'crcl',
    lookBack: labelPeriodic('rivaroxaban', 'fda-label-rivaroxaban'),
    bands: [
      { from: 50.0001, maxDailyMg: 20 },
      { from: 0, maxDailyMg: 15 },
    ],
    severity: 'moderate',
    citationIds: ['fda-label-rivaroxaban'],
  },
  {
    id: 'renal-dabigatran-dose',
    ingredient: 'dabigatran',
    measure: 'crcl',
    lookBack: labelPeriodic('dabigatran', 'fda-label-dabigatran'),
    bands: [
      { from: 30, maxDailyMg: 300 },
      { from: 0, maxDailyMg: 150 },
    ],
    severity: 'high',
    citationIds: ['fda-label-dabigatran'],
  },
]);

export const CONDITION_RULES = z.array(conditionRuleSchema).parse([
  {
    id: 'cond-nsaid-hfref',
    drug: { classes: ['nsaid'] },
    conditionIds: ['hfref', 'heart-failure'],
    severity: 'high',
    contraindicated: true,
    title: 'NSAID in heart failure: worsens heart failure (3: Harm)',
    detail:
      'The 2022 HF guideline rates NSAIDs as harmful in HFrEF (worsening HF, hospitalization); the NSAID labels warn of fluid retention and HF exacerbation, and AGS Beers 2023 lists NSAIDs to avoid in heart failure.',
    alternative: 'acetaminophen',
    citationIds: ['aha-acc-hfsa-2022-hf', 'fda-label-ibuprofen', 'ags-2023-beers'],
  },
  {
    id: 'cond-nsaid-ckd',
    drug: { classes: ['nsaid'] },
    conditionIds: ['ckd'],
    severity: 'moderate',
    contraindicated: false,
    title: 'NSAID in chronic kidney disease',
    detail:
      'KDIGO 2024 advises avoiding prolonged NSAID use in CKD and especially with a renin-angiotensin inhibitor and diuretic.',
    alternative: 'acetaminophen',
    citationIds: ['kdigo-2024-ckd-treatment'],
  },
  {
    id: 'cond-non-dhp-ccb-hfref',
    drug: { classes: ['ccb-non-dhp'] },
    conditionIds: ['hfref'],
    severity: 'high',
    contraindicated: true,
    title: 'Diltiazem or verapamil in HFrEF: harmful (3: Harm)',
    detail:
      'Non-dihydropyridine calcium channel blockers are negative inotropes; the 2022 HF guideline rates them harmful in HFrEF.',
    alternative: 'amlodipine-5',
    citationIds: ['aha-acc-hfsa-2022-hf'],
  },
  {
    id: 'cond-tzd-hf',
    drug: { classes: ['thiazolidinedione'] },
    // The boxed warning covers heart failure of any ejection fraction.
    conditionIds: ['hfref', 'heart-failure'],
    severity: 'high',
    contraindicated: true,
    title: 'Thiazolidinedione in heart failure: fluid retention (3: Harm; boxed warning)',
    detail:
      'Pioglitazone and rosiglitazone cause fluid retention and worsen HF; the 2022 HF guideline rates them harmful and the label carries a boxed warning.',
    alternative: 'empagliflozin-10',
    citationIds: ['aha-acc-hfsa-2022-hf', 'fda-label-pioglitazone'],
  },
  {
    id: 'cond-nonselective-beta-blocker-asthma',
    drug: { classes: ['beta-blocker-nonselective'] },
    conditionIds: ['asthma'],
    severity: 'high',
    contraindicated: true,
    title: 'Nonselective beta-blocker in asthma: bronchospasm',
    detail: 'The propranolol and carvedilol labels contraindicate use in bronchial asthma.',
    alternative: 'bisoprolol-1.25',
    citationIds: ['fda-label-propranolol', 'fda-label-carvedilol'],
  },
  {
    id: 'cond-cardioselective-beta-blocker-asthma',
    drug: { classes: ['beta-blocker-cardioselective'] },
    conditionIds: ['asthma'],
    severity: 'low',
    contraindicated: false,
    title: 'Beta-blocker in asthma: use the lowest dose of a cardioselective agent',
    detail:
      'Labels of cardioselective beta-blockers advise caution in bronchospastic disease; selectivity lessens with higher doses.',
    citationIds: ['fda-label-metoprolol'],
  },
  {
    id: 'cond-doac-mechanical-valve',
    drug: { classes: ['doac'] },
    conditionIds: ['mechanical-valve'],
    severity: 'high',
    contraindicated: true,
    title: 'DOAC with a mechanical heart valve: harmful (use warfarin)',
    detail:
      'The 2023 AF guideline rates DOACs harmful with mechanical heart valves; the dabigatran label contraindicates them.',
    alternative: 'warfarin-5',
    citationIds: ['acc-aha-2023-af', 'fda-label-dabigatran'],
  },
]);

export const DUPLICATE_GROUPS = z.array(duplicateGroupSchema).parse([
  {
    id: 'dup-statin',
    label: 'two statins',
    classes: ['statin'],
    severity: 'moderate',
    detail:
      'Statin intensity is set by one statin at a dose from the guideline table; two statins add myopathy risk without benefit.',
    citationIds: ['acc-aha-2018-cholesterol'],
  },
  {
    id: 'dup-oral-anticoagulant',
    label: 'two oral anticoagulants',
    classes: ['oral-anticoagulant'],
    severity: 'high',
    detail:
      'Two oral anticoagulants together multiply bleeding risk; a switch needs the label transition instructions.',
    citationIds: ['acc-aha-2023-af', 'fda-label-apixaban'],
  },
  {
    id: 'dup-raas-dual',
    label: 'dual renin-angiotensin blockade',
    classes: ['acei', 'arb', 'arni'],
    severity: 'high',
    detail:
      'KDIGO 2024 recommends against combining an ACE inhibitor, an ARB or a direct renin inhibitor (hyperkalemia, acute kidney injury).',
    citationIds: ['kdigo-2024-ckd-treatment', 'aha-acc-hfsa-2022-hf'],
  },
  {
    id: 'dup-nsaid',
    label: 'two NSAIDs',
    classes: ['nsaid'],
    severity: 'moderate',
    detail:
      'NSAID labels advise against combining NSAIDs (more gastrointestinal toxicity, no added benefit).',
    citationIds: ['fda-label-ibuprofen'],
  },
  {
    id: 'dup-sglt2i',
    label: 'two SGLT2 inhibitors',
    classes: ['sglt2i'],
    severity: 'moderate',
    detail: 'One SGLT2 inhibitor gives the class benefit; two add adverse effects.',
    citationIds: ['ada-soc-2025-pharmacologic'],
  },
  {
    id: 'dup-incretin',
    label: 'a DPP-4 inhibitor with a GLP-1 receptor agonist',
    classes: ['glp1ra', 'dpp4i'],
    severity: 'low',
    detail:
      'ADA Standards of Care: no added glucose lowering from a DPP-4 inhibitor on top of a GLP-1 receptor agonist.',
    citationIds: ['ada-soc-2025-pharmacologic'],
  },
  {
    id: 'dup-benzodiazepine',
    label: 'two benzodiazepines',
    classes: ['benzodiazepine'],
    severity: 'moderate',
    detail:
      'AGS Beers Criteria 2023 advise avoiding benzodiazepines in older adults; two together add sedation, falls and respiratory depression.',
    citationIds: ['ags-2023-beers'],
  },
]);

export const PREGNANCY_RULES = z.array(pregnancyRuleSchema).parse([
  {
    id: 'preg-raas-inhibitor',
    drug: { classes: ['acei', 'arb', 'arni'] },
    severity: 'high',
    contraindicated: true,
    title: 'ACE inhibitor, ARB or ARNI in pregnancy: fetal toxicity (boxed warning)',
    detail:
      'Drugs acting on the renin-angiotensin system cause fetal injury and death; labels require stopping them when pregnancy is detected.',
    alternative: 'labetalol',
    citationIds: ['fda-label-lisinopril', 'fda-label-sacubitril-valsartan', 'aha-acc-2025-htn'],
  },
  {
    id: 'preg-statin',
    drug: { classes: ['statin'] },
    severity: 'moderate',
    contraindicated: false,
    title: 'Statin in pregnancy: stop when pregnancy is recognized',
    detail:
      'The 2018 cholesterol guideline advises stopping statins 1-2 months before conception or when pregnancy occurs; labels advise discontinuation in most pregnant patients.',
    citationIds: ['acc-aha-2018-cholesterol', 'fda-label-atorvastatin'],
  },
  {
    id: 'preg-warfarin',
    drug: { classes: ['vka'] },
    severity: 'high',
    contraindicated: true,
    exceptConditionIds: ['mechanical-valve'],
    title: 'Warfarin in pregnancy: embryopathy',
    detail:
      'The warfarin label contraindicates it in pregnancy except in patients with mechanical heart valves at high thromboembolic risk.',
    citationIds: ['fda-label-warfarin'],
  },
  {
    id: 'preg-isotretinoin',
    drug: { classes: ['retinoid'] },
    severity: 'high',
    contraindicated: true,
    title: 'Isotretinoin in pregnancy: contraindicated (severe birth defects)',
    detail:
      'Boxed warning: isotretinoin must not be used by patients who are or may become pregnant (iPLEDGE program).',
    citationIds: ['fda-label-isotretinoin'],
  },
  {
    id: 'preg-valproate',
    drug: { ingredients: ['valproic acid'] },
    severity: 'high',
    contraindicated: true,
    title: 'Valproate in pregnancy: major malformations and neurodevelopmental harm (boxed warning)',
    detail:
      'The valproate label carries a boxed warning for fetal risk and contraindicates use for migraine prevention in pregnancy.',
    citationIds: ['fda-label-valproate'],
  },
  {
    id: 'preg-methotrexate',
    drug: { classes: ['antimetabolite'] },
    severity: 'high',
    contraindicated: true,
    title: 'Methotrexate in pregnancy: embryo-fetal toxicity',
    detail: 'The methotrexate label contraindicates it in pregnancy for non-neoplastic diseases.',
    citationIds: ['fda-label-methotrexate'],
  },
]);

export const DOSE_LIMITS = z.array(doseLimitSchema).parse([
  {
    id: 'dose-acetaminophen-max',
    ingredient: 'acetaminophen',
    maxDaily: t(4000, 'mg/d', 'fda-label-acetaminophen'),
    severity: 'high',
    detail: 'Acetaminophen labeling limits the total to 4,000 mg in 24 hours (hepatotoxicity).',
    citationIds: ['fda-label-acetaminophen'],
  },
  {
    id: 'dose-citalopram-max',
    ingredient: 'citalopram',
    maxDaily: t(40, 'mg/d', 'fda-label-citalopram'),
    olderAdult: {
      fromAge: t(60, 'a', 'fda-label-citalopram'),
      maxDaily: t(20, 'mg/d', 'fda-label-citalopram'),
    },
    severity: 'high',
    detail:
      'The citalopram label limits the dose to 40 mg/day (20 mg/day over age 60) because of dose-dependent QT prolongation.',
    citationIds: ['fda-label-citalopram'],
  },
  {
    id: 'dose-simvastatin-max',
    ingredient: 'simvastatin',
    maxDaily: t(40, 'mg/d', 'fda-label-simvastatin'),
    severity: 'moderate',
    detail:
      'The simvastatin label restricts 80 mg to patients already taking it for 12 months or more without myopathy (myopathy risk).',
    citationIds: ['fda-label-simvastatin'],
  },
  {
    id: 'dose-atorvastatin-max',
    ingredient: 'atorvastatin',
    maxDaily: t(80, 'mg/d', 'fda-label-atorvastatin'),
    severity: 'moderate',
    detail: 'The atorvastatin label dosage range is 10-80 mg once daily.',
    citationIds: ['fda-label-atorvastatin'],
  },
  {
    id: 'dose-lisinopril-max',
    ingredient: 'lisinopril',
    maxDaily: t(80, 'mg/d', 'fda-label-lisinopril'),
    severity: 'moderate',
    detail: 'The lisinopril label gives doses up to 80 mg daily for hypertension.',
    citationIds: ['fda-label-lisinopril'],
  },
  {
    id: 'dose-metformin-max',
    ingredient: 'metformin',
    maxDaily: t(2550, 'mg/d', 'fda-label-metformin'),
    severity: 'moderate',
    detail: 'The metformin (immediate-release) label maximum is 2,550 mg per day.',
    citationIds: ['fda-label-metformin'],
  },
  {
    id: 'dose-apixaban-max',
    ingredient: 'apixaban',
    maxDaily: t(10, 'mg/d', 'fda-label-apixaban'),
    severity: 'high',
    detail:
      'The apixaban label dose for nonvalvular AF is 5 mg twice daily (10 mg/day); higher doses are for the first week of VTE treatment only.',
    citationIds: ['fda-label-apixaban'],
  },
]);

export const ALLERGY_CROSS_REACTIVITY = z.array(crossReactivitySchema).parse([
  {
    id: 'allergy-penicillin-cephalosporin',
    allergyClass: 'penicillin',
    drugClass: 'cephalosporin',
    risk: 'low',
    severity: 'low',
    detail:
      'Cross-reactivity between penicillins and cephalosporins is low and driven by shared side chains; the 2022 practice parameter supports giving a cephalosporin without testing after a non-anaphylactic penicillin reaction, and one with a dissimilar side chain after anaphylaxis.',
    citationIds: ['aaaai-acaai-2022-drug-allergy'],
  },
  {
    id: 'allergy-cephalosporin-penicillin',
    allergyClass: 'cephalosporin',
    drugClass: 'penicillin',
    risk: 'low',
    severity: 'low',
    detail:
      'Cross-reactivity between cephalosporins and penicillins is low and side-chain dependent (2022 practice parameter).',
    citationIds: ['aaaai-acaai-2022-drug-allergy'],
  },
  {
    id: 'allergy-penicillin-carbapenem',
    allergyClass: 'penicillin',
    drugClass: 'carbapenem',
    risk: 'none',
    severity: 'low',
    detail:
      'Carbapenems may be given without testing to patients with a penicillin allergy history (2022 practice parameter).',
    citationIds: ['aaaai-acaai-2022-drug-allergy'],
  },
  {
    id: 'allergy-sulfonamide-nonantibiotic',
    allergyClass: 'sulfonamide-antibiotic',
    drugClass: 'sulfonamide-nonantibiotic',
    risk: 'none',
    severity: 'low',
    detail:
      'Sulfonamide antibiotic allergy does not cross-react with non-antibiotic sulfonamides such as furosemide, thiazides or celecoxib (2022 practice parameter).',
    citationIds: ['aaaai-acaai-2022-drug-allergy'],
  },
]);

/**
 * AGS Beers Criteria 2023, Table 2 ("avoid" for adults 65 and older), for the drugs of the drug
 * table it names: benzodiazepines, the highest-risk NSAIDs (indomethacin, ketorolac), and the
 * long-acting sulfonylureas glyburide and glimepiride (hypoglycemia).
 */
export const OLDER_ADULT_RULES = z.array(olderAdultRuleSchema).parse([
  {
    id: 'beers-benzodiazepine',
    drug: { classes: ['benzodiazepine'] },
    fromAge: { value: 65, unit: 'a', citationId: 'ags-2023-beers' },
    severity: 'moderate',
    title: 'Benzodiazepine at 65 or older: avoid (AGS Beers 2023)',
    detail:
      'AGS Beers 2023 advises avoiding benzodiazepines in older adults: increased sensitivity, cognitive impairment, delirium, falls, fractures and motor vehicle crashes.',
    citationIds: ['ags-2023-beers'],
  },
  {
    id: 'beers-indomethacin-ketorolac',
    drug: { ingredients: ['indomethacin', 'ketorolac'] },
    fromAge: { value: 65, unit: 'a', citationId: 'ags-2023-beers' },
    severity: 'moderate',
    title: 'Indomethacin or ketorolac at 65 or older: avoid (AGS Beers 2023)',
    detail:
      'AGS Beers 2023 lists indomethacin and ketorolac (all routes) to avoid in older adults: the highest risk of gastrointestinal bleeding, peptic ulcer and acute kidney injury among NSAIDs.',
    alternative: 'acetaminophen',
    citationIds: ['ags-2023-beers'],
  },
  {
    id: 'beers-sulfonylurea',
    drug: { ingredients: ['glyburide', 'glimepiride'] },
    fromAge: { value: 65, unit: 'a', citationId: 'ags-2023-beers' },
    severity: 'moderate',
    title: 'Glyburide or glimepiride at 65 or older: avoid (AGS Beers 2023)',
    detail:
      'AGS Beers 2023 advises avoiding sulfonylureas in older adults, glyburide and glimepiride above all: prolonged hypoglycemia.',
    citationIds: ['ags-2023-beers'],
  },
]);

/**
 * Potassium-raising drugs when the newest potassium is high. Spironolactone and potassium
 * chloride labels contraindicate them in hyperkalemia; the 2022 HF guideline starts an MRA only
 * with potassium below 5.0 mmol/L; ACE inhibitor, ARB and ARNI labels warn of hyperkalemia.
 */
export const HYPERKALEMIA_RULES = z.array(hyperkalemiaRuleSchema).parse([
  {
    id: 'potassium-sparing-hyperkalemia',
    drug: { classes: ['potassium-sparing-diuretic', 'mra', 'potassium-supplement'] },
    above: { value: 5.0, unit: 'mmol/L', citationId: 'aha-acc-hfsa-2022-hf' },
    lookBack: POTASSIUM_CURRENT,
    severity: 'high',
    contraindicated: true,
    title: 'Potassium-raising drug with a high potassium: contraindicated',
    detail:
      'Spironolactone, other potassium-sparing diuretics and potassium supplements are contraindicated in hyperkalemia (labels); the 2022 HF guideline starts an MRA only with potassium below 5.0 mmol/L.',
    citationIds: ['fda-label-spironolactone', 'fda-label-amiloride', 'aha-acc-hfsa-2022-hf'],
  },
  {
    id: 'raas-hyperkalemia',
    drug: { classes: ['raas-inhibitor'] },
    above: { value: 5.0, unit: 'mmol/L', citationId: 'aha-acc-hfsa-2022-hf' },
    lookBack: POTASSIUM_CURRENT,
    severity: 'moderate',
    contraindicated: false,
    title: 'ACE inhibitor, ARB or ARNI with a high potassium',
    detail:
      'ACE inhibitor, ARB and ARNI labels warn of hyperkalemia; recheck potassium and correct it before starting or increasing one.',
    citationIds: ['fda-label-lisinopril', 'fda-label-sacubitril-valsartan'],
  },
]);
