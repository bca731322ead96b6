/**
 * The Assessment: what the reasoning model concluded about one patient at one moment, with every
 * claim tied to the FHIR resources it rests on (Finding.sources) and to published evidence
 * (citationIds → Citation). The service stores it; cards summarize it; the SMART app shows it whole.
 * See ../shared/DESIGN.md §3-5.
 */
import { z } from 'zod';
import { codingSchema } from './cds-hooks';

/** A relative FHIR reference, e.g. `Observation/egfr-2`, with an optional human display. */
export const resourceRefSchema = z.object({
  reference: z.string().min(1),
  display: z.string().optional(),
});
export type ResourceRef = z.infer<typeof resourceRefSchema>;

/** A real, checkable source: a guideline, a paper, a drug label or a standard (DESIGN.md §4). */
export const citationSchema = z
  .object({
    id: z.string().min(1),
    kind: z.enum(['guideline', 'study', 'review', 'label', 'standard', 'regulation']),
    title: z.string().min(1),
    /** Issuing body for a guideline ("ACC/AHA"), or the authors for a paper ("Inker LA, et al."). */
    authors: z.string().optional(),
    journal: z.string().optional(),
    year: z.number().int().min(1900).max(2100),
    url: z.url().optional(),
    doi: z.string().optional(),
    pmid: z.string().optional(),
  })
  .refine((c) => c.url || c.doi || c.pmid, { message: 'a citation needs a URL, DOI or PMID' });
export type Citation = z.infer<typeof citationSchema>;

export const FINDING_KINDS = [
  'condition',
  'observation',
  'vital',
  'medication',
  'allergy',
  'demographic',
  'trend',
  'pregnancy',
  'symptom',
  'score',
] as const;

/**
 * One normalized fact about the patient. `code` is the knowledge-base finding code it supports
 * (e.g. `a1c-ge-6.5`, `egfr-lt-60-persistent`); `id` is unique within one Assessment.
 */
export const findingSchema = z.object({
  id: z.string().min(1),
  code: z.string().min(1),
  kind: z.enum(FINDING_KINDS),
  /** Human text with the value: "HbA1c 7.2 %". */
  label: z.string().min(1),
  value: z.number().optional(),
  unit: z.string().optional(),
  valueText: z.string().optional(),
  /** ISO 8601 date or dateTime of the observation, onset or authoring. */
  date: z.string().optional(),
  /** Coding from the source resource (LOINC, SNOMED CT, ICD-10-CM, RxNorm). */
  coding: codingSchema.optional(),
  /** How the finding was recognised: by a code (the default) or, as a last resort, by its text. */
  matchedBy: z.enum(['code', 'text']).optional(),
  /** The result's own reference range (Observation.referenceRange), in `unit`, when it gave one. */
  referenceRange: z.object({ low: z.number().optional(), high: z.number().optional() }).optional(),
  sources: z.array(resourceRefSchema),
});
export type Finding = z.infer<typeof findingSchema>;

export const originSchema = z.enum(['knowledge-model', 'llm']);
export type Origin = z.infer<typeof originSchema>;

/**
 * Urgency classes, in the order cards fill the budget (DESIGN.md §3a): can't-miss acute problems
 * (acute decompensated heart failure, sepsis or pneumonia with abnormal vitals, acute coronary
 * syndrome, AKI with a nephrotoxin on board, severe hyperkalemia), then order safety, then strong
 * chronic care gaps, then screening.
 */
export const URGENCY_CLASSES = ['cant-miss', 'order-safety', 'chronic-gap', 'screening'] as const;
export const urgencyClassSchema = z.enum(URGENCY_CLASSES);
export type UrgencyClass = z.infer<typeof urgencyClassSchema>;

/** A condition's or rule's urgency class with the source that makes it so. */
export const urgencySchema = z.object({
  class: urgencyClassSchema,
  /** Why, in one phrase: "missed ACS carries early mortality; ECG within 10 minutes". */
  basis: z.string().min(1),
  citationIds: z.array(z.string()),
});
export type Urgency = z.infer<typeof urgencySchema>;

/**
 * One premise a recommendation rule requires (condition established per its criteria,
 * persistence shown, number and recency of readings), as checked for this patient. A rule fires
 * only when every premise is met; otherwise the Assessment lists it in `unmetPremises`.
 */
export const premiseResultSchema = z.object({
  /** Stable premise id: `condition-established:ckd`, `bp-readings-separate-days`, `lab-recent:a1c`. */
  id: z.string().min(1),
  label: z.string().min(1),
  met: z.boolean(),
  /** What was found: "1 reading (148/86 on 2026-05-30); 2 on separate days needed". */
  detail: z.string().min(1),
  findingIds: z.array(z.string()),
  citationIds: z.array(z.string()),
});
export type PremiseResult = z.infer<typeof premiseResultSchema>;

/** How one finding (present or absent) moved one hypothesis: its likelihood ratio. */
export const contributionSchema = z.object({
  /** The finding in `Assessment.findings`; absent when the finding is an absent (negative) one. */
  findingId: z.string().optional(),
  findingCode: z.string().min(1),
  label: z.string().min(1),
  present: z.boolean(),
  /** The likelihood ratio applied (LR+ when present, LR- when absent). */
  likelihoodRatio: z.number().positive(),
  /**
   * When the LR was re-estimated at this site (`rationale calibrate`): the published LR (its
   * source is `citationIds`), the site's own estimate with its 95% interval and the patients it came
   * from; `likelihoodRatio` is the two combined.
   */
  lrCalibration: z
    .object({
      published: z.number().positive(),
      localEstimate: z.number().positive(),
      interval: z.tuple([z.number().positive(), z.number().positive()]),
      cases: z.number().int().nonnegative(),
      nonCases: z.number().int().nonnegative(),
    })
    .optional(),
  /** Correlated findings share a group; only the strongest of a group counts. */
  group: z.string().optional(),
  /**
   * For a finding defined by a lab threshold ("eGFR < 60"): the analyte (the `code` of its
   * findings), the comparison and the value in the analyte's unit, as the cited source sets it.
   */
  threshold: z
    .object({
      analyte: z.string().min(1),
      op: z.enum(['>=', '>', '<', '<=']),
      value: z.number(),
      unit: z.string().optional(),
    })
    .optional(),
  citationIds: z.array(z.string()),
});
export type Contribution = z.infer<typeof contributionSchema>;

/** Why an exclusion withholds (or weakens) an item: a recommendation, a diagnosis card, an order alert. */
export const exclusionReasonSchema = z.object({
  /** Exclusion id from the exclusion table: `pregnancy`, `hospice`, `intolerance`, `major-bleeding`, ... */
  exclusionId: z.string().min(1),
  /** Plain words: "Pregnancy (Condition 2026-02-01)". */
  reason: z.string().min(1),
  /** `suppress`: not recommended; `shared-decision`: kept as information for a shared decision. */
  effect: z.enum(['suppress', 'shared-decision']),
  findingIds: z.array(z.string()),
  citationIds: z.array(z.string()),
});
export type ExclusionReason = z.infer<typeof exclusionReasonSchema>;

/**
 * A condition in the differential. `recorded`: on the problem list already. `suggested`: not
 * recorded, and the data meet the guideline's diagnostic criteria (or, for a condition without
 * guideline criteria, the posterior passes the configured threshold): possibly undiagnosed.
 * `possible`: probable by its findings, but guideline criteria that exist are not yet met (one
 * low eGFR is not CKD until it persists 3 months); the next-best tests say what would settle it.
 * `unlikely`: on the list because a finding touched it, below the threshold.
 */
export const hypothesisSchema = z.object({
  id: z.string().min(1),
  /** Knowledge-base condition id, e.g. `t2d`, `ckd`, `hfref`. Stable: cards use it for topic codes. */
  conditionId: z.string().min(1),
  label: z.string().min(1),
  status: z.enum(['recorded', 'suggested', 'possible', 'unlikely']),
  /** Stage or class where the knowledge base defines one: "G3a A2", "Stage 2", "Class II". */
  stage: z.string().optional(),
  prior: z.number().min(0).max(1),
  /**
   * When the prior was recalibrated to the site (`rationale calibrate`): the published prior and the
   * site's own estimate with its 95% interval and the adults it came from.
   */
  priorCalibration: z
    .object({
      published: z.number().min(0).max(1),
      localEstimate: z.number().min(0).max(1),
      interval: z.tuple([z.number().min(0).max(1), z.number().min(0).max(1)]),
      localPatients: z.number().int().positive(),
    })
    .optional(),
  posterior: z.number().min(0).max(1),
  /** Codes a clinician could add to the problem list (SNOMED CT first, then ICD-10-CM). */
  codes: z.array(codingSchema),
  contributions: z.array(contributionSchema),
  /** Guideline diagnostic criteria, where the condition has them (e.g. ADA: A1c ≥ 6.5% twice). */
  criteria: z
    .object({
      met: z.boolean(),
      description: z.string().min(1),
      findingIds: z.array(z.string()),
      citationIds: z.array(z.string()),
    })
    .optional(),
  /** One sentence for the card and the app: why this is on the list, with the numbers. */
  rationale: z.string().min(1),
  citationIds: z.array(z.string()),
  origin: originSchema,
  /** The condition's urgency class (knowledge/urgency.ts). */
  urgency: urgencySchema.optional(),
  /**
   * Exclusions that withhold this diagnosis's card (hospice or comfort care for a chronic-disease
   * finding): the hypothesis stays here, so the app can show it and say why no card was shown.
   */
  exclusions: z.array(exclusionReasonSchema).optional(),
});
export type Hypothesis = z.infer<typeof hypothesisSchema>;

/** An unobserved finding that would move the leading posteriors most if it were known. */
export const nextBestTestSchema = z.object({
  id: z.string().min(1),
  label: z.string().min(1),
  /** What to order: LOINC for a lab, SNOMED CT for a procedure. */
  code: codingSchema.optional(),
  conditionIds: z.array(z.string()),
  /** Expected absolute change in the leading posteriors (0-1), the ranking key. */
  expectedChange: z.number().min(0),
  rationale: z.string().min(1),
  citationIds: z.array(z.string()),
});
export type NextBestTest = z.infer<typeof nextBestTestSchema>;

/** A clinical score computed exactly from its published equation or point table. */
export const scoreSchema = z.object({
  /** Stable ids: `pce-ascvd-10y`, `prevent-cvd-10y`, `prevent-ascvd-10y`, `cha2ds2-vasc`, `has-bled`,
   * `egfr-ckd-epi-2021`, `kdigo-stage`, `crcl-cockcroft-gault`, `bmi`, `fib-4`, `qsofa`, `sirs`, `mme-daily`. */
  id: z.string().min(1),
  label: z.string().min(1),
  value: z.number(),
  unit: z.string().optional(),
  /** "High risk (≥ 20%)", "Indeterminate (1.30-2.67)", "G3a". */
  interpretation: z.string().min(1),
  inputs: z.array(z.object({ label: z.string(), value: z.string(), findingId: z.string().optional() })),
  /** Informational scores (qSOFA, SIRS, HAS-BLED) never drive a card on their own. */
  informational: z.boolean(),
  citationIds: z.array(z.string()),
});
export type Score = z.infer<typeof scoreSchema>;

/** The order a recommendation or a safety alternative proposes, coded for a draft FHIR request. */
export const proposedOrderSchema = z.object({
  resourceType: z.enum(['MedicationRequest', 'ServiceRequest']),
  /** RxNorm for a medication (ingredient or clinical drug), LOINC or SNOMED CT for a service. */
  code: codingSchema.extend({
    system: z.string().min(1),
    code: z.string().min(1),
    display: z.string().min(1),
  }),
  /** Free-text dose or instruction: "atorvastatin 40 mg orally once daily". */
  instruction: z.string().optional(),
});
export type ProposedOrder = z.infer<typeof proposedOrderSchema>;

/** Guideline strength: the issuer's own class/grade and level of evidence, verbatim. */
export const strengthSchema = z.object({
  /** "ACC/AHA", "KDIGO", "ADA", "CDC", "HFSA". */
  scheme: z.string().min(1),
  /** "1", "2a", "I", "IIa", "1B", "A". */
  class: z.string().min(1),
  level: z.string().optional(),
  /** Plain words: "Strong recommendation, high-quality evidence". */
  text: z.string().optional(),
});
export type Strength = z.infer<typeof strengthSchema>;

/**
 * A value a rule read and set aside: the newest of its kind, but older than the rule's look-back,
 * so the rule treated it as missing (DESIGN.md §3a, fresh data wins). Shown on the card and in the
 * app: "HbA1c 7.9 % of 2024-03-01 is older than the 6-month look-back, treated as missing".
 */
export const staleInputSchema = z.object({
  /** Analyte id (`a1c`, `uacr`, `egfr`, ...). */
  analyte: z.string().min(1),
  /** The analyte's name as shown: "HbA1c". */
  label: z.string().min(1),
  value: z.number(),
  unit: z.string().optional(),
  /** ISO 8601 date of the value. */
  date: z.string().min(1),
  /** The rule's look-back, in months. */
  lookBackMonths: z.number().positive(),
  /** The look-back in days, where the source states it in days (shown instead of months). */
  lookBackDays: z.number().int().positive().optional(),
  /** The finding the value is (in `Assessment.findings`). */
  findingId: z.string().min(1),
  /** The source of the look-back. */
  citationIds: z.array(z.string()),
});
export type StaleInput = z.infer<typeof staleInputSchema>;

export const recommendationSchema = z.object({
  id: z.string().min(1),
  /** Stable rule id, e.g. `statin-diabetes-40-75`, `af-anticoagulation`. Cards derive topic codes from it. */
  ruleId: z.string().min(1),
  kind: z.enum(['start', 'intensify', 'stop', 'avoid', 'order-test', 'monitor', 'refer']),
  /** Imperative, specific: "Start a moderate-intensity statin". */
  title: z.string().min(1),
  /** Why, with the numbers and dates: "Diabetes, age 58, LDL 132 mg/dL (2026-03-02)". */
  rationale: z.string().min(1),
  strength: strengthSchema,
  /** `strong`: class I / 1A-1B style; cards may use `warning` for strong gaps with complete data. */
  priority: z.enum(['strong', 'moderate', 'weak']),
  /** All inputs the rule needs were present and recent enough. */
  dataComplete: z.boolean(),
  findingIds: z.array(z.string()),
  conditionIds: z.array(z.string()),
  contraindicationsChecked: z.array(
    z.object({ label: z.string().min(1), present: z.boolean(), findingIds: z.array(z.string()) }),
  ),
  proposedOrders: z.array(proposedOrderSchema),
  citationIds: z.array(z.string()),
  origin: originSchema,
  /** The rule's urgency class: chronic gap or screening (knowledge/urgency.ts). */
  urgency: urgencySchema.optional(),
  /** The premises the rule declares, each checked (all met, or the rule would not have fired). */
  premises: z.array(premiseResultSchema).optional(),
  /** Values older than the rule's look-back, treated as missing (the card says so). */
  staleInputs: z.array(staleInputSchema).optional(),
});
export type Recommendation = z.infer<typeof recommendationSchema>;

/** A rule that did not fire because a premise it declares was not met: shown in the app. */
export const unmetPremiseSchema = z.object({
  ruleId: z.string().min(1),
  /** What the rule would have advised: "Intensify BP treatment". */
  title: z.string().min(1),
  premises: z.array(premiseResultSchema),
});
export type UnmetPremise = z.infer<typeof unmetPremiseSchema>;

/**
 * A can't-miss acute problem the record supports in the current encounter window, listed apart
 * from the probability ranking (DXplain's "important to consider"): the card budget starts here.
 */
export const cantMissSchema = z.object({
  id: z.string().min(1),
  /** Knowledge-base condition id: `adhf`, `sepsis`, `acs`, `aki`, `hyperkalemia`. */
  conditionId: z.string().min(1),
  label: z.string().min(1),
  /** The supporting data with their numbers, short: "qSOFA 2 (RR 24, SBP 98), SIRS 4, SpO2 91%". */
  support: z.string().min(1),
  /** The one thing to do now: "Chest radiograph; blood cultures and lactate". */
  action: z.string().min(1),
  /** The tests that settle it (never a chart artefact such as the problem list). */
  nextTests: z.array(z.object({ label: z.string().min(1), code: codingSchema.optional() })),
  findingIds: z.array(z.string()),
  /** Scores that drive it (`qsofa`, `sirs`, `news2`), in `Assessment.scores`. */
  scoreIds: z.array(z.string()),
  /** The differential's hypothesis for the same condition, when there is one. */
  hypothesisId: z.string().optional(),
  /** The probability the differential gives (shown apart: can't-miss is not a probability rank). */
  posterior: z.number().min(0).max(1).optional(),
  urgency: urgencySchema,
  citationIds: z.array(z.string()),
});
export type CantMiss = z.infer<typeof cantMissSchema>;

export const SAFETY_TYPES = [
  'drug-allergy',
  'drug-renal',
  'drug-drug',
  'drug-condition',
  'duplicate-therapy',
  'pregnancy',
  'dose-limit',
  'older-adult',
] as const;

/** A problem with a draft order (order-select / order-sign). */
export const safetyAlertSchema = z.object({
  id: z.string().min(1),
  /** Stable rule id, e.g. `ddi-warfarin-nsaid`, `renal-metformin-egfr-30`. */
  ruleId: z.string().min(1),
  type: z.enum(SAFETY_TYPES),
  severity: z.enum(['high', 'moderate', 'low']),
  /** True when the combination is contraindicated (not merely cautioned) by the cited source. */
  contraindicated: z.boolean(),
  /** The draft order concerned: its reference within draftOrders, e.g. `MedicationRequest/draft-1`. */
  order: z.object({ reference: z.string().min(1), label: z.string().min(1), code: codingSchema.optional() }),
  title: z.string().min(1),
  detail: z.string().min(1),
  findingIds: z.array(z.string()),
  alternative: proposedOrderSchema.optional(),
  citationIds: z.array(z.string()),
  /** Exclusions that withhold this alert's card (a Beers "avoid" in hospice care), kept for the app. */
  exclusions: z.array(exclusionReasonSchema).optional(),
  /** Values older than the check's look-back, treated as missing (the alert says they are not current). */
  staleInputs: z.array(staleInputSchema).optional(),
});
export type SafetyAlert = z.infer<typeof safetyAlertSchema>;

/** What produced the Assessment: shown in the app header and the model card. */
export const provenanceSchema = z.object({
  name: z.string().min(1),
  version: z.string().min(1),
  /** sha256 of the canonical knowledge base, so a card can be traced to the exact rules. */
  knowledgeBaseHash: z.string().min(1),
});

/** A claim of the LLM reasoner, after verification against the record and the evidence library. */
export const reasoningStepSchema = z.object({
  text: z.string().min(1),
  findingIds: z.array(z.string()),
  citationIds: z.array(z.string()),
});

export const llmAdditionsSchema = z.object({
  status: z.enum(['pending', 'complete', 'failed', 'timeout']),
  model: z.string().optional(),
  promptVersion: z.string().optional(),
  hypotheses: z.array(hypothesisSchema),
  recommendations: z.array(recommendationSchema),
  reasoning: z.array(reasoningStepSchema),
  /** Claims dropped by verification, by reason (`unknown-finding`, `unknown-citation`, `contradicted-value`). */
  dropped: z.record(z.string(), z.number().int().nonnegative()),
  /** Library entries the kept claims cite (the assessment's own list holds the model's). */
  citations: z.array(citationSchema).optional(),
  completedAt: z.string().optional(),
});
export type LlmAdditions = z.infer<typeof llmAdditionsSchema>;

/** Why a recommendation was withheld or weakened: one declared exclusion that applied. */

/** A recommendation the exclusions withheld, kept with its reasons so the app can say why. */
export const suppressedRecommendationSchema = z.object({
  recommendation: recommendationSchema,
  reasons: z.array(exclusionReasonSchema).min(1),
});
export type SuppressedRecommendation = z.infer<typeof suppressedRecommendationSchema>;

/** Codings of the resources the model reads that the terminology layer did not recognise. */
export const unrecognizedCodingSchema = z.object({
  resourceType: z.string().min(1),
  system: z.string(),
  code: z.string(),
  count: z.number().int().positive(),
});
export type UnrecognizedCoding = z.infer<typeof unrecognizedCodingSchema>;

/**
 * Why the service read less of the record than the EHR sent (issue 18, "read liberally, judge
 * strictly"): an element that breaks its FHIR datatype and was ignored, a resource the model needs
 * but could not read and skipped, a FHIR response cut at the size cap, or resources beyond the
 * per-patient cap. Locations and problems only, never values: this list is shown in the app and
 * counted on the monitoring page.
 */
export const DATA_QUALITY_KINDS = [
  'element-ignored',
  'resource-skipped',
  'response-truncated',
  'resources-capped',
  'key-unavailable',
] as const;
export const dataQualityIssueSchema = z.object({
  kind: z.enum(DATA_QUALITY_KINDS),
  /** `Observation/o1.valueQuantity.value`, `MedicationRequest/m1`, or `prefetch.observations`. */
  where: z.string().min(1),
  /** What is wrong, e.g. "must be a number"; for a skipped resource, the element that made it unreadable. */
  problem: z.string().min(1),
});
export type DataQualityIssue = z.infer<typeof dataQualityIssueSchema>;

/** What exactly a site model ran as: the ONNX file's sha256, or the inference server's model metadata. */
export const siteModelProvenanceSchema = z.object({
  runtime: z.enum(['onnx', 'oip']),
  sha256: z.string().optional(),
  server: z
    .object({
      model: z.string().min(1),
      version: z.string().optional(),
      platform: z.string().optional(),
      /** sha256 of the server's model metadata, once it has been read. */
      metadataSha256: z.string().optional(),
    })
    .optional(),
});
export type SiteModelProvenance = z.infer<typeof siteModelProvenanceSchema>;

/** One input of a site model, as given to it, with the resources behind it (the evidence view). */
export const siteModelFeatureSchema = z.object({
  name: z.string().min(1),
  value: z.number(),
  unit: z.string().optional(),
  /** The record had nothing for it: the model was given its declared missing value. */
  missing: z.boolean(),
  sources: z.array(resourceRefSchema),
  /** For a linear model: weight × (value − reference), on the log-odds scale. */
  contribution: z.number().optional(),
});
export type SiteModelFeature = z.infer<typeof siteModelFeatureSchema>;

/** A site model's probability for one condition or event, and what it becomes (issue 16). */
export const siteModelPredictionSchema = z.object({
  /** Unique within the Assessment: `{modelId}:{conditionId}`. */
  id: z.string().min(1),
  conditionId: z.string().min(1),
  label: z.string().min(1),
  probability: z.number().min(0).max(1),
  /** The card level its thresholds give: none below `info`. */
  level: z.enum(['none', 'info', 'warning']),
  /** The patient has the condition recorded already (the output's recorded value set). */
  recorded: z.boolean(),
  /** A declared exclusion found in the record (`hospice`, `pregnancy`): no card. */
  excludedBy: z.string().optional(),
  /** The card summary, from the output's template. */
  summary: z.string().min(1),
  action: proposedOrderSchema.optional(),
});
export type SiteModelPrediction = z.infer<typeof siteModelPredictionSchema>;

/** One site model's run for this Assessment: what it was given, what it said, or why it did not. */
export const siteModelResultSchema = z.object({
  modelId: z.string().min(1),
  version: z.string().min(1),
  owner: z.string().min(1),
  /** silent: stored and counted, never a card. */
  mode: z.enum(['silent', 'live']),
  provenance: siteModelProvenanceSchema,
  status: z.enum(['complete', 'timeout', 'unavailable', 'bad-response', 'circuit-open']),
  /** Time from the call to its answer or cut, in milliseconds. */
  latencyMs: z.number().nonnegative(),
  features: z.array(siteModelFeatureSchema),
  predictions: z.array(siteModelPredictionSchema),
});
export type SiteModelResult = z.infer<typeof siteModelResultSchema>;

export const assessmentSchema = z.object({
  /** Assigned by the service when stored (uuid); the pure model leaves it empty. */
  id: z.string(),
  model: provenanceSchema,
  /** The `now` passed to assess(): the model reads no clock. */
  assessedAt: z.string().min(1),
  patient: z.object({
    reference: z.string().min(1),
    ageYears: z.number().optional(),
    sex: z.enum(['female', 'male', 'other', 'unknown']).optional(),
  }),
  hook: z.string().optional(),
  hookInstance: z.string().optional(),
  findings: z.array(findingSchema),
  hypotheses: z.array(hypothesisSchema),
  nextBestTests: z.array(nextBestTestSchema),
  scores: z.array(scoreSchema),
  recommendations: z.array(recommendationSchema),
  /** Recommendations an exclusion withheld (pregnancy, hospice, intolerance, bleeding, ...), with why. */
  suppressedRecommendations: z.array(suppressedRecommendationSchema).optional(),
  safety: z.array(safetyAlertSchema),
  /**
   * The terminology layer's view of the record: codings of read resources it did not recognise
   * (most frequent first, at most 50) and how many findings were recognised only by text.
   */
  terminology: z
    .object({
      unrecognizedCount: z.number().int().nonnegative(),
      unrecognized: z.array(unrecognizedCodingSchema),
      textMatches: z.number().int().nonnegative(),
    })
    .optional(),
  /** Every citation any item above refers to, once. */
  citations: z.array(citationSchema),
  /** What the model could not use or wanted and did not find: "No lipid panel in 5 years". */
  dataGaps: z.array(z.string()),
  /** Can't-miss acute problems supported by the current encounter's data; cards lead with them. */
  cantMiss: z.array(cantMissSchema).optional(),
  /** Rules that did not fire because a declared premise was not met, with the premise missing. */
  unmetPremises: z.array(unmetPremiseSchema).optional(),
  /** What of the record could not be read (see dataQualityIssueSchema); absent when all of it was. */
  dataQuality: z.array(dataQualityIssueSchema).optional(),
  llm: llmAdditionsSchema.optional(),
  /** The site's own models that ran on this hook (configuration `models`), absent when none did. */
  siteModels: z.array(siteModelResultSchema).optional(),
});
export type Assessment = z.infer<typeof assessmentSchema>;
