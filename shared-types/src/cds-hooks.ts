/**
 * CDS Hooks 2.0.1 wire types and their zod schemas (http://cds-hooks.hl7.org/STU2, hooks from the
 * Hook Library STU1). Every schema tolerates unknown keys where the spec allows `extension`, and
 * `extension` itself accepts any reverse-domain keys (Epic sends `com.epic.cdshooks.*`).
 */
import { z } from 'zod';

/** A FHIR Coding as CDS Hooks uses it (source.topic, overrideReasons). */
export const codingSchema = z.object({
  system: z.string().optional(),
  code: z.string().optional(),
  display: z.string().optional(),
  version: z.string().optional(),
});
export type Coding = z.infer<typeof codingSchema>;

/** `extension`: a JSON object whose keys SHOULD be reverse-domain names (STU2 §Extensions). */
export const extensionSchema = z.record(z.string(), z.unknown());

/** Any FHIR resource: a JSON object with a `resourceType`. Deeper validation is the reader's job. */
export const fhirResourceSchema = z.looseObject({
  resourceType: z.string().min(1),
  id: z.string().optional(),
});
export type FhirResourceJson = z.infer<typeof fhirResourceSchema>;

export const fhirBundleSchema = z.looseObject({
  resourceType: z.literal('Bundle'),
  type: z.string().optional(),
  entry: z
    .array(z.looseObject({ resource: fhirResourceSchema.optional(), fullUrl: z.string().optional() }))
    .optional(),
  link: z.array(z.looseObject({ relation: z.string(), url: z.string() })).optional(),
});

// ---------------------------------------------------------------------------------------------
// Discovery (STU2 §Discovery)
// ---------------------------------------------------------------------------------------------

export const HOOKS = [
  'patient-view',
  'order-select',
  'order-sign',
  'encounter-start',
  'encounter-discharge',
  'appointment-book',
] as const;
export type HookName = (typeof HOOKS)[number];

export const cdsServiceSchema = z.object({
  hook: z.string().min(1),
  title: z.string().optional(),
  description: z.string().min(1),
  id: z.string().min(1),
  prefetch: z.record(z.string(), z.string()).optional(),
  usageRequirements: z.string().optional(),
  /** CDS Hooks 3.0 ballot fields, sent now for forward compatibility. */
  version: z.string().optional(),
  hookVersion: z.string().optional(),
  extension: extensionSchema.optional(),
});
export type CdsService = z.infer<typeof cdsServiceSchema>;

export const cdsDiscoverySchema = z.object({ services: z.array(cdsServiceSchema) });
export type CdsDiscovery = z.infer<typeof cdsDiscoverySchema>;

// ---------------------------------------------------------------------------------------------
// Service request (STU2 §Calling a CDS Service; Hook Library context tables)
// ---------------------------------------------------------------------------------------------

export const fhirAuthorizationSchema = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().refine((t) => t.toLowerCase() === 'bearer', 'token_type must be Bearer'),
  expires_in: z.number().int().nonnegative(),
  scope: z.string(),
  subject: z.string().min(1),
  patient: z.string().optional(),
});
export type FhirAuthorization = z.infer<typeof fhirAuthorizationSchema>;

/**
 * NUL, other control characters and unpaired UTF-16 surrogates: no FHIR id holds them (FHIR R4
 * `id`: `[A-Za-z0-9\-\.]{1,64}`), no database stores NUL, and an app link built on one would
 * lead nowhere. Ids are otherwise read liberally (some clients send `Patient/123`).
 */
const UNUSABLE_IN_ID =
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this pattern finds
  /[\u0000-\u001F\u007F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/u;

/** An id a record can be filed under: 1–256 characters, none of them a control character or a lone surrogate. */
export const fhirIdSchema = z
  .string()
  .min(1)
  .max(256)
  .refine((s) => !UNUSABLE_IN_ID.test(s), 'must not contain a control character or an unpaired surrogate');

/** A bare FHIR id; some clients send `Patient/123`, which the service normalizes. */
const idSchema = fhirIdSchema;
/** `userId` is `Type/id` (Practitioner, PractitionerRole, Patient or RelatedPerson). */
const userIdSchema = z
  .string()
  .min(1)
  .max(512)
  .refine((s) => !UNUSABLE_IN_ID.test(s), 'must not contain a control character or an unpaired surrogate');

export const patientViewContextSchema = z.looseObject({
  userId: userIdSchema,
  patientId: idSchema,
  encounterId: idSchema.optional(),
});

/**
 * `draftOrders`: a Bundle. Its entries are FHIR resources, read liberally by the service (an odd
 * entry is skipped with a data-quality issue), so only the envelope is checked here.
 */
export const draftOrdersSchema = z.looseObject({
  resourceType: z.literal('Bundle'),
  entry: z.unknown().optional(),
});

export const orderSelectContextSchema = z.looseObject({
  userId: userIdSchema,
  patientId: idSchema,
  encounterId: idSchema.optional(),
  selections: z.array(z.string().min(1)).min(1),
  draftOrders: draftOrdersSchema,
});

export const orderSignContextSchema = z.looseObject({
  userId: userIdSchema,
  patientId: idSchema,
  encounterId: idSchema.optional(),
  draftOrders: draftOrdersSchema,
});

export const encounterContextSchema = z.looseObject({
  userId: userIdSchema,
  patientId: idSchema,
  encounterId: idSchema,
});

export const appointmentBookContextSchema = z.looseObject({
  userId: userIdSchema,
  patientId: idSchema,
  encounterId: idSchema.optional(),
  appointments: fhirBundleSchema,
});

/** The context schema of each hook, from the Hook Library STU1 context tables. */
export const hookContextSchemas = {
  'patient-view': patientViewContextSchema,
  'order-select': orderSelectContextSchema,
  'order-sign': orderSignContextSchema,
  'encounter-start': encounterContextSchema,
  'encounter-discharge': encounterContextSchema,
  'appointment-book': appointmentBookContextSchema,
} as const satisfies Record<HookName, z.ZodType>;

export type PatientViewContext = z.infer<typeof patientViewContextSchema>;
export type OrderSelectContext = z.infer<typeof orderSelectContextSchema>;
export type OrderSignContext = z.infer<typeof orderSignContextSchema>;

/**
 * Prefetch: one value per key, a FHIR resource (often a Bundle or an OperationOutcome) or `null`,
 * which means the client has no data for that key (STU2 L269-282). Values are read by the service,
 * liberally: one that is not a resource counts as missing (fetched from fhirServer, else 412), so
 * only the map itself is part of the envelope.
 */
export const prefetchSchema = z.record(z.string(), z.unknown());

/** The envelope of every hook request; `context` is validated per hook by `hookContextSchemas`. */
export const cdsRequestSchema = z
  .looseObject({
    hook: z.string().min(1),
    // Stored with the assessment, its cards and its audit event: refused, not lost at the database.
    hookInstance: fhirIdSchema,
    fhirServer: z.url().optional(),
    fhirAuthorization: fhirAuthorizationSchema.optional(),
    context: z.looseObject({}),
    prefetch: prefetchSchema.optional(),
    extension: extensionSchema.optional(),
  })
  .refine((r) => !r.fhirAuthorization || r.fhirServer, {
    message: 'fhirServer is required when fhirAuthorization is present',
    path: ['fhirServer'],
  });
export type CdsRequest = z.infer<typeof cdsRequestSchema>;

// ---------------------------------------------------------------------------------------------
// Response (STU2 §CDS Service Response)
// ---------------------------------------------------------------------------------------------

export const INDICATORS = ['info', 'warning', 'critical'] as const;
export type Indicator = (typeof INDICATORS)[number];

export const actionSchema = z.object({
  type: z.enum(['create', 'update', 'delete']),
  description: z.string().min(1),
  resource: fhirResourceSchema.optional(),
  /** Relative reference of the resource to delete, e.g. `MedicationRequest/draft-1`. */
  resourceId: z.string().optional(),
  extension: extensionSchema.optional(),
});
export type Action = z.infer<typeof actionSchema>;

export const suggestionSchema = z.object({
  label: z.string().min(1),
  uuid: z.string().optional(),
  isRecommended: z.boolean().optional(),
  actions: z.array(actionSchema).optional(),
  extension: extensionSchema.optional(),
});
export type Suggestion = z.infer<typeof suggestionSchema>;

export const linkSchema = z.object({
  label: z.string().min(1),
  url: z.string().min(1),
  type: z.enum(['absolute', 'smart']),
  appContext: z.string().optional(),
  autolaunchable: z.boolean().optional(),
  extension: extensionSchema.optional(),
});
export type Link = z.infer<typeof linkSchema>;

export const sourceSchema = z.object({
  label: z.string().min(1),
  url: z.string().optional(),
  icon: z.string().optional(),
  topic: codingSchema.extend({ code: z.string().min(1), system: z.string().min(1) }).optional(),
  extension: extensionSchema.optional(),
});
export type Source = z.infer<typeof sourceSchema>;

/** Override reasons: each Coding MUST have a display (STU2 §Card Attributes). */
export const overrideReasonSchema = codingSchema.extend({ display: z.string().min(1) });

export const cardSchema = z
  .object({
    uuid: z.string().optional(),
    summary: z.string().min(1).max(139, 'summary must be under 140 characters'),
    detail: z.string().optional(),
    indicator: z.enum(INDICATORS),
    source: sourceSchema,
    suggestions: z.array(suggestionSchema).optional(),
    selectionBehavior: z.enum(['at-most-one', 'any']).optional(),
    overrideReasons: z.array(overrideReasonSchema).optional(),
    links: z.array(linkSchema).optional(),
    extension: extensionSchema.optional(),
  })
  .refine((c) => !c.suggestions?.length || c.selectionBehavior, {
    message: 'selectionBehavior is required when suggestions are present',
    path: ['selectionBehavior'],
  });
export type Card = z.infer<typeof cardSchema>;

export const cdsResponseSchema = z.object({
  cards: z.array(cardSchema),
  systemActions: z.array(actionSchema).optional(),
  extension: extensionSchema.optional(),
});
export type CdsResponse = z.infer<typeof cdsResponseSchema>;

// ---------------------------------------------------------------------------------------------
// Feedback (STU2 §Feedback). Epic spells the reason `overrideReasons`; both are accepted.
// ---------------------------------------------------------------------------------------------

const overrideReasonFeedbackSchema = z.looseObject({
  reason: codingSchema.optional(),
  userComment: z.string().max(4000).optional(),
});

export const feedbackEntrySchema = z
  .looseObject({
    card: z.string().min(1),
    outcome: z.enum(['accepted', 'overridden']),
    acceptedSuggestions: z.array(z.looseObject({ id: z.string().min(1) })).optional(),
    overrideReason: overrideReasonFeedbackSchema.optional(),
    /** Epic's spelling: a single object or an array of them. */
    overrideReasons: z
      .union([overrideReasonFeedbackSchema, z.array(overrideReasonFeedbackSchema)])
      .optional(),
    outcomeTimestamp: z.iso.datetime({ offset: true }),
    extension: extensionSchema.optional(),
  })
  .refine((f) => f.outcome !== 'accepted' || (f.acceptedSuggestions?.length ?? 0) > 0, {
    message: 'acceptedSuggestions is required when outcome is accepted',
    path: ['acceptedSuggestions'],
  });
export type FeedbackEntry = z.infer<typeof feedbackEntrySchema>;

export const feedbackRequestSchema = z.object({ feedback: z.array(feedbackEntrySchema).min(1).max(500) });
export type FeedbackRequest = z.infer<typeof feedbackRequestSchema>;

/** The override reason of a feedback entry, whichever spelling the client used. */
export function overrideReasonOf(
  entry: FeedbackEntry,
): { reason?: Coding; userComment?: string } | undefined {
  if (entry.overrideReason) return entry.overrideReason;
  const plural = entry.overrideReasons;
  return Array.isArray(plural) ? plural[0] : plural;
}
