/**
 * The hook router (CDS Hooks STU2 §Calling a CDS Service): validates the envelope and the hook's
 * context, dispatches to the hook's handler, stores what the call left behind and answers. The
 * handler table (hooks/handlers.ts) says what each hook assesses; this file is the same for all.
 */
import { cdsRequestSchema, type CdsResponse } from '@rationale/shared-types';
import { storeLateLlm } from '../assessment';
import { CdsError } from '../errors';
import { normalizeBaseUrl } from '../fhir/allowlist';
import { normalizePatientId } from '../fhir/record';
import { logStoreFailure, type Logger } from '../logger';
import type { AssessmentStore, FeedbackStore, HookRecord, IssuedCard } from '../store/store';
import type { ServiceHook } from '../config';
import type { HookCall, HookContext, HookHandler, HookOutcome } from './handler';
import { HOOK_HANDLERS } from './handlers';
import type { ServiceDefinition } from './registry';
import type { HookCallContext, HookDeps } from './types';
import { parseOrThrow } from './validation';

/** Answers one hook request for `service`. Throws CdsError for 400 and 412. */
export async function answerHook(
  service: ServiceDefinition,
  body: unknown,
  call: HookCallContext,
  deps: HookDeps,
): Promise<CdsResponse> {
  const started = performance.now();
  const handler: HookHandler<ServiceHook> = HOOK_HANDLERS[service.hook];
  const hook = validate(service, handler, body, call, deps.clock, started);
  const log = call.logger.child({ hookInstance: hook.request.hookInstance, serviceId: service.id });
  const snoozedTopics = snoozesOf(hook.patientId, hook.now, deps.store, log);
  const outcome = await handler.handle({ ...hook, snoozedTopics }, deps).catch(async (e: unknown) => {
    await snoozedTopics; // never leave the store read dangling
    throw e;
  });
  for (const d of outcome.cards.dropped)
    log.error({ topic: d.topic, issues: d.issues }, 'card dropped: does not conform to CDS Hooks');

  const saved = persist(deps.store, hookRecord(hook, outcome, deps.config.storeCardlessAssessments), log);
  if (outcome.lateLlm) storeLateLlm(deps.store, outcome.assessment.id, saved, outcome.lateLlm, log);

  log.info(
    {
      assessmentId: outcome.assessment.id,
      prefetched: outcome.gathered.report.prefetched.length,
      fetched: outcome.gathered.report.fetched.length,
      resources: outcome.gathered.resources,
      dataQualityIssues: outcome.assessment.dataQuality?.length ?? 0,
      cards: outcome.cards.issued.length,
      suppressed: outcome.cards.suppressed.length,
      dropped: outcome.cards.dropped.length,
      silent: outcome.cards.silent,
      profile: call.caller.profile,
      ms: Math.round(performance.now() - started),
    },
    'hook answered',
  );
  return { cards: outcome.cards.returned };
}

/**
 * The envelope (400 naming the field), the hook matching the service, the context by the
 * handler's schema, and a normalized patient id.
 */
function validate<H extends ServiceHook>(
  service: ServiceDefinition,
  handler: HookHandler<H>,
  body: unknown,
  call: HookCallContext,
  clock: () => Date,
  startedAt: number,
): Omit<HookCall<H>, 'snoozedTopics'> {
  const request = parseOrThrow(cdsRequestSchema, body);
  if (request.hook !== service.hook) {
    throw new CdsError('invalid-request', `hook must be "${service.hook}" for service ${service.id}`, {
      expression: ['hook'],
    });
  }
  const parsed = parseOrThrow(handler.context, request.context, 'context') as HookContext<H>;
  const patientId = normalizePatientId(parsed.patientId);
  return { service, request, context: { ...parsed, patientId }, patientId, now: clock(), startedAt, call };
}

/** The patient's snoozed topics; a store outage means no snoozes, not no answer. */
function snoozesOf(
  patientId: string,
  now: Date,
  store: Pick<FeedbackStore, 'activeSnoozes'>,
  log: Logger,
): Promise<ReadonlySet<string>> {
  return store.activeSnoozes(patientId, now).catch((e: unknown) => {
    logStoreFailure(log, e, 'answering without snoozes');
    return new Set<string>();
  });
}

/**
 * What a hook call leaves in the store: the assessment (its snapshot only when a card links to it,
 * or the site keeps all), the issued cards, the audit event.
 */
function hookRecord(
  hook: Omit<HookCall<ServiceHook>, 'snoozedTopics'>,
  outcome: HookOutcome,
  keepCardless: boolean,
): HookRecord {
  const { service, request, patientId, now } = hook;
  const { assessment } = outcome;
  const issued: IssuedCard[] = outcome.cards.issued.map((r) => ({
    cardUuid: r.card.uuid as string,
    serviceId: service.id,
    hook: service.hook,
    hookInstance: request.hookInstance,
    assessmentId: assessment.id,
    patientId,
    topic: r.topic,
    ...(r.card.source.topic?.display ? { topicDisplay: r.card.source.topic.display } : {}),
    indicator: r.card.indicator,
    suggestionUuids: r.suggestionUuids,
    silent: outcome.cards.silent,
    issuedAt: now,
    ...orderAlertKeyOf(r.alertId, outcome.orderAlertKeys),
    model: assessment.model,
  }));
  const fhirServer = request.fhirServer ? safeBase(request.fhirServer) : undefined;
  return {
    assessment: { assessment, fhirServer, patientId, createdAt: now },
    keepSnapshot: issued.length > 0 || keepCardless,
    cards: issued,
    audit: {
      at: now,
      issuer: hook.call.caller.issuer,
      userId: hook.context.userId,
      action: 'hook',
      serviceId: service.id,
      hookInstance: request.hookInstance,
      patientId,
      assessmentId: assessment.id,
      cardUuids: issued.map((c) => c.cardUuid),
      outcome: 'ok',
    },
  };
}

/**
 * Hands a hook's records to the store, off the answer's path: the EHR waits for cards, not for
 * the database. The store batches them with other hooks' and writes them moments later; its reads
 * (the SMART link's assessment, feedback's issued card) see them even before. A failed write is
 * logged: the hook has already answered, as it would have without a database. A function of its
 * own on purpose: a pending write keeps this scope alive, not the whole parsed request.
 */
function persist(store: Pick<AssessmentStore, 'recordHook'>, record: HookRecord, log: Logger): Promise<void> {
  const saved = store.recordHook(record);
  const assessmentId = record.assessment.assessment.id;
  saved.catch((e: unknown) => logStoreFailure(log, e, 'hook answered without persisting', { assessmentId }));
  return saved;
}

function orderAlertKeyOf(
  alertId: string | undefined,
  keys: ReadonlyMap<string, string> | undefined,
): { orderAlertKey?: string } {
  const key = alertId === undefined ? undefined : keys?.get(alertId);
  return key === undefined ? {} : { orderAlertKey: key };
}

function safeBase(url: string): string | undefined {
  try {
    return normalizeBaseUrl(url);
  } catch {
    return undefined;
  }
}
