/** Test data: an assessment, a model card and the FHIR resources its findings came from. */
import type { Assessment, ModelCard } from '@rationale/shared-types';

export const FHIR_BASE = 'http://ehr.test/fhir';
export const API_BASE = 'http://app.test/api';

export const citations: Assessment['citations'] = [
  {
    id: 'ada-2025',
    kind: 'guideline',
    title: 'Standards of Care in Diabetes—2025',
    authors: 'American Diabetes Association',
    journal: 'Diabetes Care',
    year: 2025,
    url: 'https://diabetesjournals.org/care/issue/48/Supplement_1',
    doi: '10.2337/dc25-SINT',
  },
  {
    id: 'inker-2021',
    kind: 'study',
    title: 'New Creatinine- and Cystatin C-Based Equations to Estimate GFR without Race',
    authors: 'Inker LA, et al.',
    journal: 'N Engl J Med',
    year: 2021,
    pmid: '34554658',
  },
];

export function makeAssessment(overrides: Partial<Assessment> = {}): Assessment {
  return {
    id: 'assessment-1',
    model: {
      name: 'Rationale knowledge model',
      version: '1.4.0',
      knowledgeBaseHash: 'sha256:9f2c1ab07e55d0c4aa',
    },
    assessedAt: '2026-03-02T14:05:00Z',
    patient: { reference: 'Patient/p1', ageYears: 58, sex: 'female' },
    hook: 'patient-view',
    findings: [
      {
        id: 'f-a1c',
        code: 'a1c-ge-6.5',
        kind: 'observation',
        label: 'HbA1c 7.2 %',
        value: 7.2,
        unit: '%',
        date: '2026-02-20',
        sources: [{ reference: 'Observation/a1c-1' }],
      },
      {
        id: 'f-egfr',
        code: 'egfr-lt-60-persistent',
        kind: 'observation',
        label: 'eGFR 52 mL/min/1.73m²',
        value: 52,
        date: '2026-01-10',
        sources: [
          { reference: 'Observation/egfr-1', display: 'eGFR Jan' },
          { reference: 'Observation/egfr-2', display: 'eGFR Oct' },
        ],
      },
    ],
    hypotheses: [
      {
        id: 'h-ckd',
        conditionId: 'ckd',
        label: 'Chronic kidney disease',
        status: 'recorded',
        stage: 'G3a A2',
        prior: 0.1,
        posterior: 0.55,
        codes: [],
        contributions: [
          {
            findingId: 'f-egfr',
            findingCode: 'egfr-lt-60-persistent',
            label: 'eGFR below 60 twice',
            present: true,
            likelihoodRatio: 8,
            citationIds: ['inker-2021'],
          },
        ],
        rationale: 'eGFR 52 and 49, 3 months apart.',
        citationIds: ['inker-2021'],
        origin: 'knowledge-model',
      },
      {
        id: 'h-t2d',
        conditionId: 't2d',
        label: 'Type 2 diabetes',
        status: 'suggested',
        prior: 0.12,
        posterior: 0.82,
        codes: [{ system: 'http://snomed.info/sct', code: '44054006', display: 'Diabetes mellitus type 2' }],
        contributions: [
          {
            findingId: 'f-a1c',
            findingCode: 'a1c-ge-6.5',
            label: 'HbA1c ≥ 6.5 %',
            present: true,
            likelihoodRatio: 2.4,
            citationIds: ['ada-2025'],
          },
          {
            findingCode: 'polyuria',
            label: 'Polyuria',
            present: false,
            likelihoodRatio: 0.3,
            citationIds: [],
          },
        ],
        criteria: {
          met: false,
          description: 'ADA: HbA1c ≥ 6.5 % on two occasions',
          findingIds: ['f-a1c'],
          citationIds: ['ada-2025'],
        },
        rationale: 'HbA1c 7.2 % with no diabetes on the problem list.',
        citationIds: ['ada-2025'],
        origin: 'knowledge-model',
      },
    ],
    nextBestTests: [
      {
        id: 't-a1c',
        label: 'Repeat HbA1c',
        conditionIds: ['t2d'],
        expectedChange: 0.31,
        rationale: 'A second HbA1c ≥ 6.5 % confirms the diagnosis.',
        citationIds: ['ada-2025'],
      },
    ],
    scores: [],
    recommendations: [
      {
        id: 'r-statin',
        ruleId: 'statin-diabetes-40-75',
        kind: 'start',
        title: 'Start a moderate-intensity statin',
        rationale: 'Diabetes, age 58, LDL 132 mg/dL (2026-03-02).',
        strength: { scheme: 'ADA', class: 'A', text: 'Strong evidence' },
        priority: 'strong',
        dataComplete: true,
        findingIds: ['f-a1c'],
        conditionIds: ['t2d'],
        contraindicationsChecked: [
          { label: 'Active liver disease', present: false, findingIds: [] },
          { label: 'Pregnancy', present: false, findingIds: [] },
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
        citationIds: ['ada-2025'],
        origin: 'knowledge-model',
      },
    ],
    safety: [],
    citations,
    dataGaps: ['No lipid panel in 5 years'],
    ...overrides,
  };
}

export const observationA1c = {
  resourceType: 'Observation',
  id: 'a1c-1',
  status: 'final',
  code: {
    coding: [
      { system: 'http://loinc.org', code: '4548-4', display: 'Hemoglobin A1c/Hemoglobin.total in Blood' },
    ],
  },
  effectiveDateTime: '2026-02-20T09:30:00Z',
  valueQuantity: { value: 7.2, unit: '%', system: 'http://unitsofmeasure.org', code: '%' },
  referenceRange: [{ low: { value: 4, unit: '%' }, high: { value: 5.6, unit: '%' } }],
};

export const patientP1 = {
  resourceType: 'Patient',
  id: 'p1',
  name: [{ use: 'official', family: 'Rivera', given: ['Ana', 'María'] }],
  gender: 'female',
  birthDate: '1967-08-14',
};

export const modelCard: ModelCard = {
  name: 'Rationale knowledge model',
  version: '1.4.0',
  knowledgeBaseHash: 'sha256:9f2c1ab07e55d0c4aa',
  releaseDate: '2026-01-15',
  developer: { name: 'Rationale contributors', contact: 'https://github.com/rationale' },
  fundingSource: 'Volunteer',
  interventionType: 'evidence-based with optional predictive reasoner',
  outputDescription:
    'Differential diagnosis with probabilities, guideline recommendations, order-safety alerts.',
  outputTypes: ['prediction', 'recommendation'],
  intendedUse: 'Support adult primary-care clinicians in spotting undiagnosed chronic disease.',
  intendedUsers: ['Physicians', 'Nurse practitioners'],
  intendedPopulation: 'Adults 18 and over in ambulatory care.',
  decisionRole: 'Informs; the clinician decides.',
  cautionedOutOfScopeUses: ['Pediatric patients', 'Emergency triage'],
  knownLimitations: ['Relies on coded data'],
  knownRisks: ['Automation bias'],
  inputs: [{ name: 'Laboratory results', description: 'LOINC-coded observations', codes: ['4548-4'] }],
  demographicAndSocialInputs: {
    race: { used: false },
    ethnicity: { used: false },
    language: { used: false },
    sexualOrientation: { used: false },
    genderIdentity: { used: false },
    sex: { used: true, how: 'Priors by sex band' },
    dateOfBirth: { used: true, how: 'Age bands for priors and scores' },
    socialDeterminantsOfHealth: { used: false },
    healthStatusAssessments: { used: false },
  },
  fairness: 'Race-free eGFR (CKD-EPI 2021).',
  validation: {
    description: 'Synthetic cohort',
    results: [{ metric: 'AUROC (CKD)', value: '0.91', dataset: 'Synthea 10k' }],
  },
  maintenance: 'Knowledge base reviewed quarterly.',
  updateSchedule: 'Quarterly',
  evidence: [],
  llm: { enabled: false },
};
