/**
 * Hand-built Assessments for the card tests (and the CLI's readable-output tests): a typical
 * primary-care patient, 58-year-old man with type 2 diabetes, LDL 132 mg/dL, eGFR 52 then 49 four
 * months apart, no statin; plus builders for single items. Independent of the model's output, so
 * card-policy tests check the policy alone. Citations are real, checkable sources.
 */
import type {
  Assessment,
  Citation,
  Finding,
  Hypothesis,
  Recommendation,
  SafetyAlert,
} from '@rationale/shared-types';
import { renderCards } from './index';
import type { CardRenderOptions, RenderResult } from './types';

export const NOW = '2026-05-20T15:00:00Z';

export const CITATIONS: Citation[] = [
  {
    id: 'acc-aha-cholesterol-2018',
    kind: 'guideline',
    title:
      '2018 AHA/ACC/AACVPR/AAPA/ABC/ACPM/ADA/AGS/APhA/ASPC/NLA/PCNA Guideline on the Management of Blood Cholesterol',
    authors: 'Grundy SM, et al.',
    journal: 'Circulation',
    year: 2019,
    url: 'https://www.ahajournals.org/doi/10.1161/CIR.0000000000000625',
    doi: '10.1161/CIR.0000000000000625',
  },
  {
    id: 'kdigo-ckd-2024',
    kind: 'guideline',
    title:
      'KDIGO 2024 Clinical Practice Guideline for the Evaluation and Management of Chronic Kidney Disease',
    authors: 'KDIGO CKD Work Group',
    journal: 'Kidney International',
    year: 2024,
    url: 'https://kdigo.org/guidelines/ckd-evaluation-and-management/',
    doi: '10.1016/j.kint.2023.10.018',
  },
  {
    id: 'kdigo-diabetes-ckd-2022',
    kind: 'guideline',
    title: 'KDIGO 2022 Clinical Practice Guideline for Diabetes Management in Chronic Kidney Disease',
    authors: 'KDIGO Diabetes Work Group',
    journal: 'Kidney International',
    year: 2022,
    url: 'https://kdigo.org/guidelines/diabetes-ckd/',
    doi: '10.1016/j.kint.2022.06.008',
  },
  {
    id: 'ada-soc-2024',
    kind: 'guideline',
    title: 'Standards of Care in Diabetes—2024',
    authors: 'American Diabetes Association Professional Practice Committee',
    journal: 'Diabetes Care',
    year: 2024,
    url: 'https://diabetesjournals.org/care/issue/47/Supplement_1',
  },
  {
    id: 'ags-beers-2019',
    kind: 'guideline',
    title:
      'American Geriatrics Society 2019 Updated AGS Beers Criteria for Potentially Inappropriate Medication Use in Older Adults',
    authors: 'American Geriatrics Society Beers Criteria Update Expert Panel',
    journal: 'Journal of the American Geriatrics Society',
    year: 2019,
    doi: '10.1111/jgs.15767',
  },
  {
    id: 'drug-allergy-2022',
    kind: 'guideline',
    title: 'Drug allergy: A 2022 practice parameter update',
    authors: 'Khan DA, et al.',
    journal: 'Journal of Allergy and Clinical Immunology',
    year: 2022,
    doi: '10.1016/j.jaci.2022.08.028',
  },
];

export const FINDINGS: Finding[] = [
  {
    id: 'f-age',
    code: 'age',
    kind: 'demographic',
    label: 'Age 58',
    value: 58,
    unit: 'a',
    sources: [{ reference: 'Patient/p1' }],
  },
  {
    id: 'f-t2d',
    code: 't2d-recorded',
    kind: 'condition',
    label: 'Type 2 diabetes mellitus',
    date: '2019-04-02',
    coding: { system: 'http://snomed.info/sct', code: '44054006', display: 'Diabetes mellitus type 2' },
    sources: [{ reference: 'Condition/c-t2d' }],
  },
  {
    id: 'f-ldl',
    code: 'ldl',
    kind: 'observation',
    label: 'LDL cholesterol 132 mg/dL',
    value: 132,
    unit: 'mg/dL',
    date: '2026-03-02',
    coding: { system: 'http://loinc.org', code: '13457-7' },
    sources: [{ reference: 'Observation/o-ldl' }],
  },
  {
    id: 'f-egfr-1',
    code: 'egfr-lt-60',
    kind: 'observation',
    label: 'eGFR 52 mL/min/1.73m²',
    value: 52,
    unit: 'mL/min/{1.73_m2}',
    date: '2026-01-12',
    coding: { system: 'http://loinc.org', code: '98979-8' },
    sources: [{ reference: 'Observation/o-egfr-1' }],
  },
  {
    id: 'f-egfr-2',
    code: 'egfr-lt-60',
    kind: 'observation',
    label: 'eGFR 49 mL/min/1.73m²',
    value: 49,
    unit: 'mL/min/{1.73_m2}',
    date: '2026-05-14',
    coding: { system: 'http://loinc.org', code: '98979-8' },
    sources: [{ reference: 'Observation/o-egfr-2' }],
  },
  {
    id: 'f-a1c',
    code: 'a1c',
    kind: 'observation',
    label: 'HbA1c 7.4 %',
    value: 7.4,
    unit: '%',
    date: '2026-03-02',
    coding: { system: 'http://loinc.org', code: '4548-4' },
    sources: [{ reference: 'Observation/o-a1c' }],
  },
  {
    id: 'f-warfarin',
    code: 'med-warfarin',
    kind: 'medication',
    label: 'Warfarin 5 mg daily',
    date: '2025-11-03',
    coding: { system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '11289', display: 'warfarin' },
    sources: [{ reference: 'MedicationRequest/mr-warfarin' }],
  },
  {
    id: 'f-pcn-allergy',
    code: 'allergy-penicillin',
    kind: 'allergy',
    label: 'Penicillin allergy (anaphylaxis, high criticality)',
    date: '2012-06-01',
    sources: [{ reference: 'AllergyIntolerance/a-pcn' }],
  },
];

export function ckdHypothesis(overrides: Partial<Hypothesis> = {}): Hypothesis {
  return {
    id: 'h-ckd',
    conditionId: 'ckd',
    label: 'CKD',
    status: 'suggested',
    stage: 'G3a',
    prior: 0.12,
    posterior: 0.93,
    codes: [
      { system: 'http://snomed.info/sct', code: '700379002', display: 'Chronic kidney disease stage 3A' },
      {
        system: 'http://hl7.org/fhir/sid/icd-10-cm',
        code: 'N18.31',
        display: 'Chronic kidney disease, stage 3a',
      },
    ],
    contributions: [
      {
        findingId: 'f-egfr-2',
        findingCode: 'egfr-lt-60',
        label: 'eGFR 49',
        present: true,
        likelihoodRatio: 8,
        group: 'egfr',
        citationIds: ['kdigo-ckd-2024'],
      },
      {
        findingId: 'f-t2d',
        findingCode: 't2d-recorded',
        label: 'Type 2 diabetes',
        present: true,
        likelihoodRatio: 2.1,
        citationIds: ['kdigo-ckd-2024'],
      },
    ],
    criteria: {
      met: true,
      description: 'KDIGO: eGFR below 60 mL/min/1.73m² for more than 3 months',
      findingIds: ['f-egfr-1', 'f-egfr-2'],
      citationIds: ['kdigo-ckd-2024'],
    },
    rationale:
      'eGFR 52 (2026-01-12) and 49 (2026-05-14), below 60 for more than 3 months; no CKD on the problem list.',
    citationIds: ['kdigo-ckd-2024'],
    origin: 'knowledge-model',
    ...overrides,
  };
}

export function t2dRecordedHypothesis(overrides: Partial<Hypothesis> = {}): Hypothesis {
  return {
    id: 'h-t2d',
    conditionId: 't2d',
    label: 'Type 2 diabetes',
    status: 'recorded',
    prior: 0.1,
    posterior: 1,
    codes: [{ system: 'http://snomed.info/sct', code: '44054006', display: 'Diabetes mellitus type 2' }],
    contributions: [],
    rationale: 'On the problem list since 2019-04-02.',
    citationIds: ['ada-soc-2024'],
    origin: 'knowledge-model',
    ...overrides,
  };
}

export function heartFailureHypothesis(overrides: Partial<Hypothesis> = {}): Hypothesis {
  return {
    id: 'h-hfref',
    conditionId: 'hfref',
    label: 'heart failure with reduced ejection fraction',
    status: 'suggested',
    prior: 0.02,
    posterior: 0.22,
    codes: [
      {
        system: 'http://snomed.info/sct',
        code: '703272007',
        display: 'Heart failure with reduced ejection fraction',
      },
    ],
    contributions: [],
    rationale: 'Diabetes and CKD raise the pre-test probability; no natriuretic peptide on file.',
    citationIds: [],
    origin: 'knowledge-model',
    ...overrides,
  };
}

export function statinRecommendation(overrides: Partial<Recommendation> = {}): Recommendation {
  return {
    id: 'r-statin',
    ruleId: 'statin-diabetes-40-75',
    kind: 'start',
    title: 'Start moderate-intensity statin',
    rationale: 'Diabetes, age 58, LDL 132 mg/dL (2026-03-02)',
    strength: {
      scheme: 'ACC/AHA',
      class: '1',
      level: 'A',
      text: 'Strong recommendation, high-quality evidence',
    },
    priority: 'strong',
    dataComplete: true,
    findingIds: ['f-t2d', 'f-age', 'f-ldl'],
    conditionIds: ['t2d'],
    contraindicationsChecked: [
      { label: 'Pregnancy', present: false, findingIds: [] },
      { label: 'Active liver disease', present: false, findingIds: [] },
      { label: 'Statin intolerance or allergy', present: false, findingIds: [] },
    ],
    proposedOrders: [
      {
        resourceType: 'MedicationRequest',
        code: {
          system: 'http://www.nlm.nih.gov/research/umls/rxnorm',
          code: '83367',
          display: 'atorvastatin',
        },
        instruction: 'atorvastatin 20 mg orally once daily',
      },
    ],
    citationIds: ['acc-aha-cholesterol-2018'],
    origin: 'knowledge-model',
    ...overrides,
  };
}

export function sglt2Recommendation(overrides: Partial<Recommendation> = {}): Recommendation {
  return {
    id: 'r-sglt2',
    ruleId: 'sglt2i-t2d-ckd',
    kind: 'start',
    title: 'Start an SGLT2 inhibitor',
    rationale: 'Type 2 diabetes with eGFR 49 (2026-05-14); urine albumin not measured',
    strength: { scheme: 'KDIGO', class: '1', level: 'A' },
    priority: 'strong',
    dataComplete: false,
    findingIds: ['f-t2d', 'f-egfr-1', 'f-egfr-2'],
    conditionIds: ['t2d', 'ckd'],
    contraindicationsChecked: [
      { label: 'eGFR below 20', present: false, findingIds: ['f-egfr-2'] },
      { label: 'Type 1 diabetes or prior ketoacidosis', present: false, findingIds: [] },
    ],
    proposedOrders: [
      {
        resourceType: 'MedicationRequest',
        code: {
          system: 'http://www.nlm.nih.gov/research/umls/rxnorm',
          code: '1545653',
          display: 'empagliflozin',
        },
        instruction: 'empagliflozin 10 mg orally once daily',
      },
    ],
    citationIds: ['kdigo-diabetes-ckd-2022'],
    origin: 'knowledge-model',
    ...overrides,
  };
}

export function uacrRecommendation(overrides: Partial<Recommendation> = {}): Recommendation {
  return {
    id: 'r-uacr',
    ruleId: 'diabetes-uacr-annual',
    kind: 'order-test',
    title: 'Check urine albumin-creatinine ratio',
    rationale: 'Type 2 diabetes, eGFR 49, no UACR in 24 months',
    strength: { scheme: 'ADA', class: 'B' },
    priority: 'moderate',
    dataComplete: true,
    findingIds: ['f-t2d', 'f-egfr-2'],
    conditionIds: ['t2d', 'ckd'],
    contraindicationsChecked: [],
    proposedOrders: [
      {
        resourceType: 'ServiceRequest',
        code: {
          system: 'http://loinc.org',
          code: '9318-7',
          display: 'Albumin/Creatinine [Mass Ratio] in Urine',
        },
      },
    ],
    citationIds: ['ada-soc-2024'],
    origin: 'knowledge-model',
    ...overrides,
  };
}

export function warfarinNsaidAlert(overrides: Partial<SafetyAlert> = {}): SafetyAlert {
  return {
    id: 's-ddi',
    ruleId: 'ddi-warfarin-nsaid',
    type: 'drug-drug',
    severity: 'high',
    contraindicated: false,
    order: {
      reference: 'MedicationRequest/draft-1',
      label: 'ibuprofen 400 mg tablet',
      code: { system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '5640', display: 'ibuprofen' },
    },
    title: 'Warfarin + ibuprofen: major bleeding risk',
    detail:
      'NSAIDs add antiplatelet and gastric mucosal effects to warfarin anticoagulation; avoid the combination unless no alternative.',
    findingIds: ['f-warfarin'],
    alternative: {
      resourceType: 'MedicationRequest',
      code: { system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '161', display: 'acetaminophen' },
      instruction: 'acetaminophen 650 mg orally every 6 hours as needed, at most 3 g per day',
    },
    citationIds: ['ags-beers-2019'],
    ...overrides,
  };
}

export function penicillinAllergyAlert(overrides: Partial<SafetyAlert> = {}): SafetyAlert {
  return {
    id: 's-allergy',
    ruleId: 'allergy-penicillin',
    type: 'drug-allergy',
    severity: 'high',
    contraindicated: true,
    order: {
      reference: 'MedicationRequest/draft-2',
      label: 'amoxicillin 500 mg capsule',
      code: { system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '723', display: 'amoxicillin' },
    },
    title: 'Amoxicillin ordered with a penicillin anaphylaxis history',
    detail: 'Amoxicillin is a penicillin; the record lists anaphylaxis to penicillin with high criticality.',
    findingIds: ['f-pcn-allergy'],
    alternative: {
      resourceType: 'MedicationRequest',
      code: { system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '18631', display: 'azithromycin' },
      instruction: 'azithromycin 500 mg orally on day 1, then 250 mg daily for 4 days',
    },
    citationIds: ['drug-allergy-2022'],
    ...overrides,
  };
}

/** The typical patient's assessment at patient-view: one recorded diagnosis, one suggested, three recommendations. */
export function typicalAssessment(overrides: Partial<Assessment> = {}): Assessment {
  return {
    id: 'asmt-1',
    model: { name: 'Rationale knowledge model', version: '0.1.0', knowledgeBaseHash: 'sha256:0f3c' },
    assessedAt: NOW,
    patient: { reference: 'Patient/p1', ageYears: 58, sex: 'male' },
    hook: 'patient-view',
    hookInstance: 'hi-1',
    findings: FINDINGS,
    hypotheses: [t2dRecordedHypothesis(), ckdHypothesis(), heartFailureHypothesis()],
    nextBestTests: [
      {
        id: 'nbt-uacr',
        label: 'Urine albumin-creatinine ratio',
        code: { system: 'http://loinc.org', code: '9318-7' },
        conditionIds: ['ckd'],
        expectedChange: 0.04,
        rationale: 'Stages albuminuria (A1-A3), which sets the risk category and the treatment.',
        citationIds: ['kdigo-ckd-2024'],
      },
    ],
    scores: [
      {
        id: 'egfr-ckd-epi-2021',
        label: 'eGFR (CKD-EPI 2021)',
        value: 49,
        unit: 'mL/min/1.73m²',
        interpretation: 'G3a (45-59)',
        inputs: [{ label: 'Creatinine', value: '1.58 mg/dL', findingId: 'f-egfr-2' }],
        informational: false,
        citationIds: ['kdigo-ckd-2024'],
      },
      {
        id: 'pce-ascvd-10y',
        label: 'Pooled Cohort Equations 10-year ASCVD risk',
        value: 14.2,
        unit: '%',
        interpretation: 'Intermediate risk (7.5% to 19.9%)',
        inputs: [
          { label: 'Age', value: '58', findingId: 'f-age' },
          { label: 'LDL', value: '132 mg/dL', findingId: 'f-ldl' },
        ],
        informational: false,
        citationIds: ['acc-aha-cholesterol-2018'],
      },
    ],
    recommendations: [statinRecommendation(), sglt2Recommendation(), uacrRecommendation()],
    safety: [],
    citations: CITATIONS,
    dataGaps: ['No urine albumin-creatinine ratio in 24 months'],
    ...overrides,
  };
}

/** An assessment with only the items given (and the typical patient's findings, scores and citations). */
export function assessmentWith(
  items: Partial<Pick<Assessment, 'hypotheses' | 'recommendations' | 'safety'>>,
): Assessment {
  return typicalAssessment({ hypotheses: [], recommendations: [], safety: [], ...items });
}

/** Deterministic uuids: uuid-1, uuid-2, ... */
export function sequentialUuids(prefix = 'uuid'): () => string {
  let n = 0;
  return () => `${prefix}-${++n}`;
}

export function renderOptions(overrides: Partial<CardRenderOptions> = {}): CardRenderOptions {
  return {
    hook: 'patient-view',
    budget: 3,
    profile: 'generic',
    thresholds: { minSuggestedPosterior: 0.6 },
    snoozedTopics: new Set(),
    appLaunchUrl: 'https://app.rationale.example/launch',
    sourceLabel: 'Rationale',
    newUuid: sequentialUuids(),
    ...overrides,
  };
}

/**
 * Every card an assessment yields across hooks: the order-safety cards of order-sign followed by
 * the advice of patient-view (order hooks show safety only).
 */
export function renderAllHooks(
  assessment: Assessment,
  options: Partial<CardRenderOptions> = {},
): RenderResult {
  // One uuid source for both renders, so uuids stay distinct across them.
  const base = renderOptions(options);
  const order = renderCards(assessment, { ...base, hook: 'order-sign' });
  const chart = renderCards(assessment, { ...base, hook: 'patient-view' });
  return { cards: [...order.cards, ...chart.cards], suppressed: [...order.suppressed, ...chart.suppressed] };
}
