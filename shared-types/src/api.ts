/**
 * The service API the SMART app uses (DESIGN.md §1). Every call carries the app's SMART access
 * token as `Authorization: Bearer`; the service proves access by reading the Patient with it from
 * the allowlisted FHIR server, and never stores it.
 */
import { z } from 'zod';
import { citationSchema } from './assessment';
import { fhirIdSchema } from './cds-hooks';

/** `POST /api/assessments`: compute a fresh assessment (standalone launch, or no appContext). */
export const createAssessmentRequestSchema = z.object({
  fhirServer: z.url(),
  patient: fhirIdSchema,
});
export type CreateAssessmentRequest = z.infer<typeof createAssessmentRequestSchema>;

/** `POST /api/feedback`: a clinician's verdict on one item of an assessment. */
export const appFeedbackRequestSchema = z.object({
  assessmentId: z.string().min(1).max(128),
  target: z.object({
    type: z.enum(['hypothesis', 'recommendation', 'safety', 'llm-hypothesis', 'llm-recommendation']),
    /** The item's id within the assessment. */
    id: z.string().min(1).max(256),
    /** conditionId or ruleId: what monitoring groups by. */
    key: z.string().min(1).max(256),
  }),
  verdict: z.enum(['agree', 'disagree']),
  reason: z
    .enum([
      'incorrect-data',
      'not-clinically-appropriate',
      'already-addressed',
      'patient-declined',
      'evidence-disputed',
      'other',
    ])
    .optional(),
  comment: z.string().max(2000).optional(),
});
export type AppFeedbackRequest = z.infer<typeof appFeedbackRequestSchema>;

export const appFeedbackResponseSchema = z.object({ id: z.string(), recordedAt: z.string() });

const attributeUseSchema = z.object({ used: z.boolean(), how: z.string().optional() });

/**
 * The model card: the ONC HTI-1 source attributes for decision support interventions
 * (45 CFR 170.315(b)(11)(iv)), served by `GET /api/model-card`.
 */
/**
 * A site's own model as its model card shows it: identity, the HTI-1 source attributes its owner
 * declared in the configuration (45 CFR 170.315(b)(11)(iv)(B)), and what it reads and produces.
 */
export const siteModelCardSchema = z.object({
  id: z.string(),
  version: z.string(),
  owner: z.string(),
  intendedUse: z.string(),
  hooks: z.array(z.string()),
  mode: z.enum(['silent', 'live']),
  runtime: z.enum(['onnx', 'oip']),
  inputs: z.array(z.object({ name: z.string(), description: z.string() })),
  outputs: z.array(z.object({ label: z.string(), thresholds: z.string() })),
  sourceAttributes: z.object({
    developer: z.string(),
    fundingSource: z.string().optional(),
    outputDescription: z.string(),
    intendedUsers: z.array(z.string()),
    intendedPopulation: z.string(),
    cautionedOutOfScopeUses: z.array(z.string()),
    trainingData: z.string(),
    knownLimitations: z.array(z.string()),
    knownRisks: z.array(z.string()),
    validation: z.string(),
    fairness: z.string().optional(),
    updateSchedule: z.string().optional(),
  }),
});
export type SiteModelCard = z.infer<typeof siteModelCardSchema>;

export const modelCardSchema = z.object({
  name: z.string(),
  version: z.string(),
  knowledgeBaseHash: z.string(),
  releaseDate: z.string(),
  developer: z.object({ name: z.string(), contact: z.string() }),
  fundingSource: z.string(),
  interventionType: z.enum([
    'evidence-based',
    'predictive',
    'evidence-based with optional predictive reasoner',
  ]),
  outputDescription: z.string(),
  outputTypes: z.array(z.enum(['prediction', 'classification', 'recommendation', 'evaluation', 'analysis'])),
  intendedUse: z.string(),
  intendedUsers: z.array(z.string()),
  intendedPopulation: z.string(),
  decisionRole: z.string(),
  cautionedOutOfScopeUses: z.array(z.string()),
  knownLimitations: z.array(z.string()),
  knownRisks: z.array(z.string()),
  inputs: z.array(z.object({ name: z.string(), description: z.string(), codes: z.array(z.string()) })),
  /** HTI-1 (b)(11)(iv)(A)(5)-(13): whether each of these is an input, and how. */
  demographicAndSocialInputs: z.object({
    race: attributeUseSchema,
    ethnicity: attributeUseSchema,
    language: attributeUseSchema,
    sexualOrientation: attributeUseSchema,
    genderIdentity: attributeUseSchema,
    sex: attributeUseSchema,
    dateOfBirth: attributeUseSchema,
    socialDeterminantsOfHealth: attributeUseSchema,
    healthStatusAssessments: attributeUseSchema,
  }),
  fairness: z.string(),
  validation: z.object({
    description: z.string(),
    results: z.array(z.object({ metric: z.string(), value: z.string(), dataset: z.string() })),
  }),
  maintenance: z.string(),
  updateSchedule: z.string(),
  evidence: z.array(citationSchema),
  llm: z.object({
    enabled: z.boolean(),
    model: z.string().optional(),
    promptVersion: z.string().optional(),
    role: z.string().optional(),
  }),
  /** The site's own models (configuration `models`); absent when none is configured. */
  siteModels: z.array(siteModelCardSchema).optional(),
});
export type ModelCard = z.infer<typeof modelCardSchema>;
