/**
 * The Store on PostgreSQL (DESIGN.md §7): the same SQL on a PostgreSQL server (`pg`) and on PGlite.
 * Every database failure becomes `CdsError('store-unavailable')`, which the HTTP edge answers
 * with 503; nothing is logged here but the operation name and the error code.
 */
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { constants as zlibConstants, gunzipSync, gzip } from 'node:zlib';
import {
  overrideReasonOf,
  type AppFeedbackRequest,
  type Assessment,
  type FeedbackEntry,
  type LlmAdditions,
} from '@rationale/shared-types';
import type { Logger } from 'pino';
import { topicCode, type TopicKind } from '../cards/topics';
import { CdsError } from '../errors';
import { DatabaseFailure, meansUnavailable, toDatabaseFailure, type Database } from './database';
import { runMigrations } from './migrate';
import { MIGRATIONS } from './migrations';
import { JtiJournal, type JournalledJti } from './jti-journal';
import { WriteBehind } from './write-behind';
import type {
  AuditEvent,
  FeedbackResult,
  HookCallTiming,
  HookPerformanceRow,
  HookRecord,
  IssuedCard,
  JtiClaim,
  MonitoringQuery,
  MonitoringRow,
  MonitoringSummary,
  SiteModelCall,
  SiteModelPerformanceRow,
  Snooze,
  Store,
  StoredAssessment,
} from './store';

/** One CDS Hooks feedback entry as stored. */
export interface StoredFeedback {
  serviceId: string;
  cardUuid: string;
  outcome: FeedbackEntry['outcome'];
  outcomeTimestamp: Date;
  acceptedSuggestions: string[];
  overrideReason?: { code?: string; system?: string; display?: string };
  /** Free text the clinician typed: stored, never logged. */
  userComment?: string;
  receivedAt: Date;
}

export interface PostgresStoreOptions {
  logger: Logger;
  /** The schema the tables live in, when not the default search_path (tests isolate themselves). */
  schema?: string;
  /** Expired JWT ids are purged at most this often per replica; default one minute. */
  jtiPurgeIntervalMs?: number;
  /**
   * This process is the database's only user (embedded PGlite, locked to one process): JWT ids and
   * snoozes are then kept in memory as well, so a hook reads neither from the database. Default:
   * true for PGlite, false for a PostgreSQL server (replicas share it).
   */
  exclusive?: boolean;
  /** Hook records wait at most this long to be written with others (default 10 ms). */
  writeDelayMs?: number;
  /** At most this many records per batched write (default 64). */
  writeBatchSize?: number;
  /**
   * Exclusive only: a folder for the journal of accepted JWT ids (jti-journal.ts), so a token is
   * answered once its id is appended there rather than once a statement stored it. Unset: the id
   * is written to the jti table and the answer waits for that write (in memory: nothing to wait for).
   */
  jtiJournalDir?: string;
  /** Patients whose snoozes are kept in memory when exclusive (default 10,000; least recent go). */
  snoozeCacheSize?: number;
}

/**
 * What the write-behind queue holds: a hook's rows, or (exclusive) a JWT id to persist. Rows are
 * made when queued, so the queue holds flat rows and strings, not the assessment's object graph;
 * the snapshot's row a moment later (`SnapshotRow`).
 */
type Deferred =
  | { kind: 'hook'; assessment: SnapshotRow; cards: IssuedCardInsert[]; audit: AuditInsert }
  | { kind: 'jti'; issuer: string; jti: string; expiresAt: Date }
  | { kind: 'call'; call: HookCallInsert }
  | { kind: 'model-call'; call: SiteModelCallInsert };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PERIODS = new Set(['day', 'week', 'month']);

/** Which card topic an item of the app's assessment view belongs to (cards/topics.ts derives them). */
const TOPIC_KIND: Record<AppFeedbackRequest['target']['type'], TopicKind> = {
  hypothesis: 'dx',
  'llm-hypothesis': 'dx',
  recommendation: 'rx',
  'llm-recommendation': 'rx',
  safety: 'safety',
};

interface AssessmentRow {
  id: string;
  patient_id: string;
  fhir_server: string | null;
  created_at: Date;
  /** Rows written before migration 2; later ones have `assessment_gz`. */
  assessment: Assessment | null;
  assessment_gz: Uint8Array | null;
  llm: LlmAdditions | null;
}

interface IssuedCardRow {
  card_uuid: string;
  service_id: string;
  hook: string;
  hook_instance: string;
  assessment_id: string | null;
  patient_id: string;
  topic: string;
  indicator: IssuedCard['indicator'];
  suggestion_uuids: string[];
  silent: boolean;
  issued_at: Date;
  order_alert_key: string | null;
  model_name: string | null;
  model_version: string | null;
  knowledge_hash: string | null;
}

export class PostgresStore implements Store {
  private readonly logger: Logger;
  private readonly jtiPurgeIntervalMs: number;
  private lastJtiPurge = 0;
  private jtiPurge: Promise<void> | undefined;
  private readonly exclusive: boolean;
  private journal: JtiJournal | undefined;
  private readonly writes: WriteBehind<Deferred>;
  /** Exclusive only: (issuer, jti) → expiry (ms), loaded from the database once, then kept here. */
  private readonly jtis = new Map<string, number>();
  private jtisLoaded: Promise<void> | undefined;
  private lastJtiSweep = 0;
  /** Exclusive only: patient → topic → snoozed until (ms), least recently read first. */
  private readonly snoozeCache = new Map<string, Map<string, number>>();
  private readonly snoozeCacheSize: number;
  /** Bumped by every snooze: a read that raced a snooze is not cached. */
  private snoozeWrites = 0;

  constructor(
    private readonly db: Database,
    private readonly options: PostgresStoreOptions,
  ) {
    this.logger = options.logger.child({ driver: db.driver });
    this.jtiPurgeIntervalMs = options.jtiPurgeIntervalMs ?? 60_000;
    this.exclusive = options.exclusive ?? db.driver === 'pglite';
    this.journal =
      this.exclusive && options.jtiJournalDir !== undefined
        ? new JtiJournal(options.jtiJournalDir)
        : undefined;
    this.snoozeCacheSize = options.snoozeCacheSize ?? 10_000;
    this.writes = new WriteBehind<Deferred>({
      write: (items) => this.writeDeferred(items),
      delayMs: options.writeDelayMs ?? 10,
      maxBatch: options.writeBatchSize ?? 64,
      retryAlone: (error) =>
        !(
          error instanceof CdsError &&
          error.cause instanceof DatabaseFailure &&
          meansUnavailable(error.cause)
        ),
    });
  }

  async migrate(): Promise<void> {
    const result = await this.run('migrate', () =>
      runMigrations(this.db, MIGRATIONS, { schema: this.options.schema }),
    );
    if (result.applied.length) this.logger.info({ applied: result.applied }, 'database migrations applied');
    if (result.unknown.length) {
      this.logger.warn(
        { unknown: result.unknown },
        'database has migrations this build does not know (newer replica?)',
      );
    }
  }

  async close(): Promise<void> {
    await this.writes.drain();
    await this.jtiPurge;
    this.journal?.close();
    await this.db.close();
  }

  async healthy(): Promise<boolean> {
    try {
      await this.db.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  async saveAssessment(stored: StoredAssessment): Promise<void> {
    if (!UUID.test(stored.assessment.id))
      throw new CdsError('internal', 'An assessment is stored under a uuid id');
    const row = await compressed(pendingAssessment(stored));
    await this.run('saveAssessment', () =>
      this.db.query(
        `INSERT INTO assessments (id, patient_id, fhir_server, created_at, assessment_gz, llm, model_name,
                                  model_version, knowledge_hash, data_quality)
         VALUES ($1, $2, $3, $4, decode($5, 'base64'), $6::jsonb, $7, $8, $9, $10::jsonb)
         ${UPSERT_ASSESSMENT}`,
        [
          row.id,
          row.patient_id,
          row.fhir_server,
          row.created_at,
          row.assessment_gz,
          row.llm ? JSON.stringify(row.llm) : null,
          row.model_name,
          row.model_version,
          row.knowledge_hash,
          row.data_quality ? JSON.stringify(row.data_quality) : null,
        ],
      ),
    );
  }

  async recordHook(record: HookRecord): Promise<void> {
    if (!UUID.test(record.assessment.assessment.id))
      throw new CdsError('internal', 'An assessment is stored under a uuid id');
    return this.writes.add({
      kind: 'hook',
      assessment: new SnapshotRow(record.assessment, record.keepSnapshot),
      cards: record.cards.map(issuedCardRow),
      audit: auditRow(record.audit),
    });
  }

  /**
   * One statement for a batch of hook records, hook and site-model calls and JWT ids (data-modifying CTEs): atomic, and one
   * round trip on a server. Repeats are no-ops, as for the single-row writes.
   */
  private async writeDeferred(items: Deferred[]): Promise<void> {
    const assessments: AssessmentPending[] = [];
    const cards: unknown[] = [];
    const audits: unknown[] = [];
    const jtis = new Map<string, { issuer: string; jti: string; expires_at: Date }>();
    const calls: HookCallInsert[] = [];
    const modelCalls: SiteModelCallInsert[] = [];
    for (const item of items) {
      if (item.kind === 'call') {
        calls.push(item.call);
        continue;
      }
      if (item.kind === 'model-call') {
        modelCalls.push(item.call);
        continue;
      }
      if (item.kind === 'jti') {
        const key = jtiKey(item.issuer, item.jti);
        const seen = jtis.get(key);
        if (!seen || seen.expires_at < item.expiresAt)
          jtis.set(key, { issuer: item.issuer, jti: item.jti, expires_at: item.expiresAt });
        continue;
      }
      assessments.push(item.assessment.row());
      cards.push(...item.cards);
      audits.push(item.audit);
    }
    const assessmentRows = await this.compressAll(assessments);
    // Only the parts this batch has: a statement's planning in PGlite costs about as much as a
    // small insert, so six CTEs over empty arrays would cost a JWT id's batch four times its own.
    const parts = [
      { rows: assessmentRows, sql: insertAssessments },
      { rows: cards, sql: insertIssuedCards },
      { rows: audits, sql: insertAuditEvents },
      { rows: [...jtis.values()], sql: insertJtis },
      { rows: calls, sql: insertHookCalls },
      { rows: modelCalls, sql: insertSiteModelCalls },
    ].filter((part) => part.rows.length > 0);
    if (parts.length === 0) return;
    const [only, ...more] = parts.map((part, i) => part.sql(`$${i + 1}`));
    const sql = more.length
      ? `WITH ${parts.map((_, i) => `w${i} AS (${i === 0 ? only : more[i - 1]!})`).join(', ')} SELECT 1`
      : only!;
    await this.run('recordHooks', () =>
      this.db.query(
        sql,
        parts.map((part) => JSON.stringify(part.rows)),
      ),
    );
  }

  /** The snapshots of a batch compressed: on the database's thread when it has one (PGlite). */
  private async compressAll(pending: AssessmentPending[]): Promise<AssessmentInsert[]> {
    const texts = pending.flatMap((p) => (p.json === null ? [] : [p.json]));
    if (!this.db.gzipBase64 || texts.length === 0) return Promise.all(pending.map(compressed));
    const gz = await this.db.gzipBase64(texts);
    let next = 0;
    return pending.map(({ json, ...row }) => ({
      ...row,
      assessment_gz: json === null ? null : (gz[next++] as string),
    }));
  }

  async recordHookCall(call: HookCallTiming): Promise<void> {
    return this.writes.add({
      kind: 'call',
      call: {
        service_id: call.serviceId,
        hook: call.hook,
        at: call.at.toISOString(),
        duration_ms: Math.max(0, call.durationMs),
        status: call.status,
      },
    });
  }

  async recordSiteModelCall(call: SiteModelCall): Promise<void> {
    return this.writes.add({
      kind: 'model-call',
      call: {
        model_id: call.modelId,
        version: call.version,
        mode: call.mode,
        runtime: call.runtime,
        hook: call.hook ?? null,
        at: call.at.toISOString(),
        duration_ms: Math.max(0, call.durationMs),
        status: call.status,
      },
    });
  }

  async getAssessment(id: string): Promise<StoredAssessment | undefined> {
    if (!UUID.test(id)) return undefined;
    await this.writes.drain();
    const { rows } = await this.run('getAssessment', () =>
      this.db.query<AssessmentRow>('SELECT * FROM assessments WHERE id = $1', [id]),
    );
    return rows[0] && fromAssessmentRow(rows[0]);
  }

  async latestAssessmentFor(patientId: string, fhirServer?: string): Promise<StoredAssessment | undefined> {
    await this.writes.drain();
    const { rows } = await this.run('latestAssessmentFor', () =>
      this.db.query<AssessmentRow>(
        `SELECT * FROM assessments
          WHERE patient_id = $1 AND ($2::text IS NULL OR rtrim(fhir_server, '/') = rtrim($2::text, '/'))
          ORDER BY created_at DESC, id LIMIT 1`,
        [patientId, fhirServer ?? null],
      ),
    );
    return rows[0] && fromAssessmentRow(rows[0]);
  }

  async saveLlmAdditions(assessmentId: string, additions: LlmAdditions): Promise<void> {
    if (!UUID.test(assessmentId)) return;
    await this.writes.drain();
    await this.run('saveLlmAdditions', () =>
      this.db.query('UPDATE assessments SET llm = $2::jsonb WHERE id = $1', [
        assessmentId,
        JSON.stringify(additions),
      ]),
    );
  }

  async purgeAssessments(olderThan: Date): Promise<number> {
    await this.writes.drain();
    const { rowCount } = await this.run('purgeAssessments', () =>
      this.db.query('DELETE FROM assessments WHERE created_at < $1', [olderThan]),
    );
    return rowCount;
  }

  async purgeMonitoring(olderThan: Date): Promise<number> {
    await this.writes.drain();
    const { rows } = await this.run('purgeMonitoring', () =>
      this.db.query<{ purged: string | number }>(
        `WITH hooks AS (DELETE FROM hook_calls WHERE at < $1 RETURNING 1),
              models AS (DELETE FROM site_model_calls WHERE at < $1 RETURNING 1)
         SELECT (SELECT count(*) FROM hooks) + (SELECT count(*) FROM models) AS purged`,
        [olderThan],
      ),
    );
    return Number(rows[0]?.purged ?? 0);
  }

  async purgeIssuedCards(olderThan: Date): Promise<number> {
    await this.writes.drain();
    // feedback_entry_key (card_uuid, …) serves the NOT EXISTS; issued_cards_issued_at_idx the range.
    const { rowCount } = await this.run('purgeIssuedCards', () =>
      this.db.query(
        `DELETE FROM issued_cards c
          WHERE c.issued_at < $1
            AND NOT EXISTS (SELECT 1 FROM feedback f WHERE f.card_uuid = c.card_uuid)`,
        [olderThan],
      ),
    );
    return rowCount;
  }

  async recordIssuedCards(cards: IssuedCard[]): Promise<void> {
    if (!cards.length) return;
    await this.run('recordIssuedCards', () =>
      this.db.query(insertIssuedCards('$1'), [JSON.stringify(cards.map(issuedCardRow))]),
    );
  }

  async getIssuedCard(cardUuid: string): Promise<IssuedCard | undefined> {
    await this.writes.drain();
    const { rows } = await this.run('getIssuedCard', () =>
      this.db.query<IssuedCardRow>('SELECT * FROM issued_cards WHERE card_uuid = $1', [cardUuid]),
    );
    const r = rows[0];
    if (!r) return undefined;
    return {
      cardUuid: r.card_uuid,
      serviceId: r.service_id,
      hook: r.hook,
      hookInstance: r.hook_instance,
      ...(r.assessment_id ? { assessmentId: r.assessment_id } : {}),
      patientId: r.patient_id,
      topic: r.topic,
      indicator: r.indicator,
      suggestionUuids: r.suggestion_uuids,
      silent: r.silent,
      issuedAt: r.issued_at,
      ...(r.order_alert_key ? { orderAlertKey: r.order_alert_key } : {}),
      ...(r.model_name && r.model_version && r.knowledge_hash
        ? { model: { name: r.model_name, version: r.model_version, knowledgeBaseHash: r.knowledge_hash } }
        : {}),
    };
  }

  async orderAlertsShown(
    patientId: string,
    keys: readonly string[],
    since: Date,
    now: Date,
  ): Promise<Set<string>> {
    if (!keys.length) return new Set();
    await this.writes.drain();
    const { rows } = await this.run('orderAlertsShown', () =>
      this.db.query<{ order_alert_key: string }>(
        `SELECT DISTINCT order_alert_key FROM issued_cards
          WHERE patient_id = $1 AND order_alert_key = ANY($2::text[]) AND hook = 'order-select'
            AND NOT silent AND issued_at >= $3 AND issued_at <= $4`,
        [patientId, [...keys], since, now],
      ),
    );
    return new Set(rows.map((r) => r.order_alert_key));
  }

  /**
   * One INSERT in one transaction with synchronous commit forced on: the promise resolves only after
   * COMMIT has returned, so a 200 to the EHR means the feedback is on disk (CDS Hooks STU2 §Feedback).
   */
  /**
   * Stores feedback entries in one statement; when that statement fails for a value the database
   * cannot store (not for an unavailable database), each entry is stored alone, so one bad entry
   * never loses the others. Entries still refused alone are listed in `rejected` by index.
   */
  async saveFeedback(serviceId: string, entries: FeedbackEntry[], receivedAt: Date): Promise<FeedbackResult> {
    if (!entries.length) return { stored: 0, duplicates: 0 };
    const rows = entries.map((entry) => {
      const override = entry.outcome === 'overridden' ? overrideReasonOf(entry) : undefined;
      return {
        card_uuid: entry.card,
        outcome: entry.outcome,
        outcome_timestamp: entry.outcomeTimestamp,
        accepted_suggestions: (entry.acceptedSuggestions ?? []).map((s) => s.id),
        override_reason_code: override?.reason?.code ?? null,
        override_reason_system: override?.reason?.system ?? null,
        override_reason_display: override?.reason?.display ?? null,
        user_comment: override?.userComment ?? null,
      };
    });
    try {
      const stored = await this.insertFeedback(serviceId, rows, receivedAt);
      return { stored, duplicates: entries.length - stored };
    } catch (error) {
      if (entries.length === 1 || !(error instanceof CdsError) || error.code === 'store-unavailable')
        throw error;
    }
    let stored = 0;
    let duplicates = 0;
    const rejected: number[] = [];
    for (const [index, row] of rows.entries()) {
      try {
        const n = await this.insertFeedback(serviceId, [row], receivedAt);
        stored += n;
        duplicates += 1 - n;
      } catch (error) {
        if (!(error instanceof CdsError) || error.code === 'store-unavailable') throw error;
        rejected.push(index);
      }
    }
    return { stored, duplicates, ...(rejected.length ? { rejected } : {}) };
  }

  private async insertFeedback(serviceId: string, rows: object[], receivedAt: Date): Promise<number> {
    return this.run('saveFeedback', () =>
      this.db.transaction(async (tx) => {
        if (this.db.driver === 'pg') await tx.query('SET LOCAL synchronous_commit = on');
        const result = await tx.query(
          `INSERT INTO feedback (service_id, card_uuid, outcome, outcome_timestamp, accepted_suggestions,
                                 override_reason_code, override_reason_system, override_reason_display,
                                 user_comment, received_at)
           SELECT $1, card_uuid, outcome, outcome_timestamp, accepted_suggestions,
                  override_reason_code, override_reason_system, override_reason_display, user_comment, $2
             FROM jsonb_to_recordset($3::jsonb) AS f(card_uuid text, outcome text,
                  outcome_timestamp timestamptz, accepted_suggestions text[], override_reason_code text,
                  override_reason_system text, override_reason_display text, user_comment text)
           ON CONFLICT ON CONSTRAINT feedback_entry_key DO NOTHING`,
          [serviceId, receivedAt, JSON.stringify(rows)],
        );
        return result.rowCount;
      }),
    );
  }

  async saveAppFeedback(feedback: AppFeedbackRequest, receivedAt: Date): Promise<{ id: string }> {
    const id = randomUUID();
    const topic = topicCode(TOPIC_KIND[feedback.target.type], feedback.target.key);
    await this.run('saveAppFeedback', () =>
      this.db.query(
        `INSERT INTO app_feedback (id, assessment_id, target_type, target_id, target_key, topic, verdict, reason,
                                   comment, received_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [
          id,
          feedback.assessmentId,
          feedback.target.type,
          feedback.target.id,
          feedback.target.key,
          topic,
          feedback.verdict,
          feedback.reason ?? null,
          feedback.comment ?? null,
          receivedAt,
        ],
      ),
    );
    return { id };
  }

  /** Upserts the snooze, never shortening one already in force, and records the event for monitoring. */
  async snooze(snooze: Snooze): Promise<void> {
    const at = snooze.createdAt;
    await this.run('snooze', () =>
      this.db.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO snoozes (patient_id, topic, until, reason, created_at) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (patient_id, topic) DO UPDATE SET
             reason = CASE WHEN EXCLUDED.until >= snoozes.until THEN EXCLUDED.reason ELSE snoozes.reason END,
             until = GREATEST(snoozes.until, EXCLUDED.until),
             created_at = EXCLUDED.created_at`,
          [snooze.patientId, snooze.topic, snooze.until, snooze.reason, at],
        );
        await tx.query(
          'INSERT INTO snooze_events (patient_id, topic, reason, until, created_at) VALUES ($1, $2, $3, $4, $5)',
          [snooze.patientId, snooze.topic, snooze.reason, snooze.until, at],
        );
      }),
    );
    this.snoozeWrites += 1;
    const cached = this.snoozeCache.get(snooze.patientId);
    if (cached) cached.set(snooze.topic, Math.max(cached.get(snooze.topic) ?? 0, snooze.until.getTime()));
  }

  async activeSnoozes(patientId: string, now: Date): Promise<Set<string>> {
    if (!this.exclusive) {
      const { rows } = await this.run('activeSnoozes', () =>
        this.db.query<{ topic: string }>('SELECT topic FROM snoozes WHERE patient_id = $1 AND until > $2', [
          patientId,
          now,
        ]),
      );
      return new Set(rows.map((r) => r.topic));
    }
    let topics = this.snoozeCache.get(patientId);
    if (topics) {
      this.snoozeCache.delete(patientId); // most recently read goes last
    } else {
      const writes = this.snoozeWrites;
      const { rows } = await this.run('activeSnoozes', () =>
        this.db.query<{ topic: string; until: Date }>(
          'SELECT topic, until FROM snoozes WHERE patient_id = $1',
          [patientId],
        ),
      );
      topics = new Map(rows.map((r) => [r.topic, new Date(r.until).getTime()]));
      if (writes !== this.snoozeWrites) return activeAt(topics, now); // a snooze landed meanwhile: do not keep this
    }
    this.snoozeCache.set(patientId, topics);
    if (this.snoozeCache.size > this.snoozeCacheSize) {
      const oldest = this.snoozeCache.keys().next().value;
      if (oldest !== undefined) this.snoozeCache.delete(oldest);
    }
    return activeAt(topics, now);
  }

  /**
   * Inserts the (issuer, jti) pair; an existing pair is replaced only when it has expired, so the
   * statement returns a row exactly when the token is fresh. Atomic across replicas.
   */
  async rememberJti(issuer: string, jti: string, expiresAt: Date, now?: Date): Promise<boolean> {
    if (this.exclusive) return this.rememberJtiHere(issuer, jti, expiresAt, now);
    const { rows } = await this.run('rememberJti', () =>
      this.db.query(
        `INSERT INTO jti (issuer, jti, expires_at) VALUES ($1, $2, $3)
         ON CONFLICT (issuer, jti) DO UPDATE SET expires_at = EXCLUDED.expires_at
           WHERE jti.expires_at <= COALESCE($4::timestamptz, now())
         RETURNING 1 AS fresh`,
        [issuer, jti, expiresAt, now ?? null],
      ),
    );
    this.purgeExpiredJtiSometimes(now);
    return rows.length === 1;
  }

  /**
   * Exclusive mode: the replay check against memory, where every id this database has stored was
   * loaded on first use. The new id is written at once, or with the batch after the one being
   * written (group commit with the hook rows queued beside it). The HTTP answer waits for that write
   * (see `claimJti`): a token is accepted only once its id is on disk, so a kill -9 right after the
   * answer cannot make the id unknown to the next process (issue 18). A failed write rejects as the
   * store does, and the caller decides.
   */
  private async rememberJtiHere(issuer: string, jti: string, expiresAt: Date, now?: Date): Promise<boolean> {
    const claim = await this.claimJti(issuer, jti, expiresAt, now);
    await claim.stored;
    return claim.fresh;
  }

  /**
   * Exclusive mode decides freshness in memory (every stored id was loaded on first use), so it
   * answers before the write; elsewhere the insert itself decides, so `stored` is already settled.
   */
  async claimJti(issuer: string, jti: string, expiresAt: Date, now?: Date): Promise<JtiClaim> {
    if (!this.exclusive) {
      return { fresh: await this.rememberJti(issuer, jti, expiresAt, now), stored: Promise.resolve() };
    }
    this.jtisLoaded ??= this.loadJtis().catch((error: unknown) => {
      this.jtisLoaded = undefined; // try again on the next call
      throw error;
    });
    await this.jtisLoaded;
    const at = (now ?? new Date()).getTime();
    const key = jtiKey(issuer, jti);
    const seen = this.jtis.get(key);
    if (seen !== undefined && seen > at) return { fresh: false, stored: Promise.resolve() };
    // Claimed in memory first, so a concurrent replay in this process is refused while the write runs.
    this.jtis.set(key, expiresAt.getTime());
    this.sweepJtisSometimes(at);
    this.purgeExpiredJtiSometimes(now);
    if (this.journal) {
      try {
        this.journal.append({ issuer, jti, expiresAt: expiresAt.getTime() }, at);
        return { fresh: true, stored: Promise.resolve() };
      } catch (error) {
        // The folder is unwritable or full: the database's copy, which the answer then waits for.
        this.logger.warn({ code: (error as NodeJS.ErrnoException).code }, 'JWT id journal append failed');
      }
    }
    const stored = this.writes.add({ kind: 'jti', issuer, jti, expiresAt }, true);
    stored.catch(() => undefined); // the caller awaits it; never an unhandled rejection meanwhile
    return { fresh: true, stored };
  }

  private async loadJtis(): Promise<void> {
    const { rows } = await this.run('loadJti', () =>
      this.db.query<{ issuer: string; jti: string; expires_at: Date }>(
        'SELECT issuer, jti, expires_at FROM jti WHERE expires_at > now()',
      ),
    );
    for (const r of rows) this.jtis.set(jtiKey(r.issuer, r.jti), new Date(r.expires_at).getTime());
    let journalled: JournalledJti[] = [];
    try {
      journalled = this.journal?.load(Date.now()) ?? [];
    } catch (error) {
      // An unreadable folder: ids go to the database again, and answers wait for that write.
      this.logger.warn({ code: (error as NodeJS.ErrnoException).code }, 'JWT id journal unreadable');
      this.journal = undefined;
    }
    for (const e of journalled) {
      const key = jtiKey(e.issuer, e.jti);
      this.jtis.set(key, Math.max(this.jtis.get(key) ?? 0, e.expiresAt));
    }
  }

  /** Drops expired ids from memory now and then (the database's copy is purged separately). */
  private sweepJtisSometimes(at: number): void {
    if (at - this.lastJtiSweep < this.jtiPurgeIntervalMs) return;
    this.lastJtiSweep = at;
    for (const [key, expires] of this.jtis) if (expires <= at) this.jtis.delete(key);
  }

  async audit(event: AuditEvent): Promise<void> {
    await this.run('audit', () =>
      this.db.query(insertAuditEvents('$1'), [JSON.stringify([auditRow(event)])]),
    );
  }

  /** Audit events for a patient, oldest first (for audits and tests; ids only). */
  async auditEventsFor(patientId: string): Promise<AuditEvent[]> {
    await this.writes.drain();
    const { rows } = await this.run('auditEventsFor', () =>
      this.db.query<{
        at: Date;
        issuer: string | null;
        user_id: string | null;
        action: AuditEvent['action'];
        service_id: string | null;
        hook_instance: string | null;
        patient_id: string | null;
        assessment_id: string | null;
        card_uuids: string[];
        outcome: AuditEvent['outcome'];
      }>('SELECT * FROM audit_events WHERE patient_id = $1 ORDER BY at, id', [patientId]),
    );
    return rows.map((r) => ({
      at: r.at,
      action: r.action,
      outcome: r.outcome,
      ...(r.issuer !== null ? { issuer: r.issuer } : {}),
      ...(r.user_id !== null ? { userId: r.user_id } : {}),
      ...(r.service_id !== null ? { serviceId: r.service_id } : {}),
      ...(r.hook_instance !== null ? { hookInstance: r.hook_instance } : {}),
      ...(r.patient_id !== null ? { patientId: r.patient_id } : {}),
      ...(r.assessment_id !== null ? { assessmentId: r.assessment_id } : {}),
      cardUuids: r.card_uuids,
    }));
  }

  /** Stored CDS Hooks feedback for these cards, in the order received (audits, exports, tests). */
  async feedbackFor(cardUuids: string[]): Promise<StoredFeedback[]> {
    const { rows } = await this.run('feedbackFor', () =>
      this.db.query<{
        service_id: string;
        card_uuid: string;
        outcome: FeedbackEntry['outcome'];
        outcome_timestamp: Date;
        accepted_suggestions: string[];
        override_reason_code: string | null;
        override_reason_system: string | null;
        override_reason_display: string | null;
        user_comment: string | null;
        received_at: Date;
      }>(
        `SELECT * FROM feedback WHERE card_uuid IN (SELECT jsonb_array_elements_text($1::jsonb)) ORDER BY id`,
        [JSON.stringify(cardUuids)],
      ),
    );
    return rows.map((r) => {
      const reason = {
        ...(r.override_reason_code !== null ? { code: r.override_reason_code } : {}),
        ...(r.override_reason_system !== null ? { system: r.override_reason_system } : {}),
        ...(r.override_reason_display !== null ? { display: r.override_reason_display } : {}),
      };
      return {
        serviceId: r.service_id,
        cardUuid: r.card_uuid,
        outcome: r.outcome,
        outcomeTimestamp: r.outcome_timestamp,
        acceptedSuggestions: r.accepted_suggestions,
        ...(Object.keys(reason).length ? { overrideReason: reason } : {}),
        ...(r.user_comment !== null ? { userComment: r.user_comment } : {}),
        receivedAt: r.received_at,
      };
    });
  }

  /** Ids of the migrations applied to this database, in order. */
  async appliedMigrations(): Promise<number[]> {
    const { rows } = await this.run('appliedMigrations', () =>
      this.db.query<{ id: number }>('SELECT id FROM schema_migrations ORDER BY id'),
    );
    return rows.map((r) => Number(r.id));
  }

  /**
   * How many JWT ids the `jti` table holds, expired or not (operations and tests). With a journal
   * (embedded PGlite on disk) accepted ids are kept there instead, not in the table.
   */
  async jtiCount(): Promise<number> {
    await this.writes.drain();
    const { rows } = await this.run('jtiCount', () =>
      this.db.query<{ n: number }>('SELECT count(*)::int AS n FROM jti'),
    );
    return Number(rows[0]?.n ?? 0);
  }

  /** Resolves when background work started by earlier calls (queued writes, the jti purge) has finished. */
  async settled(): Promise<void> {
    await this.writes.drain();
    await this.jtiPurge;
  }

  /**
   * Counts per card topic and period (UTC buckets from date_trunc): cards shown and withheld
   * (silent), distinct cards accepted and overridden (by reason code), snoozes applied (distinct
   * patient and topic), and the app's agree/disagree verdicts on the items behind each topic.
   * Cards are counted when issued, feedback and snoozes when they happened, all within [from, to).
   */
  async monitoring(query: MonitoringQuery): Promise<MonitoringRow[]> {
    await this.writes.drain();
    if (!PERIODS.has(query.period))
      throw new CdsError('invalid-request', 'period must be day, week or month', { expression: ['period'] });
    const { rows } = await this.run('monitoring', () =>
      this.db.query<{
        period: string;
        topic: string;
        shown: number;
        silent: number;
        accepted: number;
        overridden: number;
        snoozed: number;
        app_agree: number;
        app_disagree: number;
        reasons: Record<string, number> | null;
      }>(
        `WITH cards AS (
           SELECT date_trunc($1, issued_at AT TIME ZONE 'UTC') AS bucket, topic,
                  count(*) FILTER (WHERE NOT silent)::int AS shown,
                  count(*) FILTER (WHERE silent)::int AS silent
             FROM issued_cards WHERE issued_at >= $2 AND issued_at < $3
            GROUP BY 1, 2
         ), fb AS (
           SELECT date_trunc($1, f.outcome_timestamp AT TIME ZONE 'UTC') AS bucket,
                  COALESCE(c.topic, 'unknown-card') AS topic, f.card_uuid, f.outcome,
                  COALESCE(f.override_reason_code, 'unspecified') AS reason
             FROM feedback f LEFT JOIN issued_cards c ON c.card_uuid = f.card_uuid
            WHERE f.outcome_timestamp >= $2 AND f.outcome_timestamp < $3
         ), outcomes AS (
           SELECT bucket, topic,
                  count(DISTINCT card_uuid) FILTER (WHERE outcome = 'accepted')::int AS accepted,
                  count(DISTINCT card_uuid) FILTER (WHERE outcome = 'overridden')::int AS overridden
             FROM fb GROUP BY 1, 2
         ), reasons AS (
           SELECT bucket, topic, jsonb_object_agg(reason, n) AS reasons
             FROM (SELECT bucket, topic, reason, count(DISTINCT card_uuid)::int AS n
                     FROM fb WHERE outcome = 'overridden' GROUP BY 1, 2, 3) r
            GROUP BY 1, 2
         ), snoozed AS (
           SELECT date_trunc($1, created_at AT TIME ZONE 'UTC') AS bucket, topic,
                  count(DISTINCT (patient_id, topic))::int AS snoozed
             FROM snooze_events WHERE created_at >= $2 AND created_at < $3
            GROUP BY 1, 2
         ), app AS (
           SELECT date_trunc($1, received_at AT TIME ZONE 'UTC') AS bucket, topic,
                  count(*) FILTER (WHERE verdict = 'agree')::int AS app_agree,
                  count(*) FILTER (WHERE verdict = 'disagree')::int AS app_disagree
             FROM app_feedback WHERE received_at >= $2 AND received_at < $3
            GROUP BY 1, 2
         ), keys AS (
           SELECT bucket, topic FROM cards UNION SELECT bucket, topic FROM outcomes
           UNION SELECT bucket, topic FROM snoozed UNION SELECT bucket, topic FROM app
         )
         SELECT to_char(k.bucket, 'YYYY-MM-DD') AS period, k.topic,
                COALESCE(cards.shown, 0) AS shown, COALESCE(cards.silent, 0) AS silent,
                COALESCE(outcomes.accepted, 0) AS accepted, COALESCE(outcomes.overridden, 0) AS overridden,
                COALESCE(snoozed.snoozed, 0) AS snoozed,
                COALESCE(app.app_agree, 0) AS app_agree, COALESCE(app.app_disagree, 0) AS app_disagree,
                reasons.reasons
           FROM keys k
           LEFT JOIN cards USING (bucket, topic)
           LEFT JOIN outcomes USING (bucket, topic)
           LEFT JOIN reasons USING (bucket, topic)
           LEFT JOIN snoozed USING (bucket, topic)
           LEFT JOIN app USING (bucket, topic)
          ORDER BY k.bucket, k.topic`,
        [query.period, query.from, query.to],
      ),
    );
    return rows.map((r) => ({
      period: r.period,
      topic: r.topic,
      shown: Number(r.shown),
      silent: Number(r.silent),
      accepted: Number(r.accepted),
      overridden: Number(r.overridden),
      overrideReasons: r.reasons ?? {},
      snoozed: Number(r.snoozed),
      appAgree: Number(r.app_agree),
      appDisagree: Number(r.app_disagree),
    }));
  }

  async monitoringSummary(query: MonitoringQuery): Promise<MonitoringSummary> {
    await this.writes.drain();
    const params = [query.from, query.to];
    // Cards with the clinician of the hook call that issued them (the audit event's userId).
    const cards = `WITH c AS (
        SELECT ic.card_uuid, ic.service_id, ic.patient_id, ic.topic, ic.topic_display, ic.silent, a.user_id
          FROM issued_cards ic
          LEFT JOIN LATERAL (SELECT user_id FROM audit_events ae
                              WHERE ae.action = 'hook' AND ae.hook_instance = ic.hook_instance
                              ORDER BY ae.at LIMIT 1) a ON true
         WHERE ic.issued_at >= $1 AND ic.issued_at < $2)`;
    const [totals, hooks, calls, roles, topics, app, versions, quality] = await this.run(
      'monitoringSummary',
      () =>
        Promise.all([
          this.db.query<Record<string, number>>(
            `${cards} SELECT count(*) FILTER (WHERE NOT silent)::int AS shown,
                           count(*) FILTER (WHERE silent)::int AS silent,
                           count(DISTINCT patient_id) FILTER (WHERE NOT silent)::int AS patients,
                           count(DISTINCT user_id) FILTER (WHERE NOT silent)::int AS clinicians FROM c`,
            params,
          ),
          this.db.query<{ service: string; shown: number; patients: number; clinicians: number }>(
            `${cards} SELECT service_id AS service, count(*) FILTER (WHERE NOT silent)::int AS shown,
                           count(DISTINCT patient_id) FILTER (WHERE NOT silent)::int AS patients,
                           count(DISTINCT user_id) FILTER (WHERE NOT silent)::int AS clinicians
                      FROM c GROUP BY service_id`,
            params,
          ),
          this.db.query<{ service: string; calls: number }>(
            `SELECT service_id AS service, count(DISTINCT hook_instance)::int AS calls
             FROM audit_events WHERE action = 'hook' AND at >= $1 AND at < $2 AND service_id IS NOT NULL
            GROUP BY service_id`,
            params,
          ),
          this.db.query<{
            role: string;
            shown: number;
            clinicians: number;
            accepted: number;
            overridden: number;
          }>(
            `${cards} SELECT COALESCE(NULLIF(split_part(user_id, '/', 1), ''), 'unknown') AS role,
                           count(*) FILTER (WHERE NOT c.silent)::int AS shown,
                           count(DISTINCT user_id)::int AS clinicians,
                           count(DISTINCT f.card_uuid) FILTER (WHERE f.outcome = 'accepted')::int AS accepted,
                           count(DISTINCT f.card_uuid) FILTER (WHERE f.outcome = 'overridden')::int AS overridden
                      FROM c LEFT JOIN feedback f ON f.card_uuid = c.card_uuid
                     GROUP BY 1 ORDER BY 1`,
            params,
          ),
          this.db.query<{ topic: string; display: string | null; patients: number; clinicians: number }>(
            `${cards} SELECT topic, max(topic_display) AS display,
                           count(DISTINCT patient_id) FILTER (WHERE NOT silent)::int AS patients,
                           count(DISTINCT user_id) FILTER (WHERE NOT silent)::int AS clinicians
                      FROM c GROUP BY topic ORDER BY topic`,
            params,
          ),
          this.db.query<{ launches: number; assessments: number }>(
            `SELECT count(*)::int AS launches, count(DISTINCT assessment_id)::int AS assessments
             FROM audit_events WHERE action = 'app-read' AND outcome = 'ok' AND at >= $1 AND at < $2`,
            params,
          ),
          // Which model and knowledge base produced what: assessments made and cards issued per version.
          this.db.query<{
            m: string;
            v: string;
            k: string;
            assessments: number;
            shown: number;
            silent: number;
          }>(
            `WITH a AS (
             SELECT COALESCE(model_name, 'unrecorded') AS m, COALESCE(model_version, 'unrecorded') AS v,
                    COALESCE(knowledge_hash, 'unrecorded') AS k, count(*)::int AS assessments
               FROM assessments WHERE created_at >= $1 AND created_at < $2 GROUP BY 1, 2, 3
           ), c AS (
             SELECT COALESCE(model_name, 'unrecorded') AS m, COALESCE(model_version, 'unrecorded') AS v,
                    COALESCE(knowledge_hash, 'unrecorded') AS k,
                    count(*) FILTER (WHERE NOT silent)::int AS shown, count(*) FILTER (WHERE silent)::int AS silent
               FROM issued_cards WHERE issued_at >= $1 AND issued_at < $2 GROUP BY 1, 2, 3
           )
           SELECT m, v, k, COALESCE(a.assessments, 0) AS assessments, COALESCE(c.shown, 0) AS shown,
                  COALESCE(c.silent, 0) AS silent
             FROM a FULL JOIN c USING (m, v, k) ORDER BY m, v, k`,
            params,
          ),
          this.db.query<{ kind: string; issues: number; assessments: number }>(
            `SELECT d.kind, sum(d.n::int)::int AS issues, count(*)::int AS assessments
             FROM assessments, jsonb_each_text(data_quality) AS d(kind, n)
            WHERE created_at >= $1 AND created_at < $2 AND data_quality IS NOT NULL
            GROUP BY d.kind ORDER BY d.kind`,
            params,
          ),
        ]),
    );
    const t = totals.rows[0] ?? {};
    const callsByService = new Map(calls.rows.map((r) => [r.service, Number(r.calls)]));
    const services = [...new Set([...hooks.rows.map((r) => r.service), ...callsByService.keys()])].sort();
    return {
      totals: {
        cardsShown: Number(t.shown ?? 0),
        cardsSilent: Number(t.silent ?? 0),
        uniquePatients: Number(t.patients ?? 0),
        uniqueClinicians: Number(t.clinicians ?? 0),
        hookCalls: [...callsByService.values()].reduce((a, b) => a + b, 0),
        appLaunches: Number(app.rows[0]?.launches ?? 0),
        appLaunchAssessments: Number(app.rows[0]?.assessments ?? 0),
      },
      byService: services.map((service) => {
        const row = hooks.rows.find((r) => r.service === service);
        return {
          service,
          calls: callsByService.get(service) ?? 0,
          cardsShown: Number(row?.shown ?? 0),
          uniquePatients: Number(row?.patients ?? 0),
          uniqueClinicians: Number(row?.clinicians ?? 0),
        };
      }),
      byRole: roles.rows.map((r) => ({
        role: r.role,
        cardsShown: Number(r.shown),
        uniqueClinicians: Number(r.clinicians),
        accepted: Number(r.accepted),
        overridden: Number(r.overridden),
      })),
      byTopic: topics.rows.map((r) => ({
        topic: r.topic,
        ...(r.display ? { display: r.display } : {}),
        uniquePatients: Number(r.patients),
        uniqueClinicians: Number(r.clinicians),
      })),
      byVersion: versions.rows.map((r) => ({
        model: r.m,
        version: r.v,
        knowledgeBaseHash: r.k,
        assessments: Number(r.assessments),
        cardsShown: Number(r.shown),
        cardsSilent: Number(r.silent),
      })),
      byDataQuality: quality.rows.map((r) => ({
        kind: r.kind,
        issues: Number(r.issues),
        assessments: Number(r.assessments),
      })),
    };
  }

  /**
   * Per hook service and period (UTC buckets): calls, answers by status class, and the latency
   * percentiles (continuous, over every call in the bucket), within [from, to).
   */
  async hookPerformance(query: MonitoringQuery): Promise<HookPerformanceRow[]> {
    await this.writes.drain();
    if (!PERIODS.has(query.period))
      throw new CdsError('invalid-request', 'period must be day, week or month', { expression: ['period'] });
    const { rows } = await this.run('hookPerformance', () =>
      this.db.query<{
        period: string;
        service: string;
        calls: number;
        ok: number;
        client_errors: number;
        server_errors: number;
        p50: number;
        p90: number;
        p99: number;
      }>(
        `SELECT to_char(bucket, 'YYYY-MM-DD') AS period, service, calls, ok, client_errors, server_errors, p50, p90, p99
           FROM (SELECT date_trunc($1, at AT TIME ZONE 'UTC') AS bucket, service_id AS service, count(*)::int AS calls,
                        count(*) FILTER (WHERE status < 400)::int AS ok,
                        count(*) FILTER (WHERE status >= 400 AND status < 500)::int AS client_errors,
                        count(*) FILTER (WHERE status >= 500)::int AS server_errors,
                        percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms) AS p50,
                        percentile_cont(0.9) WITHIN GROUP (ORDER BY duration_ms) AS p90,
                        percentile_cont(0.99) WITHIN GROUP (ORDER BY duration_ms) AS p99
                   FROM hook_calls WHERE at >= $2 AND at < $3
                  GROUP BY 1, 2) b
          ORDER BY bucket, service`,
        [query.period, query.from, query.to],
      ),
    );
    return rows.map((r) => ({
      period: r.period,
      service: r.service,
      calls: Number(r.calls),
      ok: Number(r.ok),
      clientErrors: Number(r.client_errors),
      serverErrors: Number(r.server_errors),
      p50Ms: Number(r.p50),
      p90Ms: Number(r.p90),
      p99Ms: Number(r.p99),
    }));
  }

  /**
   * Per site model and version, over [from, to) (not bucketed: a model's few calls a day read best
   * as one row): calls, calls per status, the latency percentiles (continuous, over every call,
   * answered or not), and the latest call that did not end `complete`. Mode and runtime are the
   * latest call's.
   */
  async siteModelPerformance(query: MonitoringQuery): Promise<SiteModelPerformanceRow[]> {
    await this.writes.drain();
    const { rows } = await this.run('siteModelPerformance', () =>
      this.db.query<{
        model_id: string;
        version: string;
        mode: SiteModelCall['mode'];
        runtime: SiteModelCall['runtime'];
        calls: number;
        by_status: Record<string, number>;
        p50: number;
        p90: number;
        p99: number;
        failure_status: SiteModelCall['status'] | null;
        failure_at: Date | null;
      }>(
        `WITH c AS (SELECT * FROM site_model_calls WHERE at >= $1 AND at < $2)
         SELECT m.model_id, m.version, m.mode, m.runtime, m.calls, m.p50, m.p90, m.p99,
                (SELECT jsonb_object_agg(status, n)
                   FROM (SELECT status, count(*)::int AS n FROM c
                          WHERE c.model_id = m.model_id AND c.version = m.version GROUP BY status) s) AS by_status,
                f.status AS failure_status, f.at AS failure_at
           FROM (SELECT model_id, version, count(*)::int AS calls,
                        (array_agg(mode ORDER BY at DESC, id DESC))[1] AS mode,
                        (array_agg(runtime ORDER BY at DESC, id DESC))[1] AS runtime,
                        percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms) AS p50,
                        percentile_cont(0.9) WITHIN GROUP (ORDER BY duration_ms) AS p90,
                        percentile_cont(0.99) WITHIN GROUP (ORDER BY duration_ms) AS p99
                   FROM c GROUP BY model_id, version) m
           LEFT JOIN LATERAL (SELECT status, at FROM c
                               WHERE c.model_id = m.model_id AND c.version = m.version AND c.status <> 'complete'
                               ORDER BY at DESC, id DESC LIMIT 1) f ON true
          ORDER BY m.model_id, m.version`,
        [query.from, query.to],
      ),
    );
    return rows.map((r) => ({
      modelId: r.model_id,
      version: r.version,
      mode: r.mode,
      runtime: r.runtime,
      calls: Number(r.calls),
      byStatus: Object.fromEntries(Object.entries(r.by_status).map(([k, n]) => [k, Number(n)])),
      p50Ms: Number(r.p50),
      p90Ms: Number(r.p90),
      p99Ms: Number(r.p99),
      lastFailure:
        r.failure_status && r.failure_at
          ? { status: r.failure_status, at: new Date(r.failure_at).toISOString() }
          : null,
    }));
  }

  /**
   * Runs a database operation and gives its failure a meaning: a database that does not answer is
   * `store-unavailable` (503 at the edge), a value it cannot store is `invalid-request` (400), any
   * other statement it refused is `internal` (500, logged with its SQLSTATE), and a bug in this code
   * is thrown as it is (500, logged).
   */
  private async run<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof CdsError || isProgrammingError(error)) throw error;
      const failure = toDatabaseFailure(operation, error);
      this.logger.warn({ operation, code: failure.code }, 'database operation failed');
      if (meansUnavailable(failure))
        throw new CdsError('store-unavailable', 'The database is unavailable', { cause: failure });
      // SQLSTATE class 22 (data exception): a value the database cannot store, such as a NUL in
      // text or an unreadable timestamp. The request is at fault, not the database: a 400.
      if (failure.code.startsWith('22'))
        throw new CdsError('invalid-request', `A value could not be stored (SQLSTATE ${failure.code})`, {
          cause: failure,
        });
      throw new CdsError('internal', 'A database statement failed', { cause: failure });
    }
  }

  /** Deletes expired JWT ids now and then, off the request's path; a failure only delays it. */
  private purgeExpiredJtiSometimes(now?: Date): void {
    const at = Date.now();
    if (this.jtiPurge || at - this.lastJtiPurge < this.jtiPurgeIntervalMs) return;
    this.lastJtiPurge = at;
    this.jtiPurge = this.db
      .query('DELETE FROM jti WHERE expires_at <= COALESCE($1::timestamptz, now())', [now ?? null])
      .then(
        () => undefined,
        (error: unknown) => {
          this.logger.warn({ code: toDatabaseFailure('purgeJti', error).code }, 'expired jti purge failed');
        },
      )
      .finally(() => {
        this.jtiPurge = undefined;
      });
  }
}

/** Insert-or-replace of an assessment row; LLM additions already stored are kept. */
const UPSERT_ASSESSMENT = `ON CONFLICT (id) DO UPDATE SET
  patient_id = EXCLUDED.patient_id, fhir_server = EXCLUDED.fhir_server, created_at = EXCLUDED.created_at,
  assessment = NULL, assessment_gz = EXCLUDED.assessment_gz, llm = COALESCE(assessments.llm, EXCLUDED.llm),
  model_name = EXCLUDED.model_name, model_version = EXCLUDED.model_version, knowledge_hash = EXCLUDED.knowledge_hash,
  data_quality = EXCLUDED.data_quality`;

const gzipAsync = promisify(gzip);

interface AssessmentInsert {
  id: string;
  patient_id: string;
  fhir_server: string | null;
  created_at: string;
  /** The snapshot without its LLM additions, gzip, base64 (decoded to bytea by the statement); null: none kept. */
  assessment_gz: string | null;
  llm: LlmAdditions | null;
  /** Which model and knowledge base produced it (migration 5). */
  model_name: string | null;
  model_version: string | null;
  knowledge_hash: string | null;
  /** Data-quality issues by kind (migration 6); null when the whole record was read. */
  data_quality: Record<string, number> | null;
}

/** One site-model call's row, as queued. */
interface SiteModelCallInsert {
  model_id: string;
  version: string;
  mode: string;
  runtime: string;
  hook: string | null;
  at: string;
  duration_ms: number;
  status: string;
}

/** One hook call's timing row, as queued. */
interface HookCallInsert {
  service_id: string;
  hook: string;
  at: string;
  duration_ms: number;
  status: number;
}

/** An assessment row before its snapshot is compressed: what the write-behind queue holds. */
interface AssessmentPending extends Omit<AssessmentInsert, 'assessment_gz'> {
  /**
   * The snapshot without its LLM additions, as JSON: a flat string, nothing else is kept alive.
   * Null when the hook keeps no snapshot (HookRecord.keepSnapshot).
   */
  json: string | null;
}

/**
 * A hook's snapshot row, queued at once and made JSON in the event loop's next check phase, after
 * the hook's answer has been written (`recordHook` is called before it is), or when its batch is
 * written, if that comes first: the serialization (0.15–0.3 ms at the median chart) is not paid
 * before the answer leaves, and the queue holds the assessment's object graph for one turn only.
 * A hook that keeps no snapshot has its row made at once, without the Assessment's JSON.
 */
class SnapshotRow {
  private stored: StoredAssessment | undefined;
  private made: AssessmentPending | undefined;

  constructor(stored: StoredAssessment, keepSnapshot: boolean) {
    if (!keepSnapshot) {
      this.made = assessmentRow(stored, null);
      return;
    }
    this.stored = stored;
    setImmediate(() => this.row());
  }

  row(): AssessmentPending {
    if (!this.made) {
      this.made = pendingAssessment(this.stored as StoredAssessment);
      this.stored = undefined;
    }
    return this.made;
  }
}

function pendingAssessment(stored: StoredAssessment): AssessmentPending {
  const { llm, ...assessment } = stored.assessment;
  return assessmentRow(stored, JSON.stringify(assessment), llm ?? null);
}

/** An assessment's row around its snapshot's JSON, or around none (`json` null: the row alone). */
function assessmentRow(
  stored: StoredAssessment,
  json: string | null,
  llm: LlmAdditions | null = null,
): AssessmentPending {
  const { assessment } = stored;
  return {
    id: assessment.id,
    patient_id: stored.patientId,
    fhir_server: stored.fhirServer ?? null,
    created_at: stored.createdAt.toISOString(),
    json,
    llm,
    model_name: assessment.model?.name ?? null,
    model_version: assessment.model?.version ?? null,
    knowledge_hash: assessment.model?.knowledgeBaseHash ?? null,
    data_quality: dataQualityCounts(assessment.dataQuality),
  };
}

/** The assessment's data-quality issues counted by kind, or null when there are none. */
function dataQualityCounts(issues: Assessment['dataQuality']): Record<string, number> | null {
  if (!issues?.length) return null;
  const counts: Record<string, number> = {};
  for (const issue of issues) counts[issue.kind] = (counts[issue.kind] ?? 0) + 1;
  return counts;
}

/**
 * The row as the statements insert it (migration 2): the JSON gzip-compressed on the thread pool,
 * off the event loop, at the fastest level (the text compresses about five-fold even so).
 */
async function compressed(pending: AssessmentPending): Promise<AssessmentInsert> {
  const { json, ...row } = pending;
  if (json === null) return { ...row, assessment_gz: null };
  const gz = await gzipAsync(json, { level: zlibConstants.Z_BEST_SPEED });
  return { ...row, assessment_gz: gz.toString('base64') };
}

/** Assessment rows (`AssessmentInsert`, snapshot gzip base64) from a JSON array in `param`. */
const insertAssessments = (
  param: string,
) => `INSERT INTO assessments (id, patient_id, fhir_server, created_at, assessment_gz, llm,
                             model_name, model_version, knowledge_hash, data_quality)
   SELECT id, patient_id, fhir_server, created_at, decode(assessment_gz, 'base64'), llm, model_name,
          model_version, knowledge_hash, data_quality
     FROM jsonb_to_recordset(${param}::jsonb) AS a(id uuid, patient_id text, fhir_server text, created_at timestamptz,
          assessment_gz text, llm jsonb, model_name text, model_version text, knowledge_hash text,
          data_quality jsonb)
   ${UPSERT_ASSESSMENT}`;

/** JWT ids from a JSON array in `param`; a stored id gets the later expiry. */
const insertJtis = (param: string) => `INSERT INTO jti (issuer, jti, expires_at)
   SELECT issuer, jti, expires_at FROM jsonb_to_recordset(${param}::jsonb) AS j(issuer text, jti text, expires_at timestamptz)
   ON CONFLICT (issuer, jti) DO UPDATE SET expires_at = EXCLUDED.expires_at`;

/** Hook call timings (`HookCallInsert`) from a JSON array in `param`. */
const insertHookCalls = (param: string) => `INSERT INTO hook_calls (service_id, hook, at, duration_ms, status)
   SELECT service_id, hook, at, duration_ms, status
     FROM jsonb_to_recordset(${param}::jsonb) AS h(service_id text, hook text, at timestamptz, duration_ms double precision,
          status smallint)`;

/** Site-model call timings (`SiteModelCallInsert`) from a JSON array in `param`. */
const insertSiteModelCalls = (
  param: string,
) => `INSERT INTO site_model_calls (model_id, version, mode, runtime, hook, at, duration_ms, status)
   SELECT model_id, version, mode, runtime, hook, at, duration_ms, status
     FROM jsonb_to_recordset(${param}::jsonb) AS m(model_id text, version text, mode text, runtime text, hook text,
          at timestamptz, duration_ms double precision, status text)`;

/** Issued cards from a JSON array of `issuedCardRow`s in `param`; a card already stored is left as it is. */
const insertIssuedCards = (
  param: string,
) => `INSERT INTO issued_cards (card_uuid, service_id, hook, hook_instance, assessment_id, patient_id, topic,
                             topic_display, indicator, suggestion_uuids, silent, issued_at, order_alert_key,
                             model_name, model_version, knowledge_hash)
   SELECT card_uuid, service_id, hook, hook_instance, assessment_id, patient_id, topic,
          topic_display, indicator, suggestion_uuids, silent, issued_at, order_alert_key,
          model_name, model_version, knowledge_hash
     FROM jsonb_to_recordset(${param}::jsonb) AS c(card_uuid text, service_id text, hook text, hook_instance text,
          assessment_id text, patient_id text, topic text, topic_display text, indicator text, suggestion_uuids text[],
          silent boolean, issued_at timestamptz, order_alert_key text, model_name text, model_version text,
          knowledge_hash text)
   ON CONFLICT (card_uuid) DO NOTHING`;

/** Audit events from a JSON array of `auditRow`s in `param`. */
const insertAuditEvents = (
  param: string,
) => `INSERT INTO audit_events (at, issuer, user_id, action, service_id, hook_instance, patient_id, assessment_id,
                             card_uuids, outcome)
   SELECT at, issuer, user_id, action, service_id, hook_instance, patient_id, assessment_id, card_uuids, outcome
     FROM jsonb_to_recordset(${param}::jsonb) AS e(at timestamptz, issuer text, user_id text, action text, service_id text,
          hook_instance text, patient_id text, assessment_id text, card_uuids text[], outcome text)`;

type IssuedCardInsert = ReturnType<typeof issuedCardRow>;
type AuditInsert = ReturnType<typeof auditRow>;

function issuedCardRow(c: IssuedCard) {
  return {
    card_uuid: c.cardUuid,
    service_id: c.serviceId,
    hook: c.hook,
    hook_instance: c.hookInstance,
    assessment_id: c.assessmentId ?? null,
    patient_id: c.patientId,
    topic: c.topic,
    topic_display: c.topicDisplay ?? null,
    indicator: c.indicator,
    suggestion_uuids: c.suggestionUuids,
    silent: c.silent,
    issued_at: c.issuedAt.toISOString(),
    order_alert_key: c.orderAlertKey ?? null,
    model_name: c.model?.name ?? null,
    model_version: c.model?.version ?? null,
    knowledge_hash: c.model?.knowledgeBaseHash ?? null,
  };
}

function auditRow(event: AuditEvent) {
  return {
    at: event.at.toISOString(),
    issuer: event.issuer ?? null,
    user_id: event.userId ?? null,
    action: event.action,
    service_id: event.serviceId ?? null,
    hook_instance: event.hookInstance ?? null,
    patient_id: event.patientId ?? null,
    assessment_id: event.assessmentId ?? null,
    card_uuids: event.cardUuids ?? [],
    outcome: event.outcome,
  };
}

function jtiKey(issuer: string, jti: string): string {
  return `${issuer}\n${jti}`;
}

function activeAt(topics: Map<string, number>, now: Date): Set<string> {
  const at = now.getTime();
  return new Set([...topics].filter(([, until]) => until > at).map(([topic]) => topic));
}

/** The stored assessment of a row; undefined for a row that kept no snapshot (HookRecord.keepSnapshot). */
function fromAssessmentRow(row: AssessmentRow): StoredAssessment | undefined {
  if (!row.assessment_gz && !row.assessment) return undefined;
  const snapshot = row.assessment_gz
    ? (JSON.parse(gunzipSync(row.assessment_gz).toString('utf8')) as Assessment)
    : (row.assessment as Assessment);
  const assessment: Assessment = { ...snapshot, id: row.id };
  if (row.llm) assessment.llm = row.llm;
  return {
    assessment,
    patientId: row.patient_id,
    ...(row.fhir_server !== null ? { fhirServer: row.fhir_server } : {}),
    createdAt: row.created_at,
  };
}

/** A fault in this code rather than in the database: let it surface as the bug it is. */
function isProgrammingError(error: unknown): boolean {
  return error instanceof TypeError || error instanceof RangeError || error instanceof ReferenceError;
}
