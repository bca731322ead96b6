/**
 * Durable state (DESIGN.md §7): assessments for the app, CDS Hooks feedback, app feedback, issued
 * cards (for snoozes and monitoring), snoozes, audit events and the JWT replay cache. Implemented
 * on PostgreSQL: `pg` when DATABASE_URL is set, embedded PGlite otherwise; same migrations on both.
 * Nothing here holds a token, a prefetch body or a name: ids, codes and counts.
 */
import type {
  Assessment,
  FeedbackEntry,
  LlmAdditions,
  AppFeedbackRequest,
  SiteModelResult,
} from '@rationale/shared-types';

export interface StoredAssessment {
  assessment: Assessment;
  /** The FHIR base the record came from: the app's token is checked against it. */
  fhirServer?: string;
  /** Bare patient id. */
  patientId: string;
  createdAt: Date;
}

/** One card as it was issued (or withheld in silent mode), for feedback, snoozes and monitoring. */
export interface IssuedCard {
  cardUuid: string;
  serviceId: string;
  hook: string;
  hookInstance: string;
  assessmentId?: string;
  patientId: string;
  /** source.topic.code: stable per card type. */
  topic: string;
  /** source.topic.display: the card type as a clinician reads it. */
  topicDisplay?: string;
  indicator: 'info' | 'warning' | 'critical';
  /** Suggestion uuids on the card, so `accepted` feedback can be tied to them. */
  suggestionUuids: string[];
  /** True when the service is in silent mode: stored and counted, not returned. */
  silent: boolean;
  issuedAt: Date;
  /**
   * Order-safety cards: the alert's key (rule, draft order content, alert text, encounter), so
   * order-sign does not repeat what order-select returned (hooks/order-alerts.ts).
   */
  orderAlertKey?: string;
  /** The model and knowledge base that produced the card (Assessment.model). */
  model?: ModelVersion;
}

/** Which model and knowledge base produced an assessment or a card (DESIGN.md §3 Provenance). */
export interface ModelVersion {
  name: string;
  version: string;
  knowledgeBaseHash: string;
}

/**
 * One hook call as the service answered it: which service, when, how long it took and the HTTP
 * status it answered with (a bare 401, a 400, a 412 and a 500 are calls too). No body, no token.
 */
export interface HookCallTiming {
  serviceId: string;
  hook: string;
  at: Date;
  durationMs: number;
  status: number;
}

/**
 * One call of a site model (issue 16): which model and version ran, on which hook, when, how long
 * it took and how it ended. No input, no output, no patient.
 */
export interface SiteModelCall {
  modelId: string;
  version: string;
  mode: 'silent' | 'live';
  runtime: 'onnx' | 'oip';
  /** The hook it ran for; absent when the app API or a dry run asked. */
  hook?: string;
  at: Date;
  durationMs: number;
  status: SiteModelResult['status'];
}

export interface FeedbackResult {
  /** Entries newly stored. */
  stored: number;
  /** Entries already stored before (same card, outcome and timestamp): idempotent repeats. */
  duplicates: number;
  /** Indexes of entries the database refused (a value it cannot store); the others were stored. */
  rejected?: number[];
}

export interface Snooze {
  patientId: string;
  topic: string;
  until: Date;
  reason: 'overridden' | 'accepted-pending';
  /** When the snooze was applied (monitoring counts snoozes by it): the caller's clock. */
  createdAt: Date;
}

export interface AuditEvent {
  at: Date;
  /** Who: the JWT `iss` and `sub`, and the hook's userId reference. Never a token. */
  issuer?: string;
  userId?: string;
  action: 'hook' | 'feedback' | 'app-read' | 'app-assess' | 'app-feedback';
  serviceId?: string;
  hookInstance?: string;
  patientId?: string;
  assessmentId?: string;
  cardUuids?: string[];
  outcome: 'ok' | 'denied' | 'error';
}

/** What one hook call leaves behind: the assessment snapshot, the cards issued and the audit event. */
export interface HookRecord {
  assessment: StoredAssessment;
  /**
   * Whether the Assessment itself is kept (for the app), or only its row: who assessed whom, when,
   * with which model, and the data-quality counts the monitoring page reads. A card's link is the
   * only way to an assessment a hook made, so a call that issued none keeps no snapshot unless the
   * site asks for all of them (`storeCardlessAssessments`).
   */
  keepSnapshot: boolean;
  cards: IssuedCard[];
  audit: AuditEvent;
}

export interface MonitoringQuery {
  from: Date;
  to: Date;
  /** Bucket size for the series. */
  period: 'day' | 'week' | 'month';
}

/** Per hook service and period: calls, outcomes by status class, and latency percentiles. */
export interface HookPerformanceRow {
  /** Start of the period, ISO date. */
  period: string;
  service: string;
  calls: number;
  /** 2xx answers. */
  ok: number;
  /** 4xx answers: refused tokens, malformed requests, 412 missing data. */
  clientErrors: number;
  /** 5xx answers: the service failed (503 when the store was down). */
  serverErrors: number;
  /** Latency percentiles in milliseconds, over every call of the period. */
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
}

/** Per site model and version over the query's range: calls by outcome, latency, last failure. */
export interface SiteModelPerformanceRow {
  modelId: string;
  version: string;
  /** As the latest call of the range ran (a version may be switched from silent to live). */
  mode: SiteModelCall['mode'];
  runtime: SiteModelCall['runtime'];
  calls: number;
  /** Calls per status; a status with no call is absent. */
  byStatus: Partial<Record<SiteModelCall['status'], number>>;
  /** Latency percentiles in milliseconds, over every call of the range, answered or not. */
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  /** The range's latest call that did not end `complete`. */
  lastFailure: { status: SiteModelCall['status']; at: string } | null;
}

export interface MonitoringRow {
  /** Start of the period, ISO date. */
  period: string;
  topic: string;
  shown: number;
  silent: number;
  accepted: number;
  overridden: number;
  /** Override counts by reason code ('unspecified' when none was given). */
  overrideReasons: Record<string, number>;
  snoozed: number;
  appAgree: number;
  appDisagree: number;
}

/**
 * Who saw what, beside how often (issue 20 §2): a chart reopened six times is six impressions but
 * one patient. Counts over [from, to).
 */
export interface MonitoringSummary {
  totals: {
    /** Cards shown (impressions), and the distinct patients and clinicians (hook userId) they reached. */
    cardsShown: number;
    cardsSilent: number;
    uniquePatients: number;
    uniqueClinicians: number;
    /** Hook calls answered, and the distinct patients they were about. */
    hookCalls: number;
    /** Times the app read an assessment (launches from cards), and the distinct assessments read. */
    appLaunches: number;
    appLaunchAssessments: number;
  };
  /** Per hook service (one per hook): calls, cards shown and the distinct patients and clinicians. */
  byService: Array<{
    service: string;
    calls: number;
    cardsShown: number;
    uniquePatients: number;
    uniqueClinicians: number;
  }>;
  /** Per clinician role (the FHIR resource type of the hook's userId: Practitioner, PractitionerRole…). */
  byRole: Array<{
    role: string;
    cardsShown: number;
    uniqueClinicians: number;
    accepted: number;
    overridden: number;
  }>;
  /** Per card topic: its readable name (when known) and the distinct patients and clinicians. */
  byTopic: Array<{ topic: string; display?: string; uniquePatients: number; uniqueClinicians: number }>;
  /**
   * Which model and knowledge base produced what: assessments made and cards issued per model
   * version and knowledge-base hash (rows written before migration 5 are under 'unrecorded').
   */
  byVersion: Array<{
    model: string;
    version: string;
    knowledgeBaseHash: string;
    assessments: number;
    cardsShown: number;
    cardsSilent: number;
  }>;
  /**
   * What of the records could not be read (issue 18): data-quality issues by kind (a skipped
   * resource, an ignored field, a capped or truncated read, a prefetch key the EHR did not send),
   * and how many assessments had one (rows written before migration 6 have none).
   */
  byDataQuality: Array<{ kind: string; issues: number; assessments: number }>;
}

/**
 * Assessments for the app, and what a hook call leaves behind. Times are passed in (`createdAt`,
 * `olderThan`); the store reads no clock for them.
 */
export interface AssessmentStore {
  saveAssessment(stored: StoredAssessment): Promise<void>;
  /**
   * Stores a hook call's records off the answer's path: queued and written with other hooks' in one
   * statement moments later. Resolves when stored, rejects when the write failed. Every read of
   * this store sees records still queued (it writes them first).
   */
  recordHook(record: HookRecord): Promise<void>;
  /** An assessment by id; undefined when there is none, or when its hook kept no snapshot. */
  getAssessment(id: string): Promise<StoredAssessment | undefined>;
  /**
   * Latest assessment for a patient (Oracle Health drops appContext, so the app finds it this way).
   * Undefined when the latest kept no snapshot (its hook issued no card): the app then computes a
   * fresh one rather than show an older one as the latest.
   */
  latestAssessmentFor(patientId: string, fhirServer?: string): Promise<StoredAssessment | undefined>;
  saveLlmAdditions(assessmentId: string, additions: LlmAdditions): Promise<void>;
  /** Deletes assessments older than the retention period; returns how many went. */
  purgeAssessments(olderThan: Date): Promise<number>;
}

/** Cards as issued, the feedback on them (CDS Hooks and the app's), and the snoozes it applies. */
export interface FeedbackStore {
  recordIssuedCards(cards: IssuedCard[]): Promise<void>;
  getIssuedCard(cardUuid: string): Promise<IssuedCard | undefined>;
  /** Stores CDS Hooks feedback durably before resolving; repeats of the same entry are no-ops. */
  saveFeedback(serviceId: string, entries: FeedbackEntry[], receivedAt: Date): Promise<FeedbackResult>;
  saveAppFeedback(feedback: AppFeedbackRequest, receivedAt: Date): Promise<{ id: string }>;
  snooze(snooze: Snooze): Promise<void>;
  /** Topics snoozed for the patient at `now`. */
  activeSnoozes(patientId: string, now: Date): Promise<Set<string>>;
}

/** Which order alerts order-select already returned (issue 19: an order alert is returned once). */
export interface OrderAlertLedger {
  /**
   * The keys among `keys` of order-safety cards returned to clinicians (not silent) at
   * order-select for this patient, issued in [since, now]. Sees hook records still queued.
   */
  orderAlertsShown(patientId: string, keys: readonly string[], since: Date, now: Date): Promise<Set<string>>;
}

/** Hook calls with their latency and status, for the monitoring page (issue 20). */
export interface HookCallLog {
  /** Queued and written off the answer's path, like a hook's records; resolves when stored. */
  recordHookCall(call: HookCallTiming): Promise<void>;
}

/** Site-model calls with their latency and outcome, for the monitoring page (issue 16). */
export interface SiteModelCallLog {
  /** Queued and written with the hooks' records, off the answer's path; resolves when stored. */
  recordSiteModelCall(call: SiteModelCall): Promise<void>;
}

/** How long the monitoring page's rows are kept (`monitoringRetentionDays`). */
export interface MonitoringRetention {
  /** Deletes the hook-call and site-model-call rows made before `olderThan`; how many went. */
  purgeMonitoring(olderThan: Date): Promise<number>;
  /**
   * Deletes the cards issued before `olderThan` that no CDS Hooks feedback names; how many went. A
   * card with feedback stays as long as its feedback (kept without limit: docs/deployment.md §5),
   * so the feedback keeps its topic, patient and indicator.
   */
  purgeIssuedCards(olderThan: Date): Promise<number>;
}

/** The JWT replay cache (CDS Hooks STU2: a `jti` is accepted once). Shared by all replicas. */
export interface ReplayGuard {
  /**
   * Records a JWT id; false when it was seen before and has not expired at `now` (a replay). `now`
   * is the service's clock: the caller's time, not the database's.
   */
  rememberJti(issuer: string, jti: string, expiresAt: Date, now: Date): Promise<boolean>;
  /**
   * As `rememberJti`, but answers as soon as the store knows whether the id is fresh, with `stored`
   * settling once the id is on disk (rejecting when that write failed). A store that decides
   * freshness in memory (embedded PGlite, the only process on its database) answers before the
   * write; the caller does its work meanwhile and holds its answer until `stored` settles.
   */
  claimJti?(issuer: string, jti: string, expiresAt: Date, now: Date): Promise<JtiClaim>;
}

export interface JtiClaim {
  fresh: boolean;
  stored: Promise<void>;
}

/** Who did what, with ids only. */
export interface AuditLog {
  audit(event: AuditEvent): Promise<void>;
}

/** The monitoring page's read model: per card topic and period, from issued cards and feedback. */
export interface MonitoringReadModel {
  monitoring(query: MonitoringQuery): Promise<MonitoringRow[]>;
  /** Unique patients and clinicians, per hook, per role and per topic, over the query's range. */
  monitoringSummary(query: MonitoringQuery): Promise<MonitoringSummary>;
  /** Per hook service and period: calls, errors by status class, latency p50/p90/p99. */
  hookPerformance(query: MonitoringQuery): Promise<HookPerformanceRow[]>;
  /** Per site model and version over the query's range: calls by status, p50/p90/p99, last failure. */
  siteModelPerformance(query: MonitoringQuery): Promise<SiteModelPerformanceRow[]>;
}

/**
 * The whole database, as the composition root holds it. Every other module takes only the
 * aggregate interface it uses. Failures are typed: `store-unavailable` (503) when the database
 * does not answer; `internal` (500, logged) when a statement is wrong; a bug is thrown as it is.
 */
export interface Store
  extends
    AssessmentStore,
    FeedbackStore,
    OrderAlertLedger,
    HookCallLog,
    SiteModelCallLog,
    MonitoringRetention,
    ReplayGuard,
    AuditLog,
    MonitoringReadModel {
  /** Creates tables on first use; safe to call on every start and from several replicas. */
  migrate(): Promise<void>;
  /** Writes what is queued, then closes. */
  close(): Promise<void>;
  /** True when the database answers; hooks still answer when it does not. */
  healthy(): Promise<boolean>;
}
