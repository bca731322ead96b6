/**
 * One CDS Hooks service call (STU2 §Calling a CDS Service): validate, gather the record, assess,
 * render cards, persist, answer. The model and the renderer are injected; the store degrades
 * gracefully (a hook still answers when the database does not).
 */
import {
  cardSchema,
  cdsRequestSchema,
  hookContextSchemas,
  type Assessment,
  type CdsResponse,
  type LlmAdditions,
  type PatientRecord,
} from '@rationale/shared-types';
import type { RenderedCard } from '../cards/types';
import { CdsError } from '../errors';
import { normalizeBaseUrl } from '../fhir/allowlist';
import type { BundleJson } from '../fhir/fhir-gateway';
import { draftOrderResources, findMalformed } from '../fhir/shape';
import { gatherResources, normalizePatientId, recordFromResources, withDraftOrders } from '../fhir/record';
import type { LlmEnricher } from '../llm/types';
import type { Logger } from '../logger';
import type { HookRecord, IssuedCard, Store } from '../store/store';
import type { ServiceDefinition } from './registry';
import type { HookCallContext, HookDeps } from './types';
import { parseOrThrow } from './validation';

/** source.label of every card. */
export const SOURCE_LABEL = 'Rationale';

/** Answers one hook request for `service`. Throws CdsError for 400 and 412. */
export async function runHook(
  service: ServiceDefinition,
  body: unknown,
  call: HookCallContext,
  deps: HookDeps,
): Promise<CdsResponse> {
  const { logger } = call;
  const started = performance.now();
  const request = parseOrThrow(cdsRequestSchema, body);
  if (request.hook !== service.hook) {
    throw new CdsError('invalid-request', `hook must be "${service.hook}" for service ${service.id}`, {
      expression: ['hook'],
    });
  }
  const context = parseOrThrow(hookContextSchemas[service.hook], request.context, 'context') as Record<
    string,
    unknown
  > & {
    patientId: string;
    userId: string;
    draftOrders?: BundleJson;
    selections?: string[];
  };
  const patientId = normalizePatientId(context.patientId);
  const normalizedContext = { ...context, patientId };
  const settings = deps.config.services[service.hook];
  const now = deps.clock();
  const log = logger.child({ hookInstance: request.hookInstance, serviceId: service.id });

  // Snoozes are read while the record is gathered; a store outage means no snoozes, not no answer.
  const snoozes = deps.store.activeSnoozes(patientId, now).catch((e: unknown) => {
    log.warn({ err: errorSummary(e) }, 'store unavailable: answering without snoozes');
    return new Set<string>();
  });

  const gathered = await gatherResources(
    {
      templates: service.prefetch,
      prefetch: request.prefetch,
      context: normalizedContext,
      patientId,
      fhirServer: request.fhirServer,
      accessToken: request.fhirAuthorization?.access_token,
    },
    { gateway: deps.gateway, timeoutMs: deps.config.fhir.timeoutMs },
  ).catch(async (e: unknown) => {
    await snoozes; // never leave the store read dangling
    throw e;
  });
  const malformed = findMalformed([...gathered.resources, ...draftOrderResources(context.draftOrders)]);
  if (malformed) {
    throw new CdsError('invalid-request', `${malformed.where} ${malformed.problem} (FHIR R4)`, {
      expression: [malformed.where],
    });
  }
  let record: PatientRecord = recordFromResources(gathered.resources, patientId);
  record = withDraftOrders(record, context.draftOrders, context.selections);

  const fhirServer = request.fhirServer ? safeBase(request.fhirServer) : undefined;
  const assessment: Assessment = {
    ...deps.assess(record, now, deps.config.modelSettings),
    id: deps.newId(),
    hook: service.hook,
    hookInstance: request.hookInstance,
  };

  const lateLlm = await attachLlm(deps.llm, assessment, record);

  const rendered = deps.renderCards(assessment, {
    hook: service.hook,
    budget: settings.cardBudget,
    profile: call.caller.profile,
    thresholds: { minSuggestedPosterior: deps.config.modelSettings.minSuggestedPosterior },
    snoozedTopics: await snoozes,
    appLaunchUrl: call.appLaunchUrl,
    sourceLabel: SOURCE_LABEL,
    newUuid: deps.newId,
  });
  const valid = conformingCards(rendered.cards, log);
  const silent = settings.mode === 'silent';

  const issued: IssuedCard[] = valid.map((r) => ({
    cardUuid: r.card.uuid as string,
    serviceId: service.id,
    hook: service.hook,
    hookInstance: request.hookInstance,
    assessmentId: assessment.id,
    patientId,
    topic: r.topic,
    indicator: r.card.indicator,
    suggestionUuids: r.suggestionUuids,
    silent,
    issuedAt: now,
  }));
  // Persisted off the answer's path: the EHR waits for cards, not for the database. The store
  // batches these records with other hooks' and writes them moments later; reads of the store (the
  // SMART link's assessment, feedback's issued card) see them even before. A write that fails is
  // logged: the hook has already answered, as it would have without a database.
  const saved = persist(
    deps.store,
    {
      assessment: { assessment, fhirServer, patientId, createdAt: now },
      cards: issued,
      audit: {
        at: now,
        issuer: call.caller.issuer,
        userId: context.userId,
        action: 'hook',
        serviceId: service.id,
        hookInstance: request.hookInstance,
        patientId,
        assessmentId: assessment.id,
        cardUuids: issued.map((c) => c.cardUuid),
        outcome: 'ok',
      },
    },
    log,
  );

  if (lateLlm) storeLateLlm(deps.store, assessment.id, saved, lateLlm.late, log);

  log.info(
    {
      assessmentId: assessment.id,
      prefetched: gathered.report.prefetched.length,
      fetched: gathered.report.fetched.length,
      resources: gathered.resources.length,
      cards: valid.length,
      suppressed: rendered.suppressed.length,
      dropped: rendered.cards.length - valid.length,
      silent,
      profile: call.caller.profile,
      ms: Math.round(performance.now() - started),
    },
    'hook answered',
  );
  return { cards: silent ? [] : valid.map((r) => r.card) };
}

/**
 * Hands a hook's records to the store and logs a failed write. Outside `runHook` on purpose: a
 * pending write keeps this function's scope alive, and runHook's holds the whole parsed request.
 */
function persist(store: Store, record: HookRecord, log: Logger): Promise<void> {
  const saved = store.recordHook(record);
  const assessmentId = record.assessment.assessment.id;
  saved.catch((e: unknown) =>
    log.warn({ err: errorSummary(e), assessmentId }, 'store unavailable: hook answered without persisting'),
  );
  return saved;
}

/**
 * Cards that meet the spec's letter (summary under 140 characters, uuid, source.label, indicator,
 * selectionBehavior with suggestions, a display on each override reason). A renderer bug drops a
 * card and is logged, rather than sending the EHR a card it must treat as an error.
 */
function conformingCards(cards: RenderedCard[], log: HookCallContext['logger']): RenderedCard[] {
  return cards.filter((r) => {
    const parsed = cardSchema.safeParse(r.card);
    const ok = parsed.success && typeof r.card.uuid === 'string' && r.card.uuid.length > 0;
    if (!ok) {
      log.error(
        {
          topic: r.topic,
          issues: parsed.success ? ['uuid'] : parsed.error.issues.map((i) => i.path.join('.')),
        },
        'card dropped: does not conform to CDS Hooks',
      );
    }
    return ok;
  });
}

function safeBase(url: string): string | undefined {
  try {
    return normalizeBaseUrl(url);
  } catch {
    return undefined;
  }
}

/**
 * Runs the LLM reasoner for at most its budget (DESIGN.md §5): what arrives in time is attached to
 * the assessment; otherwise the assessment says `pending` and the returned promise carries the
 * late additions, for `storeLateLlm`.
 */
export async function attachLlm(
  llm: LlmEnricher | undefined,
  assessment: Assessment,
  record: PatientRecord,
): Promise<{ late: Promise<LlmAdditions> } | undefined> {
  if (!llm) return undefined;
  const raced = await withinBudget(llm.budgetMs, llm.enrich(assessment, record).catch(failedAdditions));
  if (raced.arrived) {
    assessment.llm = raced.value;
    return undefined;
  }
  assessment.llm = pendingAdditions(llm.describe());
  return { late: raced.pending };
}

/** Stores LLM additions that arrived after the answer, once the assessment itself is stored. */
export function storeLateLlm(
  store: Pick<Store, 'saveLlmAdditions'>,
  assessmentId: string,
  saved: Promise<unknown>,
  late: Promise<LlmAdditions>,
  log: Logger,
): void {
  void Promise.all([saved, late])
    .then(([, additions]) => store.saveLlmAdditions(assessmentId, additions))
    .catch((e: unknown) => log.warn({ err: errorSummary(e), assessmentId }, 'late LLM additions not stored'));
}

type Raced<T> = { arrived: true; value: T } | { arrived: false; pending: Promise<T> };

/** Waits for `promise` at most `ms`; never longer. */
async function withinBudget<T>(ms: number, promise: Promise<T>): Promise<Raced<T>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), Math.max(0, ms));
    timer.unref?.();
  });
  const winner = await Promise.race([promise.then((value) => ({ value })), timeout]);
  clearTimeout(timer);
  return winner === 'timeout' ? { arrived: false, pending: promise } : { arrived: true, value: winner.value };
}

function emptyAdditions(status: LlmAdditions['status']): LlmAdditions {
  return { status, hypotheses: [], recommendations: [], reasoning: [], dropped: {} };
}

function failedAdditions(): LlmAdditions {
  return emptyAdditions('failed');
}

function pendingAdditions(d: { model: string; promptVersion: string }): LlmAdditions {
  return { ...emptyAdditions('pending'), model: d.model, promptVersion: d.promptVersion };
}

/** An error's class and message for a log line: never a request body. */
export function errorSummary(e: unknown): { type: string; message: string } {
  return e instanceof Error
    ? { type: e.name, message: e.message }
    : { type: typeof e, message: 'non-error thrown' };
}
