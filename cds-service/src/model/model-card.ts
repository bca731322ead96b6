/**
 * The model card: ONC HTI-1 source attributes (45 CFR 170.315(b)(11)(iv)) for the knowledge
 * model and, when configured, the optional LLM reasoner. Served by `GET /api/model-card`.
 */
import type { ModelCard } from '@rationale/shared-types';
import { CITATIONS } from './knowledge/evidence';
import { DIAGNOSTIC_KB } from './knowledge/conditions';
import { MODEL_NAME, MODEL_VERSION, KNOWLEDGE_BASE_HASH } from './provenance';

/** Release date of this model version (changes with MODEL_VERSION). */
export const MODEL_RELEASE_DATE = '2026-03-01';

/** The model card for this build; `llm` describes the optional reasoner when one is configured. */
export function modelCard(options: { llm?: { model: string; promptVersion: string } }): ModelCard {
  const conditionLabels = DIAGNOSTIC_KB.conditions.map((c) => c.label).join(', ');
  const evidenceIds = new Set<string>();
  for (const c of DIAGNOSTIC_KB.conditions) {
    evidenceIds.add(c.prior.citationId);
    c.citationIds.forEach((id) => evidenceIds.add(id));
    c.evidence.forEach((e) => evidenceIds.add(e.citationId));
  }
  for (const id of [
    'goff-2013-pce',
    'khan-2024-prevent',
    'inker-2021-ckd-epi',
    'lip-2010-cha2ds2-vasc',
    'pisters-2010-has-bled',
    'cockcroft-gault-1976',
    'sterling-2006-fib4',
    'seymour-2016-qsofa',
    'bone-1992-sirs',
  ])
    evidenceIds.add(id);
  return {
    name: MODEL_NAME,
    version: MODEL_VERSION,
    knowledgeBaseHash: KNOWLEDGE_BASE_HASH,
    releaseDate: MODEL_RELEASE_DATE,
    developer: {
      name: 'Rationale open-source project',
      contact:
        "Clinicians: the deploying site's clinical decision support team. Developers: the issue tracker of the repository this build was made from.",
    },
    fundingSource: 'Open-source project; no external funding for the technical implementation.',
    interventionType: options.llm ? 'evidence-based with optional predictive reasoner' : 'evidence-based',
    outputDescription:
      "A ranked differential of conditions with probabilities (recorded vs possibly undiagnosed), each finding's likelihood-ratio contribution, guideline criteria met, next best tests, exactly computed clinical scores, guideline-based treatment recommendations and order-safety alerts, each tied to the patient data and to published evidence.",
    outputTypes: ['classification', 'recommendation', 'evaluation', 'analysis'],
    intendedUse: `Decision support for clinicians reviewing an adult patient's chart in ambulatory and primary care: surface conditions the data suggest but the problem list lacks (${conditionLabels}), risk scores and guideline care gaps, with the basis shown so the clinician can review it independently.`,
    intendedUsers: [
      'Physicians, nurse practitioners and physician assistants in primary and ambulatory care',
      'Clinical informaticists configuring the service',
    ],
    intendedPopulation: 'Adults (18 years and over) seen in primary or ambulatory care in the United States.',
    decisionRole:
      'Informs; does not decide. Every output shows the data and evidence it rests on; the clinician decides. Cards are informational by default and never critical.',
    cautionedOutOfScopeUses: [
      'Not for pediatric patients: adult thresholds (blood pressure, BMI, anaemia) and adult equations are used.',
      "Not a triage or emergency system: can't-miss acute problems (acute decompensated heart failure, sepsis with qSOFA ≥ 2, acute coronary syndrome on chest pain, AKI on a nephrotoxin, potassium ≥ 6.0) are raised as the first card from the current encounter's data (72 hours), as a prompt to examine and test, never as a diagnosis.",
      'qSOFA and SIRS alone never raise an alert: SIRS is shown beside qSOFA, and the sepsis card needs suspected infection with qSOFA ≥ 2.',
      'Not for pregnancy-specific diagnosis (gestational diabetes, hypertensive disorders of pregnancy).',
      "Not a substitute for confirmatory testing: a suggested diagnosis needs the guideline's confirmation before it is recorded.",
    ],
    knownLimitations: [
      'Likelihood ratios marked basis "definition" are model conventions (20 for one value meeting a guideline threshold, 100 for a confirmed criterion, 0.2 or 0.05 for a normal defining test), not measured accuracies; those marked "association" are a fixed modest 1.5-3 for features a guideline lists as typical. Only "study" entries are measured accuracies from the cited papers.',
      'Priors marked "convention" are model settings anchored to the cited definition, not measured prevalences.',
      'Record evidence (basis "phenotype": a treatment, procedure or coded reason) carries a tiered likelihood-ratio convention (100 defining, 30 specific, 10 typical, 2 supportive, 1.5 when another indication is on the record), not measured accuracies; another indication counts only when it was on the record, or established by the record, when the evidence began.',
      'Hypertension is suggested at an office average of 140/90 mmHg or more on two or more occasions (ACC/AHA 2017 stage 2; the 2024 ESC definition) or on blood-pressure-lowering treatment; an ACC/AHA stage 1 average is shown with its stage, to be confirmed with home or ambulatory readings, and is not suggested.',
      'Findings are treated as conditionally independent within a condition except for declared correlated groups, so some evidence may be double-counted.',
      'Only coded data are read: free-text notes, scanned documents and uncoded symptoms are invisible to the model.',
      'Lab reference intervals vary by assay; fixed thresholds (TSH 4.5 mIU/L, free T4 0.8-1.8 ng/dL, troponin by reported interpretation) are used.',
      'Validated only on synthetic (Synthea) records so far; no external clinical validation.',
    ],
    knownRisks: [
      'Automation bias: a suggested diagnosis may be accepted without confirmation; criteria text and confirmation needs are shown to counter this.',
      'Alert fatigue: cards are budgeted per hook and suppressed when recorded, snoozed or below threshold.',
      'Missing or miscoded data can cause false suggestions or missed conditions; data gaps are listed.',
    ],
    inputs: [
      {
        name: 'Problem list',
        description: 'Active and resolved Conditions',
        codes: ['SNOMED CT', 'ICD-10-CM'],
      },
      {
        name: 'Laboratory results and vital signs',
        description: 'Observations normalized to canonical units (UCUM)',
        codes: [
          'LOINC 4548-4',
          '1558-6',
          '2093-3',
          '18262-6',
          '2085-9',
          '33914-3',
          '98979-8',
          '2160-0',
          '14959-1',
          '2823-3',
          '2951-2',
          '10230-1',
          '85354-9',
          '55284-4',
          '8480-6',
          '8462-4',
          '39156-5',
        ],
      },
      {
        name: 'Medications',
        description: 'Active MedicationRequests and MedicationStatements',
        codes: ['RxNorm'],
      },
      { name: 'Allergies', description: 'Active AllergyIntolerances', codes: ['RxNorm', 'SNOMED CT'] },
      {
        name: 'Symptoms and signs',
        description: 'Coded symptom Conditions or Observations (present or explicitly absent)',
        codes: ['SNOMED CT', 'ICD-10-CM R codes'],
      },
      {
        name: 'Demographics',
        description: 'Date of birth (age), administrative sex, US Core race (Pooled Cohort Equations only)',
        codes: ['FHIR Patient'],
      },
    ],
    demographicAndSocialInputs: {
      race: {
        used: true,
        how: 'Only to select the Pooled Cohort Equations coefficient set (African American vs white/other), as the 2013 ACC/AHA guideline specifies. The race-free PREVENT equations and the race-free CKD-EPI 2021 eGFR are computed alongside; the differential does not use race.',
      },
      ethnicity: { used: false },
      language: { used: false },
      sexualOrientation: { used: false },
      genderIdentity: { used: false },
      sex: {
        used: true,
        how: 'Sex-specific equations (PCE, PREVENT, CKD-EPI 2021, Cockcroft-Gault), CHA2DS2-VASc sex category, WHO anaemia thresholds, age/sex priors.',
      },
      dateOfBirth: { used: true, how: 'Age for priors, scores and age-dependent criteria.' },
      socialDeterminantsOfHealth: { used: false },
      healthStatusAssessments: {
        used: true,
        how: 'PHQ-9 and GAD-7 scores when recorded (LOINC 44261-6, 70274-6); smoking status (72166-2).',
      },
    },
    fairness:
      'Knowledge-based, not trained on patient data. Race enters only the PCE coefficient choice; PREVENT and CKD-EPI 2021 are race-free by design. Thresholds are guideline values applied equally; sex-specific thresholds follow the cited sources.',
    validation: {
      description:
        'Reproduce with `npm run eval -- --data <dir of FHIR bundles>`: recorded target conditions are removed from each synthetic record and the model must suggest them back from the remaining data; sensitivity and PPV per condition, against records whose data meet guideline criteria and against all recorded. Scores are unit-tested against published worked examples.',
      results: [
        {
          metric: 'Sensitivity / PPV, data-supported (diabetes, hypertension, CKD, hyperlipidemia)',
          value: 'see eval output',
          dataset: 'Synthea R4 sample, 221 patients (smart-on-fhir/generated-sample-data)',
        },
      ],
    },
    maintenance:
      'Knowledge entries are reviewed when a cited guideline is updated; clinician feedback (agree/disagree with reason) is monitored per condition and rule.',
    updateSchedule:
      'At least yearly with guideline releases (ADA Standards each January, ACC/AHA and KDIGO as published); the knowledge-base hash changes with every change.',
    evidence: [...evidenceIds]
      .sort()
      .map((id) => CITATIONS.get(id))
      .filter((c): c is NonNullable<typeof c> => c !== undefined),
    llm: options.llm
      ? {
          enabled: true,
          model: options.llm.model,
          promptVersion: options.llm.promptVersion,
          role: 'Optional reasoner: adds hypotheses and reasoning whose every claim must cite record findings and library evidence; uncited claims are dropped.',
        }
      : { enabled: false },
  };
}
