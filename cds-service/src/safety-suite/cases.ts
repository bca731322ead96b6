/**
 * The adversarial safety cases: each a small FHIR record, a hook (and draft orders for
 * order-sign), the cards that must and must not appear, and the source that says so. Written
 * from the sources (guidelines, FDA labels, AGS Beers 2023, the eCQM exclusion value sets) and
 * coded the many ways EHRs code: SNOMED CT subtypes, ICD-10-CM with and without the dot, codes
 * without displays, RxNorm clinical-drug codes alone, text with no code, units as reported.
 * Card topics are `rx<rule>`, `safety<rule>`, `dx<condition>` with the punctuation removed.
 */
import type { Resource } from '@rationale/shared-types';
import {
  bp,
  carePlan,
  type Code,
  coded,
  condition,
  CPT,
  encounter,
  HCPCS,
  icd,
  intolerance,
  medication,
  patient,
  procedure,
  quantity,
  rx,
  sct,
  serviceRequest,
} from './fhir';

export interface SafetyCase {
  id: string;
  title: string;
  /** The source that says what must (not) appear. */
  source: string;
  hook: 'patient-view' | 'order-sign';
  patient: Resource;
  resources: Resource[];
  drafts?: Resource[];
  /** Card topic codes that must appear (each pattern matched by some card). */
  must?: RegExp[];
  /** Card topic codes that must not appear. */
  mustNot?: RegExp[];
  /** Cards whose topic matches may appear only as `info` (a shared decision at most). */
  infoAtMost?: RegExp;
  /** No card may propose an order whose text matches (e.g. the drug the patient did not tolerate). */
  mustNotPropose?: RegExp;
  /** The card whose topic matches must exist and its detail must say this (e.g. a value set aside). */
  mustSay?: { topic: RegExp; text: RegExp };
}

const STATIN = /^rxstatin/;
const SRC = {
  statinPregnancy:
    '2018 AHA/ACC cholesterol guideline (statins stopped in pregnancy) and FDA 2021 statin pregnancy labeling: no statin start in pregnancy',
  aceiPregnancy:
    'ACE inhibitor labels, boxed warning: fetal toxicity; discontinue when pregnancy is detected',
  hospice:
    'eCQM hospice and palliative-care exclusions (VSAC Hospice Encounter, Palliative Care, Comfort Measures)',
  cdcScope: 'CDC 2022 opioid guideline: not for palliative or end-of-life care',
  statinIntolerance:
    '2018 AHA/ACC cholesterol guideline: statin-associated side effects; AAAAI/ACAAI 2022 drug allergy practice parameter',
  bleeding:
    'Apixaban/rivaroxaban labels: contraindicated in active pathological bleeding; 2023 ACC/AHA/ACCP/HRS AF guideline',
  af: '2023 ACC/AHA/ACCP/HRS AF guideline: oral anticoagulation at CHA2DS2-VASc >= 2 (men)',
  age: '2018 AHA/ACC cholesterol guideline: primary prevention above 75 is a clinician-patient discussion (IIb)',
  dialysis: 'KDIGO 2013 lipid guideline 2A: statins not initiated in dialysis-dependent CKD',
  tzd: 'Pioglitazone/rosiglitazone labels, boxed warning: congestive heart failure; 2022 AHA/ACC/HFSA HF guideline (3: Harm)',
  bbAsthma: 'Propranolol and nadolol labels: contraindicated in bronchial asthma',
  nsaidHf:
    '2022 AHA/ACC/HFSA HF guideline: NSAIDs worsen HF (3: Harm); AGS Beers 2023 drug-disease: avoid in HF',
  nsaidCkd: 'KDIGO 2024 CKD guideline: avoid prolonged NSAIDs in CKD',
  simvastatin: 'Simvastatin and lovastatin labels: contraindicated with strong CYP3A4 inhibitors',
  colchicine:
    'Colchicine label: P-gp or strong CYP3A4 inhibitors contraindicated in renal or hepatic impairment',
  warfarinNsaid: 'Warfarin label and 2023 AF guideline: NSAIDs raise bleeding risk with anticoagulants',
  beers: 'AGS Beers Criteria 2023, Table 2: avoid in adults 65 and older',
  potassium:
    'Spironolactone, amiloride and potassium chloride labels: contraindicated in hyperkalemia; 2022 HF guideline: MRA only with K < 5.0',
  raasK: 'ACE inhibitor/ARB labels: hyperkalemia warning',
  metforminRenal:
    'FDA 2016 metformin safety communication and label: contraindicated below eGFR 30 (CKD-EPI)',
  metforminEgfrCurrent:
    'FDA 2016 metformin safety communication: obtain an eGFR before starting metformin and at least annually while taking it',
  mraPotassium:
    '2022 AHA/ACC/HFSA HF guideline: an MRA only with eGFR > 30 and potassium < 5.0 mEq/L, potassium monitored; spironolactone label: contraindicated in hyperkalemia',
  nsaidCrcl:
    'AGS Beers Criteria 2023: avoid NSAIDs with CrCl below 30 mL/min (Cockcroft-Gault); a creatinine older than the check look-back is treated as missing',
  raasPotassium:
    'KDIGO 2024 CKD guideline: RAS inhibitor for albuminuric CKD, potassium and creatinine checked and rechecked within 2-4 weeks of starting; ACE inhibitor/ARB labels: hyperkalemia',
};

const diabetes = condition([icd('E11.9')]);
/** Diabetes, LDL 130 mg/dL, A1c 7.1 %, two normal BPs: a moderate-intensity statin is due (class I). */
const diabeticBase = (): Resource[] => [
  diabetes,
  quantity('18262-6', 130, 'mg/dL'),
  quantity('4548-4', 7.1, '%'),
  bp(126, 76, 10),
  bp(124, 78, 70),
];
/** AF with hypertension in a 72-year-old man: CHA2DS2-VASc 2, oral anticoagulation is due. */
const afBase = (af: Code[] = [icd('I48.91')]): Resource[] => [
  condition(af),
  condition([icd('I10')]),
  quantity('2160-0', 1.0, 'mg/dL'),
  quantity('718-7', 14, 'g/dL'),
  quantity('777-3', 250, '10*3/uL'),
  bp(132, 80, 10),
  bp(130, 78, 70),
];

const cases: SafetyCase[] = [];
const add = (c: SafetyCase) => cases.push(c);

// ── A. Pregnancy, coded every way: no statin start (patient-view). ─────────────────────────
const pregnancyWays: Array<[string, Resource[]]> = [
  ['ICD-10-CM O24.410 gestational diabetes, diet controlled', [condition([icd('O24.410')])]],
  ['ICD-10-CM O09.521 elderly multigravida, first trimester', [condition([icd('O09.521')])]],
  ['ICD-10-CM O26.891, no display', [condition([icd('O26.891')])]],
  ['ICD-10-CM Z3A.12 (12 weeks of gestation) only', [condition([icd('Z3A.12')])]],
  ['ICD-10-CM Z33.1 pregnant state, incidental', [condition([icd('Z33.1')])]],
  ['ICD-10-CM Z33.3 gestational carrier', [condition([icd('Z33.3')])]],
  ['ICD-10-CM O99281 sent without its dot', [condition([icd('O99281')])]],
  ['ICD-10-CM Z34.81 supervision of normal pregnancy', [condition([icd('Z34.81')])]],
  ['ICD-10-CM O9A.111 in lower case', [condition([icd('o9a.111')])]],
  ['SNOMED CT 77386006 pregnancy', [condition([sct('77386006', 'Pregnancy')])]],
  ['SNOMED CT 72892002 normal pregnancy, no display', [condition([sct('72892002')])]],
  ['SNOMED CT 169560008 pregnant, urine test confirms', [condition([sct('169560008')])]],
  ['SNOMED CT 237238006 pregnancy with uncertain dates', [condition([sct('237238006')])]],
  [
    'a local code first, SNOMED CT second',
    [condition([{ system: 'urn:oid:1.2.3.4.5', code: 'PREG' }, sct('77386006')])],
  ],
  ['text only: "Pregnant"', [condition([], { text: 'Pregnant' })]],
  ['pregnancy-status observation 82810-3 = pregnant', [coded('82810-3', sct('77386006'))]],
  ['urine hCG 2106-3 = positive', [coded('2106-3', sct('10828004'))]],
  [
    'rapid urine hCG 80384-1 with interpretation POS',
    [coded('80384-1', undefined, { interpretation: [{ coding: [{ code: 'POS' }] }] })],
  ],
  ['serum hCG 2118-8 valueString "Positive"', [coded('2118-8', undefined, { valueString: 'Positive' })]],
];
for (const [how, resources] of pregnancyWays) {
  add({
    id: `preg-statin-${cases.length + 1}`,
    title: `No statin start in pregnancy: ${how}`,
    source: SRC.statinPregnancy,
    hook: 'patient-view',
    patient: patient(41, 'female'),
    resources: [...diabeticBase(), ...resources],
    mustNot: [STATIN],
  });
}
add({
  id: 'preg-statin-control',
  title: 'Control: the same woman, not pregnant, is offered the statin',
  source: SRC.statinPregnancy,
  hook: 'patient-view',
  patient: patient(41, 'female'),
  resources: diabeticBase(),
  must: [STATIN],
});
add({
  id: 'preg-statin-negative-hcg',
  title: 'Control: a negative hCG does not withhold the statin',
  source: SRC.statinPregnancy,
  hook: 'patient-view',
  patient: patient(41, 'female'),
  resources: [...diabeticBase(), coded('2106-3', sct('260385009'))],
  must: [STATIN],
});
add({
  id: 'preg-statin-old',
  title: 'Control: a pregnancy recorded two years ago and never resolved does not withhold the statin',
  source: SRC.statinPregnancy,
  hook: 'patient-view',
  patient: patient(41, 'female'),
  resources: [...diabeticBase(), condition([sct('72892002')], { days: 730 })],
  must: [STATIN],
});

// ── A2. Pregnancy and an ACE inhibitor draft (order-sign): the pregnancy card. ──────────────
const lisinoprilWays: Code[] = [rx('29046', 'lisinopril'), rx('314076'), rx('197884'), rx('311353')];
const pregnancyShort: Array<[string, Resource]> = [
  ['O26.891', condition([icd('O26.891')])],
  ['SNOMED 72892002', condition([sct('72892002')])],
  ['Z3A.20', condition([icd('Z3A20')])],
];
for (const drug of lisinoprilWays)
  for (const [how, preg] of pregnancyShort)
    add({
      id: `preg-acei-${drug.code}-${how}`,
      title: `Lisinopril ${drug.code}${drug.display ? '' : ' (code only)'} drafted in pregnancy coded ${how}`,
      source: SRC.aceiPregnancy,
      hook: 'order-sign',
      patient: patient(30, 'female'),
      resources: [preg, bp(146, 94, 10), bp(148, 92, 40)],
      drafts: [medication(drug, { draft: true })],
      must: [/^safetypregraasinhibitor/],
    });

// ── C. Hospice, palliative and comfort care: no preventive start. ──────────────────────────
const hospiceWays: Array<[string, Resource]> = [
  ['Condition Z51.5 palliative care encounter', condition([icd('Z51.5')])],
  ['Condition SNOMED 385763009 hospice care', condition([sct('385763009')])],
  ['Condition SNOMED 170935008 full care by hospice', condition([sct('170935008')])],
  ['Encounter type SNOMED 385763009 hospice care', encounter([sct('385763009')])],
  ['Encounter type SNOMED 305686008 seen by palliative care physician', encounter([sct('305686008')])],
  ['Encounter type CPT 99377 hospice care supervision', encounter([{ system: CPT, code: '99377' }])],
  ['Encounter type HCPCS Q5003 hospice in a nursing facility', encounter([{ system: HCPCS, code: 'Q5003' }])],
  [
    'Encounter reason SNOMED 133918004 comfort measures',
    encounter([sct('185349003')], { reason: [sct('133918004')] }),
  ],
  [
    'Encounter discharge disposition: home hospice',
    encounter([sct('32485007')], { disposition: sct('428361000124107') }),
  ],
  ['Condition text only "Hospice care"', condition([], { text: 'Hospice care' })],
  // The issue names Procedure, ServiceRequest and CarePlan too. The eCQM Hospice library reads
  // "Hospice Care Ambulatory" as a ServiceRequest (an active or completed order) or a Procedure;
  // PalliativeCare reads "Palliative Care Intervention" as a Procedure.
  ['Procedure SNOMED 385763009 hospice care', procedure([sct('385763009')])],
  ['Procedure SNOMED 103735009 palliative care, no display', procedure([sct('103735009')])],
  ['Procedure HCPCS G0182 hospice supervision', procedure([{ system: HCPCS, code: 'G0182' }])],
  [
    'ServiceRequest SNOMED 306205009 referral to hospice',
    serviceRequest([sct('306205009', 'Referral to hospice')]),
  ],
  [
    'ServiceRequest SNOMED 385763009 hospice care, completed',
    serviceRequest([sct('385763009')], { status: 'completed' }),
  ],
  ['ServiceRequest SNOMED 306237005 referral to palliative care service', serviceRequest([sct('306237005')])],
  ['CarePlan category SNOMED 182964004 terminal care', carePlan([sct('182964004')], { startDays: 500 })],
  [
    'CarePlan activity SNOMED 133918004 comfort measures',
    carePlan([sct('133918004')], { where: 'activity' }),
  ],
  ['CarePlan category SNOMED 103735009 palliative care', carePlan([sct('103735009', 'Palliative care')])],
];
/** The ways above read from Procedure, ServiceRequest and CarePlan. */
const hospiceOtherResources = hospiceWays.slice(10);
for (const [how, resource] of hospiceWays) {
  add({
    id: `hospice-statin-${cases.length + 1}`,
    title: `No statin start in hospice or palliative care: ${how}`,
    source: SRC.hospice,
    hook: 'patient-view',
    patient: patient(70, 'male'),
    resources: [...diabeticBase(), resource],
    mustNot: [STATIN],
  });
}
for (const [how, resource] of hospiceWays.slice(0, 5))
  add({
    id: `hospice-af-${cases.length + 1}`,
    title: `No anticoagulation start in hospice: ${how}`,
    source: SRC.hospice,
    hook: 'patient-view',
    patient: patient(72, 'male'),
    resources: [...afBase(), resource],
    mustNot: [/^rxafanticoagulation/],
  });
for (const [how, resource] of hospiceWays.slice(3, 6))
  add({
    id: `hospice-opioid-${cases.length + 1}`,
    title: `No CDC opioid-guideline card in hospice: ${how}`,
    source: SRC.cdcScope,
    hook: 'patient-view',
    patient: patient(68, 'female'),
    resources: [
      medication(rx('7804', 'oxycodone 30 MG every 6 hours'), { text: 'oxycodone 30 mg every 6 hours' }),
      resource,
    ],
    mustNot: [/^rxopioid/],
  });
for (const [how, resource] of hospiceOtherResources)
  add({
    id: `hospice-af-${cases.length + 1}`,
    title: `No anticoagulation start in hospice: ${how}`,
    source: SRC.hospice,
    hook: 'patient-view',
    patient: patient(72, 'male'),
    resources: [...afBase(), resource],
    mustNot: [/^rxafanticoagulation/],
  });
const hospiceControls: Array<[string, Resource]> = [
  // eCQM Status library: an intervention order counts when active or completed, intent order.
  ['a revoked referral to hospice', serviceRequest([sct('306205009')], { status: 'revoked' })],
  ['a referral to hospice only proposed', serviceRequest([sct('306205009')], { intent: 'proposal' })],
  ['a referral to hospice three years ago', serviceRequest([sct('306205009')], { days: 1100 })],
  ['a hospice procedure not done', procedure([sct('385763009')], { status: 'not-done' })],
  [
    'a palliative care plan completed two years ago',
    carePlan([sct('103735009')], { status: 'completed', startDays: 900, endDays: 730 }),
  ],
  ['a terminal-care plan entered in error', carePlan([sct('182964004')], { status: 'entered-in-error' })],
];
for (const [how, resource] of hospiceControls)
  add({
    id: `hospice-control-${cases.length + 1}`,
    title: `Control: ${how} does not withhold the statin`,
    source: SRC.hospice,
    hook: 'patient-view',
    patient: patient(70, 'male'),
    resources: [...diabeticBase(), resource],
    must: [STATIN],
  });
add({
  id: 'hospice-old-encounter',
  title: 'Control: a hospice encounter three years ago does not withhold the statin',
  source: SRC.hospice,
  hook: 'patient-view',
  patient: patient(70, 'male'),
  resources: [...diabeticBase(), encounter([sct('385763009')], { days: 1100 })],
  must: [STATIN],
});

// ── D. Documented intolerance: never the same drug; say so when proposing another. ─────────
const atorvastatinIntolerance: Array<[string, Resource]> = [
  ['atorvastatin ingredient code', intolerance(rx('83367', 'atorvastatin'))],
  ['atorvastatin 20 mg clinical-drug code, no display', intolerance(rx('617310'))],
  ['text only "Lipitor"', intolerance(undefined, 'Lipitor')],
  ['allergy (not intolerance) to atorvastatin', intolerance(rx('83367'), undefined, 'allergy')],
];
for (const [how, ai] of atorvastatinIntolerance)
  add({
    id: `intolerance-atorva-${cases.length + 1}`,
    title: `Atorvastatin intolerance (${how}): the statin card never proposes atorvastatin`,
    source: SRC.statinIntolerance,
    hook: 'patient-view',
    patient: patient(60, 'male'),
    resources: [...diabeticBase(), ai],
    mustNotPropose: /atorvastatin/i,
  });
const statinClassReaction: Array<[string, Resource]> = [
  ['SNOMED 16462851000119106 myalgia caused by statin', condition([sct('16462851000119106')])],
  ['SNOMED 240101000 drug-induced myopathy', condition([sct('240101000')])],
  ['ICD-10-CM G72.0 drug-induced myopathy', condition([icd('G72.0')])],
  ['ICD-10-CM M62.82 rhabdomyolysis', condition([icd('M62.82')])],
];
for (const [how, c] of statinClassReaction)
  add({
    id: `intolerance-statin-class-${cases.length + 1}`,
    title: `Statin-associated muscle symptoms (${how}): no statin start`,
    source: SRC.statinIntolerance,
    hook: 'patient-view',
    patient: patient(60, 'male'),
    resources: [...diabeticBase(), c],
    mustNot: [STATIN],
  });
for (const draft of [rx('617310'), rx('83367', 'atorvastatin'), rx('259255')])
  add({
    id: `intolerance-draft-${draft.code}`,
    title: `Atorvastatin ${draft.code} drafted despite a documented atorvastatin intolerance: an allergy card`,
    source: SRC.statinIntolerance,
    hook: 'order-sign',
    patient: patient(60, 'male'),
    resources: [intolerance(rx('83367', 'atorvastatin'))],
    drafts: [medication(draft, { draft: true })],
    must: [/^safetyallergy/],
  });

// ── E. Atrial fibrillation coded every way; bleeding withholds the start. ──────────────────
const afWays: Array<[string, Code[]]> = [
  ['ICD-10-CM I48.91', [icd('I48.91')]],
  ['ICD-10-CM I4891 without the dot', [icd('I4891')]],
  ['ICD-10-CM I48.0 paroxysmal', [icd('I48.0')]],
  ['ICD-10-CM I48.11 longstanding persistent', [icd('I48.11')]],
  ['ICD-10-CM I48.20 chronic, unspecified', [icd('I48.20')]],
  ['SNOMED CT 49436004 atrial fibrillation', [sct('49436004')]],
  ['SNOMED CT 282825002 paroxysmal AF, no display', [sct('282825002')]],
  ['SNOMED CT 440028005 permanent AF', [sct('440028005')]],
  ['SNOMED CT 426749004 chronic AF', [sct('426749004')]],
  ['SNOMED CT 706923002 longstanding persistent AF', [sct('706923002')]],
];
for (const [how, codes] of afWays)
  add({
    id: `af-${cases.length + 1}`,
    title: `AF coded ${how}, CHA2DS2-VASc 2: anticoagulation is proposed`,
    source: SRC.af,
    hook: 'patient-view',
    patient: patient(72, 'male'),
    resources: afBase(codes),
    must: [/^rxafanticoagulation/],
  });
const bleedingWays: Array<[string, Resource]> = [
  ['ICD-10-CM K92.2 GI hemorrhage', condition([icd('K92.2')])],
  ['ICD-10-CM K92.1 melena', condition([icd('K92.1')])],
  ['ICD-10-CM K25.4 gastric ulcer with hemorrhage', condition([icd('K25.4')])],
  ['ICD-10-CM I61.9 intracerebral hemorrhage', condition([icd('I61.9')])],
  ['ICD-10-CM I62.9 intracranial hemorrhage', condition([icd('I62.9')])],
  ['ICD-10-CM R58 hemorrhage, not elsewhere classified', condition([icd('R58')])],
  ['SNOMED CT 74474003 GI hemorrhage', condition([sct('74474003')])],
  ['SNOMED CT 274100004 cerebral hemorrhage', condition([sct('274100004')])],
  ['resolved GI hemorrhage 30 days ago', condition([icd('K92.2')], { clinicalStatus: 'resolved', days: 30 })],
];
for (const [how, c] of bleedingWays)
  add({
    id: `bleeding-af-${cases.length + 1}`,
    title: `AF with active or recent bleeding (${how}): no anticoagulation start`,
    source: SRC.bleeding,
    hook: 'patient-view',
    patient: patient(72, 'male'),
    resources: [...afBase(), c],
    mustNot: [/^rxafanticoagulation/],
  });
add({
  id: 'bleeding-af-remote',
  title: 'Control: a GI bleed resolved three years ago does not withhold anticoagulation',
  source: SRC.af,
  hook: 'patient-view',
  patient: patient(72, 'male'),
  resources: [...afBase(), condition([icd('K92.2')], { clinicalStatus: 'resolved', days: 1100 })],
  must: [/^rxafanticoagulation/],
});

// ── F. Age bands: primary-prevention statins above 75 are a shared decision at most. ────────
for (const age of [76, 78, 82, 88])
  add({
    id: `age-diabetes-${age}`,
    title: `Diabetes at ${age}: a statin card is information at most`,
    source: SRC.age,
    hook: 'patient-view',
    patient: patient(age, 'female'),
    resources: diabeticBase(),
    infoAtMost: STATIN,
  });
for (const age of [77, 81])
  add({
    id: `age-ldl190-${age}`,
    title: `LDL 195 mg/dL at ${age}: a statin card is information at most`,
    source: SRC.age,
    hook: 'patient-view',
    patient: patient(age, 'male'),
    resources: [quantity('18262-6', 195, 'mg/dL'), bp(124, 76, 10), bp(122, 74, 70)],
    infoAtMost: STATIN,
  });
add({
  id: 'age-diabetes-74',
  title: 'Control: diabetes at 74 is offered the statin',
  source: SRC.age,
  hook: 'patient-view',
  patient: patient(74, 'female'),
  resources: diabeticBase(),
  must: [STATIN],
});

// ── G. Dialysis and end-stage kidney disease: no statin start. ─────────────────────────────
const dialysisWays: Array<[string, Resource]> = [
  ['ICD-10-CM N18.6 ESRD', condition([icd('N18.6')])],
  ['ICD-10-CM Z99.2 dependence on dialysis', condition([icd('Z99.2')])],
  ['ICD-10-CM Z49.31 encounter for hemodialysis', condition([icd('Z49.31')])],
  ['SNOMED CT 46177005 ESRD', condition([sct('46177005')])],
  ['SNOMED CT 236435004 ESRD on dialysis', condition([sct('236435004')])],
  ['Encounter SNOMED 302497006 hemodialysis', encounter([sct('302497006')], { days: 3 })],
  ['Encounter CPT 90935 hemodialysis', encounter([{ system: CPT, code: '90935' }], { days: 3 })],
];
for (const [how, r] of dialysisWays)
  add({
    id: `dialysis-statin-${cases.length + 1}`,
    title: `Dialysis or ESRD (${how}): no statin start`,
    source: SRC.dialysis,
    hook: 'patient-view',
    patient: patient(62, 'male'),
    resources: [...diabeticBase(), r],
    mustNot: [STATIN],
  });

// ── H. Drug–disease through the terminology layer. ────────────────────────────────────────
const hfWays: Array<[string, Resource]> = [
  ['ICD-10-CM I50.22 chronic systolic HF', condition([icd('I50.22')])],
  ['ICD-10-CM I50.32 chronic diastolic HF', condition([icd('I50.32')])],
  ['ICD-10-CM I50.9 HF unspecified', condition([icd('I50.9')])],
  ['ICD-10-CM I5030 without the dot', condition([icd('I5030')])],
  ['ICD-10-CM I50.810 right heart failure', condition([icd('I50.810')])],
  ['SNOMED CT 84114007 heart failure', condition([sct('84114007')])],
  ['SNOMED CT 42343007 congestive HF, no display', condition([sct('42343007')])],
  ['SNOMED CT 88805009 chronic congestive HF', condition([sct('88805009')])],
  ['SNOMED CT 446221000 HF with preserved EF', condition([sct('446221000')])],
  ['SNOMED CT 417996009 systolic HF', condition([sct('417996009')])],
];
for (const [how, hf] of hfWays)
  for (const drug of [rx('312440'), rx('312860')])
    add({
      id: `tzd-hf-${drug.code}-${cases.length + 1}`,
      title: `Thiazolidinedione ${drug.code} (code only) drafted in heart failure coded ${how}`,
      source: SRC.tzd,
      hook: 'order-sign',
      patient: patient(66, 'male'),
      resources: [diabetes, hf],
      drafts: [medication(drug, { draft: true })],
      must: [/^safetycondtzdhf/],
    });
add({
  id: 'tzd-no-hf',
  title: 'Control: pioglitazone without heart failure raises no heart-failure card',
  source: SRC.tzd,
  hook: 'order-sign',
  patient: patient(66, 'male'),
  resources: [diabetes],
  drafts: [medication(rx('312440'), { draft: true })],
  mustNot: [/^safetycondtzdhf/],
});
const asthmaWays: Array<[string, Resource]> = [
  ['ICD-10-CM J45.909 unspecified asthma', condition([icd('J45.909')])],
  ['ICD-10-CM J45.20 mild intermittent', condition([icd('J45.20')])],
  ['ICD-10-CM J45.41 moderate persistent with exacerbation', condition([icd('J45.41')])],
  ['ICD-10-CM J4550 severe persistent, no dot', condition([icd('J4550')])],
  ['ICD-10-CM J45.991 cough variant asthma', condition([icd('J45.991')])],
  ['SNOMED CT 195967001 asthma', condition([sct('195967001')])],
  ['SNOMED CT 233678006 childhood asthma', condition([sct('233678006')])],
  ['SNOMED CT 426979002 mild persistent asthma', condition([sct('426979002')])],
  ['SNOMED CT 427295004 moderate persistent asthma', condition([sct('427295004')])],
  ['SNOMED CT 370221004 severe asthma, no display', condition([sct('370221004')])],
  ['SNOMED CT 389145006 allergic asthma', condition([sct('389145006')])],
];
for (const [how, asthma] of asthmaWays)
  for (const drug of [rx('856457'), rx('198006')])
    add({
      id: `bb-asthma-${drug.code}-${cases.length + 1}`,
      title: `Non-selective beta-blocker ${drug.code} (code only) drafted in asthma coded ${how}`,
      source: SRC.bbAsthma,
      hook: 'order-sign',
      patient: patient(45, 'female'),
      resources: [asthma],
      drafts: [medication(drug, { draft: true })],
      must: [/^safetycondnonselectivebetablockerasthma/],
    });
add({
  id: 'bb-no-asthma',
  title: 'Control: propranolol without asthma raises no asthma card',
  source: SRC.bbAsthma,
  hook: 'order-sign',
  patient: patient(45, 'female'),
  resources: [condition([icd('I10')])],
  drafts: [medication(rx('856457'), { draft: true })],
  mustNot: [/^safetycondnonselectivebetablockerasthma/],
});
for (const [how, hf] of hfWays.slice(0, 6))
  add({
    id: `nsaid-hf-${cases.length + 1}`,
    title: `Ibuprofen drafted in heart failure coded ${how}`,
    source: SRC.nsaidHf,
    hook: 'order-sign',
    patient: patient(70, 'female'),
    resources: [hf],
    drafts: [
      medication(rx('5640', 'ibuprofen'), { draft: true, text: 'ibuprofen 600 mg three times daily' }),
    ],
    must: [/^safetycondnsaidhfref/],
  });
const ckdWays: Array<[string, Resource]> = [
  ['ICD-10-CM N18.4', condition([icd('N18.4')])],
  ['ICD-10-CM N1832 without the dot', condition([icd('N1832')])],
  ['SNOMED CT 431857002 CKD stage 4', condition([sct('431857002')])],
];
for (const [how, ckd] of ckdWays)
  add({
    id: `nsaid-ckd-${cases.length + 1}`,
    title: `Naproxen drafted in CKD coded ${how}`,
    source: SRC.nsaidCkd,
    hook: 'order-sign',
    patient: patient(58, 'male'),
    resources: [ckd],
    drafts: [medication(rx('7258', 'naproxen'), { draft: true, text: 'naproxen 500 mg twice daily' })],
    must: [/^safetycondnsaidckd/],
  });

// ── I. Interactions with drugs coded only by clinical-drug codes. ──────────────────────────
const interactionPairs: Array<[string, Code, Code, RegExp, Resource[]]> = [
  ['simvastatin 20 + clarithromycin 500', rx('312961'), rx('197517'), /^safetyddistatinstrongcyp3a4/, []],
  ['simvastatin 40 + clarithromycin 250', rx('198211'), rx('197516'), /^safetyddistatinstrongcyp3a4/, []],
  ['lovastatin 40 + clarithromycin ER', rx('197905'), rx('359385'), /^safetyddistatinstrongcyp3a4/, []],
  [
    'lovastatin 20 + itraconazole',
    rx('197904'),
    rx('28031', 'itraconazole'),
    /^safetyddistatinstrongcyp3a4/,
    [],
  ],
  [
    'simvastatin 80 + ketoconazole',
    rx('200345'),
    rx('6135', 'ketoconazole'),
    /^safetyddistatinstrongcyp3a4/,
    [],
  ],
  [
    'colchicine + clarithromycin, eGFR 45',
    rx('2683', 'colchicine'),
    rx('197517'),
    /^safetyddicolchicine/,
    [quantity('98979-8', 45, 'mL/min/{1.73_m2}')],
  ],
  ['warfarin 5 + ibuprofen', rx('855332'), rx('5640', 'ibuprofen'), /^safetyddiwarfarinnsaid/, []],
  ['warfarin 1 + naproxen', rx('855288'), rx('7258', 'naproxen'), /^safetyddiwarfarinnsaid/, []],
  ['apixaban 5 + ibuprofen', rx('1364445'), rx('5640', 'ibuprofen'), /^safetyddidoacnsaid/, []],
  ['lisinopril 40 + spironolactone 25', rx('197884'), rx('313096'), /^safetyddiraaspotassiumsparing/, []],
];
for (const [how, active, draft, topic, extra] of interactionPairs)
  add({
    id: `ddi-${cases.length + 1}`,
    title: `Interaction, codes only: ${how}`,
    source: topic.source.includes('statin')
      ? SRC.simvastatin
      : topic.source.includes('colchicine')
        ? SRC.colchicine
        : topic.source.includes('raas')
          ? SRC.raasK
          : SRC.warfarinNsaid,
    hook: 'order-sign',
    patient: patient(67, 'male'),
    resources: [medication(active), ...extra],
    drafts: [medication(draft, { draft: true })],
    must: [topic],
  });
add({
  id: 'ddi-pravastatin-control',
  title: 'Control: pravastatin with clarithromycin raises no CYP3A4 statin card',
  source: SRC.simvastatin,
  hook: 'order-sign',
  patient: patient(67, 'male'),
  resources: [medication(rx('904475'))],
  drafts: [medication(rx('197517'), { draft: true })],
  mustNot: [/^safetyddistatinstrongcyp3a4/],
});

// ── J. AGS Beers 2023 "avoid" from 65. ────────────────────────────────────────────────────
const beers: Array<[string, Code, RegExp]> = [
  ['lorazepam 1 mg', rx('197901'), /^safetybeersbenzodiazepine/],
  ['alprazolam 0.25 mg', rx('308047'), /^safetybeersbenzodiazepine/],
  ['diazepam 5 mg', rx('197591'), /^safetybeersbenzodiazepine/],
  ['glyburide 2.5 mg', rx('310534'), /^safetybeerssulfonylurea/],
  ['glimepiride 2 mg', rx('199246'), /^safetybeerssulfonylurea/],
  ['indomethacin 25 mg', rx('197817'), /^safetybeersindomethacinketorolac/],
  ['ketorolac 10 mg', rx('834022'), /^safetybeersindomethacinketorolac/],
];
for (const [how, drug, topic] of beers) {
  add({
    id: `beers-${drug.code}`,
    title: `Beers 2023 avoid at 78: ${how} (code only)`,
    source: SRC.beers,
    hook: 'order-sign',
    patient: patient(78, 'female'),
    resources: [],
    drafts: [medication(drug, { draft: true })],
    must: [topic],
  });
}
add({
  id: 'beers-control-50',
  title: 'Control: lorazepam at 50 raises no Beers card',
  source: SRC.beers,
  hook: 'order-sign',
  patient: patient(50, 'female'),
  resources: [],
  drafts: [medication(rx('197901'), { draft: true })],
  mustNot: [/^safetybeers/],
});

// ── K. Potassium-raising drugs when the newest potassium is high. ─────────────────────────
const kWays: Array<[string, Resource[], Code, RegExp | undefined, RegExp | undefined]> = [
  [
    'K 5.6 mmol/L, spironolactone 25',
    [quantity('2823-3', 5.6, 'mmol/L')],
    rx('313096'),
    /^safetypotassiumsparinghyperkalemia/,
    undefined,
  ],
  [
    'K 5.6 meq/L, spironolactone 50',
    [quantity('2823-3', 5.6, 'meq/L')],
    rx('198223'),
    /^safetypotassiumsparinghyperkalemia/,
    undefined,
  ],
  [
    'K 5.8 whole blood 6298-4, eplerenone',
    [quantity('6298-4', 5.8, 'mmol/L')],
    rx('351256'),
    /^safetypotassiumsparinghyperkalemia/,
    undefined,
  ],
  [
    'K 5.7 (77142-8), potassium chloride',
    [quantity('77142-8', 5.7, 'mmol/L')],
    rx('8591', 'potassium chloride'),
    /^safetypotassiumsparinghyperkalemia/,
    undefined,
  ],
  [
    'K 5.4, lisinopril 2.5',
    [quantity('2823-3', 5.4, 'mmol/L')],
    rx('311353'),
    /^safetyraashyperkalemia/,
    undefined,
  ],
  [
    'K 5.5, losartan 50',
    [quantity('2823-3', 5.5, 'mmol/L')],
    rx('979492'),
    /^safetyraashyperkalemia/,
    undefined,
  ],
  [
    'newest K 4.2 after an older 5.9: fresh data wins',
    [quantity('2823-3', 5.9, 'mmol/L', 40), quantity('2823-3', 4.2, 'mmol/L', 2)],
    rx('313096'),
    undefined,
    /hyperkalemia/,
  ],
  [
    'K 5.9 measured 200 days ago: past the look-back',
    [quantity('2823-3', 5.9, 'mmol/L', 200)],
    rx('313096'),
    undefined,
    /hyperkalemia/,
  ],
];
for (const [how, labs, drug, must, mustNot] of kWays)
  add({
    id: `potassium-${cases.length + 1}`,
    title: `Potassium: ${how}`,
    source: drug.code === '311353' || drug.code === '979492' ? SRC.raasK : SRC.potassium,
    hook: 'order-sign',
    patient: patient(64, 'male'),
    resources: labs,
    drafts: [medication(drug, { draft: true })],
    ...(must ? { must: [must] } : {}),
    ...(mustNot ? { mustNot: [mustNot] } : {}),
  });

// ── L. Fresh data: eGFR from the newest creatinine, in the units reported. ────────────────
const renal: Array<[string, Resource[], boolean]> = [
  [
    'creatinine 2.6 mg/dL yesterday after an eGFR of 68 a year ago',
    [quantity('33914-3', 68, 'mL/min/{1.73_m2}', 330), quantity('2160-0', 2.6, 'mg/dL', 1)],
    true,
  ],
  [
    'creatinine 230 umol/L yesterday after an eGFR of 68',
    [quantity('98979-8', 68, 'mL/min/{1.73_m2}', 330), quantity('14682-9', 230, 'umol/L', 1)],
    true,
  ],
  ['eGFR 25 reported last week', [quantity('98979-8', 25, 'mL/min/{1.73_m2}', 7)], true],
  [
    'control: creatinine 0.8 mg/dL newer than an old eGFR of 25',
    [quantity('98979-8', 25, 'mL/min/{1.73_m2}', 400), quantity('2160-0', 0.8, 'mg/dL', 3)],
    false,
  ],
];
for (const [how, labs, fires] of renal)
  add({
    id: `renal-metformin-${cases.length + 1}`,
    title: `Metformin drafted: ${how}`,
    source: SRC.metforminRenal,
    hook: 'order-sign',
    patient: patient(70, 'female'),
    resources: [diabetes, ...labs],
    drafts: [medication(rx('861004'), { draft: true })],
    ...(fires ? { must: [/^safetyrenalmetformin/] } : { mustNot: [/^safetyrenalmetformin/] }),
  });

// ── M. Values older than a look-back are treated as missing, and the card says so. ────────
// Order-sign: a kidney function or potassium value that would have mattered, but is not current.
const notCurrent: Array<[string, Resource[], Code, RegExp[], RegExp[], string, RegExp | undefined]> = [
  [
    'metformin drafted; the only eGFR, 25, is 2 years old',
    [diabetes, quantity('33914-3', 25, 'mL/min/{1.73_m2}', 730)],
    rx('861004'),
    [/^safetyrenalfunctionnotcurrent/],
    [/^safetyrenalmetformin/],
    SRC.metforminEgfrCurrent,
    /Treated as missing:\*\* eGFR 25 .* is older than the 12-month look-back/,
  ],
  [
    'metformin drafted; the only creatinine, 2.6 mg/dL, is 18 months old',
    [diabetes, quantity('2160-0', 2.6, 'mg/dL', 540)],
    rx('861004'),
    [/^safetyrenalfunctionnotcurrent/],
    [/^safetyrenalmetformin/],
    SRC.metforminEgfrCurrent,
    /Treated as missing:\*\* creatinine \(for eGFR\) 2\.6 mg\/dL/,
  ],
  [
    'control: metformin drafted; an old eGFR of 80 would not have mattered',
    [diabetes, quantity('33914-3', 80, 'mL/min/{1.73_m2}', 730)],
    rx('861004'),
    [],
    [/^safetyrenal/],
    SRC.metforminEgfrCurrent,
    undefined,
  ],
  [
    'control: metformin drafted; eGFR 25 measured 6 months ago is current',
    [diabetes, quantity('33914-3', 25, 'mL/min/{1.73_m2}', 180)],
    rx('861004'),
    [/^safetyrenalmetforminegfr30/],
    [/^safetyrenalfunctionnotcurrent/],
    SRC.metforminRenal,
    undefined,
  ],
  [
    'spironolactone drafted; the last potassium, 5.9, is 200 days old',
    [quantity('2823-3', 5.9, 'mmol/L', 200)],
    rx('198223'),
    [/^safetypotassiumnotcurrent/],
    [/hyperkalemia/],
    SRC.mraPotassium,
    /Treated as missing:\*\* potassium 5\.9 mmol\/L .* is older than the 90-day look-back/,
  ],
  [
    'lisinopril drafted; the last potassium, 5.6 meq/L, is 4 months old',
    [quantity('2823-3', 5.6, 'meq/L', 120)],
    rx('311353'),
    [/^safetypotassiumnotcurrent/],
    [/hyperkalemia/],
    SRC.raasPotassium,
    /Treated as missing:\*\* potassium 5\.6/,
  ],
  [
    'control: spironolactone drafted; an old normal potassium asks for nothing',
    [quantity('2823-3', 4.3, 'mmol/L', 200)],
    rx('198223'),
    [],
    [/^safetypotassium/],
    SRC.mraPotassium,
    undefined,
  ],
];
for (const [how, resources, drug, must, mustNot, source, say] of notCurrent)
  add({
    id: `not-current-${cases.length + 1}`,
    title: `Not current: ${how}`,
    source,
    hook: 'order-sign',
    patient: patient(68, 'female'),
    resources,
    drafts: [medication(drug, { draft: true })],
    ...(must.length ? { must } : {}),
    mustNot,
    ...(say && must[0] ? { mustSay: { topic: must[0], text: say } } : {}),
  });

// Order-sign: the other kidney-function checks, each with its own look-back (CrCl from creatinine and weight).
const crclNotCurrent: Array<[string, Resource[], Code, RegExp[], RegExp[], string, RegExp | undefined]> = [
  [
    'ibuprofen drafted; CrCl 25 from a creatinine of 2.3 mg/dL 14 months old',
    [quantity('2160-0', 2.3, 'mg/dL', 420), quantity('29463-7', 60, 'kg', 20)],
    rx('5640', 'ibuprofen'),
    [/^safetyrenalfunctionnotcurrent/],
    [/^safetyrenalnsaid/],
    SRC.nsaidCrcl,
    /Treated as missing:\*\* creatinine \(for CrCl\) 2\.3 mg\/dL .* is older than the 12-month look-back/,
  ],
  [
    'control: ibuprofen drafted; the same creatinine measured last month',
    [quantity('2160-0', 2.3, 'mg/dL', 30), quantity('29463-7', 60, 'kg', 20)],
    rx('5640', 'ibuprofen'),
    [/^safetyrenalnsaidcrcl30/],
    [/^safetyrenalfunctionnotcurrent/],
    SRC.nsaidCrcl,
    undefined,
  ],
  [
    'spironolactone drafted; the only eGFR, 25, is 2 years old',
    [quantity('33914-3', 25, 'mL/min/{1.73_m2}', 730), quantity('2823-3', 4.4, 'mmol/L', 10)],
    rx('198223'),
    [/^safetyrenalfunctionnotcurrent/],
    [/^safetyrenalmra/],
    SRC.mraPotassium,
    /Treated as missing:\*\* eGFR 25 .* is older than the 12-month look-back/,
  ],
  [
    'control: spironolactone drafted; eGFR 25 last month',
    [quantity('33914-3', 25, 'mL/min/{1.73_m2}', 30), quantity('2823-3', 4.4, 'mmol/L', 10)],
    rx('198223'),
    [/^safetyrenalmraegfr30/],
    [/^safetyrenalfunctionnotcurrent/],
    SRC.mraPotassium,
    undefined,
  ],
];
for (const [how, resources, drug, must, mustNot, source, say] of crclNotCurrent)
  add({
    id: `not-current-${cases.length + 1}`,
    title: `Not current: ${how}`,
    source,
    hook: 'order-sign',
    patient: patient(70, 'male'),
    resources,
    drafts: [medication(drug, { draft: true })],
    must,
    mustNot,
    ...(say && must[0] ? { mustSay: { topic: must[0], text: say } } : {}),
  });

// Patient-view: a recommendation that reads a value older than its look-back says so.
/** HFrEF on an ARNI, carvedilol and dapagliflozin: the MRA is the pillar left. */
const hfrefOnThreePillars = (potassiumDays: number): Resource[] => [
  condition([icd('I50.22')]),
  quantity('10230-1', 30, '%', 30),
  quantity('33914-3', 62, 'mL/min/{1.73_m2}', 20),
  quantity('2823-3', 4.2, 'mmol/L', potassiumDays),
  medication(rx('1656340')),
  medication(rx('200031')),
  medication(rx('1488569')),
];
add({
  id: 'not-current-hfref-mra-potassium',
  title: 'HFrEF, MRA due; the last potassium is 500 days old: "start once potassium is confirmed", saying so',
  source: SRC.mraPotassium,
  hook: 'patient-view',
  patient: patient(66, 'male'),
  resources: hfrefOnThreePillars(500),
  must: [/^rxhfrefmra/],
  mustSay: {
    topic: /^rxhfrefmra/,
    text: /once potassium is confirmed[\s\S]*Treated as missing:\*\* potassium 4\.2 mmol\/L .* is older than the 12-month look-back/,
  },
});
add({
  id: 'not-current-hfref-mra-potassium-control',
  title: 'Control: HFrEF, MRA due, potassium 4.2 last month: a plain MRA start, nothing set aside',
  source: SRC.mraPotassium,
  hook: 'patient-view',
  patient: patient(66, 'male'),
  resources: hfrefOnThreePillars(30),
  must: [/^rxhfrefmra/],
  mustSay: { topic: /^rxhfrefmra/, text: /^(?![\s\S]*Treated as missing)[\s\S]*spironolactone/i },
});
add({
  id: 'not-current-ckd-raasi-potassium',
  title: 'Albuminuric CKD, RAS inhibitor due; the last potassium is 2 years old: the card says so',
  source: SRC.raasPotassium,
  hook: 'patient-view',
  patient: patient(45, 'female'),
  resources: [
    condition([icd('N18.3')]),
    quantity('9318-7', 420, 'mg/g', 20),
    quantity('33914-3', 52, 'mL/min/{1.73_m2}', 20),
    quantity('2823-3', 4.6, 'mmol/L', 730),
  ],
  must: [/^rxckdraasialbuminuria/],
  mustSay: {
    topic: /^rxckdraasialbuminuria/,
    text: /Treated as missing:\*\* potassium 4\.6 mmol\/L .* is older than the 12-month look-back/,
  },
});

// ── N. Hospice as the eCQM Hospice and PalliativeCare libraries read Observations. ────────
const SURVEY = [
  { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'survey' }] },
];
const assessment = (
  loinc: string,
  value: Code | undefined,
  extra: Record<string, unknown> = {},
  days = 20,
): Resource => coded(loinc, value, { category: SURVEY, ...extra }, days);
const mdsWays: Array<[string, Resource, boolean]> = [
  [
    'Hospice care [MDS] 45755-6 answered Yes (SNOMED CT 373066001)',
    assessment('45755-6', sct('373066001')),
    true,
  ],
  [
    'Hospice care [MDS] answered Yes, no category, display only on the answer',
    coded('45755-6', sct('373066001', 'Yes (qualifier value)')),
    true,
  ],
  [
    'FACIT-Pal 71007-9 assessment performed',
    assessment('71007-9', undefined, { valueQuantity: { value: 96 } }),
    true,
  ],
  [
    'control: Hospice care [MDS] answered No (SNOMED CT 373067005)',
    assessment('45755-6', sct('373067005')),
    false,
  ],
  [
    'control: Hospice care [MDS] answered Yes but entered in error',
    assessment('45755-6', sct('373066001'), { status: 'entered-in-error' }),
    false,
  ],
  [
    'control: Hospice care [MDS] answered Yes 2 years ago',
    assessment('45755-6', sct('373066001'), {}, 730),
    false,
  ],
];
for (const [how, obs, inHospice] of mdsWays)
  add({
    id: `hospice-observation-${cases.length + 1}`,
    title: `${how}: ${inHospice ? 'no' : 'the'} statin start`,
    source:
      'eCQM Hospice library 6.12.000 ("Has Hospice Services": Hospice care [Minimum Data Set] answered Yes) and PalliativeCare 1.11.000 (FACIT-Pal assessment): hospice and palliative care exclude the statin measure',
    hook: 'patient-view',
    patient: patient(62, 'male'),
    resources: [...diabeticBase(), obs],
    ...(inHospice ? { mustNot: [STATIN] } : { must: [STATIN] }),
  });

// ── L. Hospice and comfort care: no chronic-disease diagnosis card, no Beers card; the
//    label-based order checks still fire. The eCQM measures for blood-pressure control, diabetes
//    glycemic status, kidney health, BMI and statins exclude hospice and palliative care; the AGS
//    Beers Criteria 2023 apply "in all ambulatory, acute, and institutionalized settings of care,
//    except hospice and end-of-life care settings". ─────────────────────────────────────────
const SRC_HOSPICE_DX =
  'eCQM 2024 Controlling High Blood Pressure, Diabetes Glycemic Status, Kidney Health Evaluation, BMI Screening: hospice and palliative care excluded';
const SRC_HOSPICE_BEERS =
  'AGS Beers Criteria 2023: all settings except hospice and end-of-life care; eCQM Use of High-Risk Medications in Older Adults excludes hospice and palliative care';
const SRC_HOSPICE_LABEL =
  'Drug labels and the allergy record protect the patient in every care setting: no source exempts hospice care';
/** Blood pressure over 140/90 on three separate days, no hypertension on the problem list. */
const untreatedHighBp = (): Resource[] => [bp(154, 96, 5), bp(152, 94, 40), bp(158, 98, 90)];
/** HbA1c at or over 6.5 % twice, no diabetes on the problem list (ADA criteria). */
const untreatedHighA1c = (): Resource[] => [
  quantity('4548-4', 7.4, '%', 10),
  quantity('4548-4', 7.6, '%', 100),
];
const hospiceContexts: Array<[string, () => Resource]> = [
  ['an active comfort-measures care plan', () => carePlan([sct('133918004')])],
  ['a hospice referral', () => serviceRequest([sct('306205009')])],
  ['Z51.5 palliative care', () => condition([icd('Z51.5')])],
];
for (const [how, context] of hospiceContexts) {
  add({
    id: `hospice-dx-htn-${cases.length + 1}`,
    title: `No possible-hypertension card in hospice care (${how})`,
    source: SRC_HOSPICE_DX,
    hook: 'patient-view',
    patient: patient(74, 'female'),
    resources: [...untreatedHighBp(), context()],
    mustNot: [/^dxhtn/],
  });
  add({
    id: `hospice-dx-t2d-${cases.length + 1}`,
    title: `No possible-diabetes card in hospice care (${how})`,
    source: SRC_HOSPICE_DX,
    hook: 'patient-view',
    patient: patient(74, 'female'),
    resources: [...untreatedHighA1c(), context()],
    mustNot: [/^dxt2d/],
  });
  add({
    id: `hospice-beers-${cases.length + 1}`,
    title: `No Beers card for lorazepam at 80 in hospice care (${how})`,
    source: SRC_HOSPICE_BEERS,
    hook: 'order-sign',
    patient: patient(80, 'male'),
    resources: [context()],
    drafts: [medication(rx('197901'), { draft: true })],
    mustNot: [/^safetybeers/],
  });
  add({
    id: `hospice-allergy-${cases.length + 1}`,
    title: `Atorvastatin drafted despite a documented intolerance, in hospice care (${how}): the allergy card still fires`,
    source: SRC_HOSPICE_LABEL,
    hook: 'order-sign',
    patient: patient(80, 'male'),
    resources: [intolerance(rx('83367', 'atorvastatin')), context()],
    drafts: [medication(rx('617310'), { draft: true })],
    must: [/^safetyallergy/],
  });
  add({
    id: `hospice-ddi-${cases.length + 1}`,
    title: `Ibuprofen drafted with warfarin in hospice care (${how}): the interaction card still fires`,
    source: SRC_HOSPICE_LABEL,
    hook: 'order-sign',
    patient: patient(80, 'male'),
    resources: [medication(rx('855332')), context()],
    drafts: [medication(rx('5640', 'ibuprofen'), { draft: true })],
    must: [/^safetyddiwarfarinnsaid/],
  });
}
add({
  id: 'hospice-dx-htn-control',
  title: 'Control: the same blood pressures without hospice care give a possible-hypertension card',
  source: SRC_HOSPICE_DX,
  hook: 'patient-view',
  patient: patient(74, 'female'),
  resources: untreatedHighBp(),
  must: [/^dxhtn/],
});
add({
  id: 'hospice-dx-t2d-control',
  title: 'Control: the same HbA1c values without hospice care give a possible-diabetes card',
  source: SRC_HOSPICE_DX,
  hook: 'patient-view',
  patient: patient(74, 'female'),
  resources: untreatedHighA1c(),
  must: [/^dxt2d/],
});

// ── M. Fresh data wins: a value older than the rule's look-back is treated as missing. ADA
//    Standards of Care 2025 §6: assess A1c at least twice a year (quarterly when not at goal).
const SRC_A1C_LOOKBACK =
  'ADA Standards of Care 2025 §6: HbA1c at least twice a year; a goal is judged on a current value';
const a1cAt = (days: number, value = 9.4): Resource[] => [
  diabetes,
  quantity('4548-4', value, '%', days),
  quantity('9318-7', 18, 'mg/g', 30),
  bp(124, 76, 20),
];
for (const days of [200, 400, 900])
  add({
    id: `stale-a1c-${days}`,
    title: `HbA1c 9.4 % measured ${days} days ago: past the 6-month look-back, so order one and do not intensify on it`,
    source: SRC_A1C_LOOKBACK,
    hook: 'patient-view',
    patient: patient(61, 'male'),
    resources: a1cAt(days),
    must: [/^rxa1ctesting/],
    mustNot: [/^rxt2da1cabovegoal/],
  });
add({
  id: 'stale-a1c-control-60',
  title: 'Control: HbA1c 9.4 % measured 60 days ago is current: intensify, no new test',
  source: SRC_A1C_LOOKBACK,
  hook: 'patient-view',
  patient: patient(61, 'male'),
  resources: a1cAt(60),
  must: [/^rxt2da1cabovegoal/],
  mustNot: [/^rxa1ctesting/],
});

// ── Risk-score inputs older than their look-back: the score is not computed, and the card says so.
const SRC_PCE_INPUTS =
  "Goff 2013 Pooled Cohort Equations (every input required) and the 2018 AHA/ACC cholesterol guideline (diabetes 40-75: statin, intensity by risk); an input older than the model's 24-month recency setting is treated as missing";
/** Diabetes, age 60, LDL-C 150 last month; total cholesterol 240 last month; HDL-C 35 `hdlDays` ago. */
const diabeticLipids = (hdlDays: number): Resource[] => [
  diabetes,
  quantity('13457-7', 150, 'mg/dL', 30),
  quantity('2093-3', 240, 'mg/dL', 30),
  quantity('2085-9', 35, 'mg/dL', hdlDays),
  bp(150, 88, 30),
];
add({
  id: 'stale-pce-hdl',
  title: 'Diabetes, statin due; HDL-C 800 days old: no PCE from the rest, the statin card names the HDL-C',
  source: SRC_PCE_INPUTS,
  hook: 'patient-view',
  patient: patient(60, 'male'),
  resources: diabeticLipids(800),
  must: [/^rxstatindiabetes/],
  mustSay: {
    topic: /^rxstatindiabetes/,
    text: /Treated as missing:\*\* HDL-C \(for PCE\) 35 mg\/dL .* is older than the 24-month look-back/,
  },
});
add({
  id: 'stale-pce-hdl-control',
  title: 'Control: the same with HDL-C last month: the PCE sets the intensity, nothing set aside',
  source: SRC_PCE_INPUTS,
  hook: 'patient-view',
  patient: patient(60, 'male'),
  resources: diabeticLipids(30),
  must: [/^rxstatindiabetes/],
  mustSay: { topic: /^rxstatindiabetes/, text: /^(?![\s\S]*Treated as missing)[\s\S]*Pooled Cohort/ },
});

// ── On a cholesterol-lowering drug, a lipid panel cannot settle hyperlipidemia. ─────────────
// 2018 AHA/ACC: the LDL-C on a statin measures adherence and response (recheck 4-12 weeks after
// starting, then every 3-12 months, class I); the untreated value is what classifies. A normal
// panel on treatment is the drug working, so the hyperlipidemia card offers no test "that would
// settle it", only adding the problem if the clinician agrees.
const SRC_LIPIDS_ON_TREATMENT =
  '2018 AHA/ACC cholesterol guideline: on statin therapy the lipid panel assesses adherence and percentage response (4-12 weeks after starting, then every 3-12 months, class I); the untreated LDL-C classifies';
const lipidLowering: Array<[string, Resource[]]> = [
  [
    'simvastatin 20 mg, RxNorm clinical-drug code',
    [medication(rx('312961', 'simvastatin 20 MG Oral Tablet'))],
  ],
  ['atorvastatin 20 mg, code without display', [medication(rx('617310'))]],
  [
    'a statin and ezetimibe, the add-on by ingredient code',
    [medication(rx('312961')), medication(rx('341248'))],
  ],
];
for (const [how, meds] of lipidLowering)
  add({
    id: `lipids-on-treatment-${cases.length + 1}`,
    title: `On ${how}, no lipid panel on record: the hyperlipidemia card offers no lipid panel "that would settle it"`,
    source: SRC_LIPIDS_ON_TREATMENT,
    hook: 'patient-view',
    patient: patient(55, 'male'),
    resources: [...meds, bp(124, 78, 10), bp(122, 76, 70)],
    must: [/^dxhyperlipidemia/],
    mustSay: {
      topic: /^dxhyperlipidemia/,
      text: /^(?![\s\S]*would settle it)[\s\S]*add it to the problem list if you agree/,
    },
  });
add({
  id: 'lipids-on-treatment-old-panel',
  title:
    'On simvastatin with a normal LDL-C three years old: the hyperlipidemia card offers no lipid panel "that would settle it"',
  source: SRC_LIPIDS_ON_TREATMENT,
  hook: 'patient-view',
  patient: patient(55, 'male'),
  resources: [
    medication(rx('312961')),
    quantity('18262-6', 96, 'mg/dL', 1100),
    quantity('2093-3', 170, 'mg/dL', 1100),
    bp(124, 78, 10),
    bp(122, 76, 70),
  ],
  must: [/^dxhyperlipidemia/],
  mustSay: {
    topic: /^dxhyperlipidemia/,
    text: /^(?![\s\S]*would settle it)[\s\S]*add it to the problem list if you agree/,
  },
});

/** Every case, in a stable order. */
export const SAFETY_CASES: readonly SafetyCase[] = Object.freeze(cases);
