/**
 * The site-model registry (DESIGN.md §5a, issue 16): a site's own trained models, declared in the
 * configuration file's `models` array and validated at start-up. Each entry says what the model is
 * (id, version, owner, intended use and its HTI-1 source attributes), when it runs (hooks, silent or
 * live, a time budget), how the FHIR record becomes its input tensor (`features`), where it runs
 * (`runtime`: an ONNX file in process, or an Open Inference Protocol v2 server) and how its outputs
 * become Assessment entries and cards (`outputs`). A bad entry fails start-up with the field named,
 * e.g. `models[0].features[2].window`.
 */
import { z } from 'zod';
import { SERVICE_HOOKS } from '@rationale/shared-types';
import { CANONICAL_UNITS } from '../model/findings/units';
import { CONCEPT_GROUP_LABELS, LOINC_GROUP_ANALYTES } from '../model/terminology';

/** Analyte ids the terminology layer knows (each a published LOINC group with a canonical unit). */
export const ANALYTE_IDS: ReadonlySet<string> = new Set(LOINC_GROUP_ANALYTES.values());

export const AGGREGATIONS = ['latest', 'min', 'max', 'mean', 'count', 'present'] as const;
export type Aggregation = (typeof AGGREGATIONS)[number];

/** Aggregations that read a numeric value (the others count resources). */
export const NUMERIC_AGGREGATIONS: ReadonlySet<Aggregation> = new Set(['latest', 'min', 'max', 'mean']);

const probability = z.number().min(0).max(1);
const name = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_.-]{0,63}$/, 'letters, digits, _ . - (starting with a letter), at most 64');

/**
 * One input of the model's tensor, in order. Exactly one source: `loinc` (Observation codes),
 * `valueSet` (a terminology-layer value set: an analyte such as `a1c` or a concept group such as
 * `t2d`, read from the resources the group is published for) or `demographic`.
 */
export const featureSchema = z
  .object({
    name: name.describe('The feature, as the model card and the reasoning view show it'),
    loinc: z
      .array(z.string().regex(/^\d{1,8}-\d$/, 'a LOINC code such as 4548-4'))
      .min(1)
      .optional()
      .describe('Observation codes read for this feature'),
    valueSet: z
      .string()
      .min(1)
      .optional()
      .describe(
        'A terminology value set: an analyte id (a1c, glucose, ...) or a concept group (t2d, htn, ...)',
      ),
    demographic: z
      .enum(['age-years', 'female', 'male'])
      .optional()
      .describe('Age in years at the assessment, or 1/0 for the administrative sex'),
    window: z
      .number()
      .int()
      .min(1)
      .max(36_500)
      .optional()
      .describe('Days back from the assessment time to read; absent: the whole record'),
    aggregation: z.enum(AGGREGATIONS).default('latest').describe('How the values in the window become one'),
    unit: z
      .string()
      .min(1)
      .optional()
      .describe(
        'UCUM unit the model expects; values in other units are converted or, if they cannot be, ignored',
      ),
    missing: z.number().describe('The value given to the model when the record has none'),
  })
  .strict();
export type FeatureSpec = z.infer<typeof featureSchema>;

/** Where the model runs: an ONNX file in process, or an Open Inference Protocol v2 server. */
export const runtimeSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('onnx'),
      file: z
        .string()
        .min(1)
        .describe('Path of the .onnx file (relative to the configuration file, or to the working directory)'),
      input: z.string().min(1).optional().describe('Input tensor name; the first input when absent'),
    })
    .strict(),
  z
    .object({
      kind: z.literal('oip'),
      url: z
        .url({ protocol: /^https?$/ })
        .describe('Base URL of the inference server (KServe, Triton, MLServer); https for TLS'),
      model: z.string().min(1).describe('The model name on the server'),
      version: z
        .string()
        .min(1)
        .optional()
        .describe('The model version on the server; its default when absent'),
      input: z.string().min(1).default('input').describe('Input tensor name'),
      authHeaderEnv: z
        .string()
        .regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name')
        .optional()
        .describe('Environment variable holding the Authorization header value (never the value itself)'),
      caFile: z
        .string()
        .min(1)
        .optional()
        .describe(
          "PEM file of the certificate authorities that sign an https server's certificate (a private CA), relative to the configuration file; the system's when absent",
        ),
      failureThreshold: z
        .number()
        .int()
        .min(1)
        .max(100)
        .default(3)
        .describe('Consecutive failures that open the circuit breaker'),
      openSeconds: z.number().min(1).max(3600).default(30).describe('How long an open breaker stops calls'),
    })
    .strict(),
]);
export type RuntimeSpec = z.infer<typeof runtimeSchema>;

const codedSchema = z
  .object({ system: z.url(), code: z.string().min(1), display: z.string().min(1) })
  .strict();

/** One output element that is a probability of a condition or event, and how it becomes a card. */
export const outputSchema = z
  .object({
    output: z.string().min(1).describe('Output tensor name'),
    index: z.number().int().min(0).default(0).describe('Element of the output row holding the probability'),
    conditionId: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and -')
      .describe('Stable id of the condition or event; the card topic derives from it'),
    label: z.string().min(1).max(60).describe('The condition or event in words: "Type 2 diabetes"'),
    recordedValueSet: z
      .string()
      .min(1)
      .optional()
      .describe('A terminology concept group: no card when the patient has it recorded already'),
    excludeIfRecorded: z
      .array(z.string().min(1))
      .default([])
      .describe('Concept groups (hospice, pregnancy, ...) whose presence in the record holds the card back'),
    thresholds: z
      .object({
        info: probability.describe('Probability at or above which an info card is raised'),
        warning: probability.optional().describe('Probability at or above which the card is a warning'),
      })
      .strict()
      .refine((t) => t.warning === undefined || t.warning >= t.info, {
        message: 'warning must be at or above info',
        path: ['warning'],
      }),
    summary: z
      .string()
      .min(1)
      .max(200)
      .describe('Card summary template: {label}, {probability}, {topFeatures}, {model}'),
    action: z
      .object({
        resourceType: z.literal('ServiceRequest'),
        code: codedSchema,
        instruction: z.string().min(1).optional(),
      })
      .strict()
      .optional()
      .describe('The recommended order, offered as a suggestion'),
  })
  .strict();
export type OutputSpec = z.infer<typeof outputSchema>;

/** ONC HTI-1 predictive-DSI source attributes (45 CFR 170.315(b)(11)(iv)(B)) the model card shows. */
export const sourceAttributesSchema = z
  .object({
    developer: z.string().min(1),
    fundingSource: z.string().min(1).optional(),
    outputDescription: z.string().min(1),
    intendedUsers: z.array(z.string().min(1)).min(1),
    intendedPopulation: z.string().min(1),
    cautionedOutOfScopeUses: z.array(z.string().min(1)).default([]),
    trainingData: z.string().min(1).describe('Source, period and size of the training data'),
    knownLimitations: z.array(z.string().min(1)).default([]),
    knownRisks: z.array(z.string().min(1)).default([]),
    validation: z.string().min(1).describe('How it was validated, with the measured performance'),
    fairness: z.string().min(1).optional(),
    updateSchedule: z.string().min(1).optional(),
  })
  .strict();

export const siteModelSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and -'),
    version: z.string().min(1),
    owner: z.string().min(1).describe('Who answers for the model at the site'),
    intendedUse: z.string().min(1),
    sourceAttributes: sourceAttributesSchema,
    hooks: z.array(z.enum(SERVICE_HOOKS)).min(1).describe('The hooks it runs on'),
    mode: z
      .enum(['silent', 'live'])
      .default('silent')
      .describe('silent: run, stored and counted, never shown as a card'),
    budgetMs: z.number().int().min(1).max(10_000).default(200).describe('Longest a hook waits for it'),
    features: z.array(featureSchema).min(1),
    runtime: runtimeSchema,
    outputs: z.array(outputSchema).min(1),
    linear: z
      .object({
        weights: z.record(z.string(), z.number()),
        reference: z.record(z.string(), z.number()).optional(),
      })
      .strict()
      .optional()
      .describe(
        'For a linear model: its weight per feature (and the reference value, e.g. the training mean); contributions are weight × (value − reference)',
      ),
  })
  .strict()
  .superRefine(checkModel);
export type SiteModelSpec = z.infer<typeof siteModelSchema>;

/** The registry: model ids unique. */
export const modelsSchema = z.array(siteModelSchema).superRefine((models, ctx) => {
  const seen = new Set<string>();
  models.forEach((m, i) => {
    if (seen.has(m.id))
      ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `model ${m.id} is listed twice` });
    seen.add(m.id);
  });
});

const normUnit = (u: string) => u.trim().replace(/\s+/g, '').toLowerCase();

/** The checks zod's shapes cannot make: one source per feature, known value sets, units, names. */
function checkModel(m: SiteModelSpec, ctx: z.RefinementCtx): void {
  const names = new Set<string>();
  m.features.forEach((f, i) => {
    const at = (field: string) => ['features', i, field];
    if (names.has(f.name))
      ctx.addIssue({ code: 'custom', path: at('name'), message: `${f.name} is listed twice` });
    names.add(f.name);
    const sources = [f.loinc, f.valueSet, f.demographic].filter((s) => s !== undefined).length;
    if (sources !== 1)
      ctx.addIssue({
        code: 'custom',
        path: ['features', i],
        message: 'needs exactly one of loinc, valueSet or demographic',
      });
    if (f.valueSet !== undefined && !ANALYTE_IDS.has(f.valueSet) && !CONCEPT_GROUP_LABELS.has(f.valueSet))
      ctx.addIssue({
        code: 'custom',
        path: at('valueSet'),
        message: `"${f.valueSet}" is not a value set of the terminology layer (analytes: ${[...ANALYTE_IDS].join(', ')}; groups: ${[...CONCEPT_GROUP_LABELS.keys()].join(', ')})`,
      });
    const isGroup =
      f.valueSet !== undefined && CONCEPT_GROUP_LABELS.has(f.valueSet) && !ANALYTE_IDS.has(f.valueSet);
    if (NUMERIC_AGGREGATIONS.has(f.aggregation) && isGroup)
      ctx.addIssue({
        code: 'custom',
        path: at('aggregation'),
        message: `${f.aggregation} needs a measured value; a concept group (${f.valueSet}) takes count or present`,
      });
    if (f.demographic !== undefined) {
      if (f.window !== undefined)
        ctx.addIssue({ code: 'custom', path: at('window'), message: 'a demographic has no window' });
      if (f.aggregation !== 'latest')
        ctx.addIssue({ code: 'custom', path: at('aggregation'), message: 'a demographic is read as latest' });
    }
    const numeric = NUMERIC_AGGREGATIONS.has(f.aggregation) && f.demographic === undefined && !isGroup;
    if (numeric && f.unit === undefined)
      ctx.addIssue({
        code: 'custom',
        path: at('unit'),
        message: `${f.aggregation} of a measured value needs its unit`,
      });
    if (numeric && f.unit !== undefined && f.valueSet !== undefined && ANALYTE_IDS.has(f.valueSet)) {
      const canonical = CANONICAL_UNITS[f.valueSet];
      if (canonical && normUnit(canonical) !== normUnit(f.unit))
        ctx.addIssue({
          code: 'custom',
          path: at('unit'),
          message: `${f.valueSet} is read in ${canonical} (values in other units are converted to it); got ${f.unit}`,
        });
    }
  });
  m.outputs.forEach((o, i) => {
    if (o.recordedValueSet !== undefined && !CONCEPT_GROUP_LABELS.has(o.recordedValueSet))
      ctx.addIssue({
        code: 'custom',
        path: ['outputs', i, 'recordedValueSet'],
        message: `"${o.recordedValueSet}" is not a concept group of the terminology layer (${[...CONCEPT_GROUP_LABELS.keys()].join(', ')})`,
      });
    o.excludeIfRecorded.forEach((g, j) => {
      if (!CONCEPT_GROUP_LABELS.has(g))
        ctx.addIssue({
          code: 'custom',
          path: ['outputs', i, 'excludeIfRecorded', j],
          message: `"${g}" is not a concept group of the terminology layer`,
        });
    });
    for (const placeholder of o.summary.match(/\{[^}]*\}/g) ?? [])
      if (!['{label}', '{probability}', '{topFeatures}', '{model}'].includes(placeholder))
        ctx.addIssue({
          code: 'custom',
          path: ['outputs', i, 'summary'],
          message: `unknown placeholder ${placeholder} (use {label}, {probability}, {topFeatures}, {model})`,
        });
  });
  if (m.runtime.kind === 'oip' && m.runtime.caFile !== undefined && !m.runtime.url.startsWith('https:'))
    ctx.addIssue({
      code: 'custom',
      path: ['runtime', 'caFile'],
      message: 'a CA file is for an https url',
    });
  for (const key of Object.keys(m.linear?.weights ?? {}))
    if (!names.has(key))
      ctx.addIssue({ code: 'custom', path: ['linear', 'weights', key], message: `${key} is not a feature` });
  for (const key of Object.keys(m.linear?.reference ?? {}))
    if (!names.has(key))
      ctx.addIssue({
        code: 'custom',
        path: ['linear', 'reference', key],
        message: `${key} is not a feature`,
      });
}

/** A zod issue path as a field: `models[0].features[2].window`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join('');
}
