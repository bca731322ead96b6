/**
 * An in-memory Store implementing the whole interface, for HTTP tests. `failing` switches every call
 * to reject with `store-unavailable`, as the real store does when the database does not answer.
 */
import { randomUUID } from 'node:crypto';
import { CdsError } from '../errors';
import type { AppFeedbackRequest, FeedbackEntry, LlmAdditions } from '@rationale/shared-types';
import type {
  AuditEvent,
  FeedbackResult,
  HookRecord,
  IssuedCard,
  MonitoringQuery,
  MonitoringRow,
  Snooze,
  Store,
  StoredAssessment,
} from '../store/store';

export class FakeStore implements Store {
  failing = false;
  readonly assessments = new Map<string, StoredAssessment>();
  readonly issuedCards = new Map<string, IssuedCard>();
  readonly feedback: { serviceId: string; entry: FeedbackEntry; receivedAt: Date }[] = [];
  readonly appFeedback: { id: string; feedback: AppFeedbackRequest; receivedAt: Date }[] = [];
  readonly snoozes: Snooze[] = [];
  readonly jtis = new Map<string, Date>();
  readonly auditEvents: AuditEvent[] = [];
  readonly llmAdditions = new Map<string, LlmAdditions>();

  private async guard(): Promise<void> {
    if (this.failing) throw new CdsError('store-unavailable', 'The database is unavailable');
  }

  async migrate(): Promise<void> {
    await this.guard();
  }
  async close(): Promise<void> {}
  async healthy(): Promise<boolean> {
    return !this.failing;
  }

  async saveAssessment(stored: StoredAssessment): Promise<void> {
    await this.guard();
    this.assessments.set(stored.assessment.id, structuredClone(stored));
  }
  async recordHook(record: HookRecord): Promise<void> {
    await this.saveAssessment(record.assessment);
    await this.recordIssuedCards(record.cards);
    await this.audit(record.audit);
  }
  async getAssessment(id: string): Promise<StoredAssessment | undefined> {
    await this.guard();
    const s = this.assessments.get(id);
    if (!s) return undefined;
    const llm = this.llmAdditions.get(id);
    return llm ? { ...s, assessment: { ...s.assessment, llm } } : s;
  }
  async latestAssessmentFor(patientId: string, fhirServer?: string): Promise<StoredAssessment | undefined> {
    await this.guard();
    return [...this.assessments.values()]
      .filter((a) => a.patientId === patientId && (!fhirServer || a.fhirServer === fhirServer))
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0];
  }
  async saveLlmAdditions(assessmentId: string, additions: LlmAdditions): Promise<void> {
    await this.guard();
    this.llmAdditions.set(assessmentId, additions);
  }
  async purgeAssessments(olderThan: Date): Promise<number> {
    await this.guard();
    let n = 0;
    for (const [id, a] of this.assessments) {
      if (a.createdAt < olderThan) {
        this.assessments.delete(id);
        n += 1;
      }
    }
    return n;
  }

  async recordIssuedCards(cards: IssuedCard[]): Promise<void> {
    await this.guard();
    for (const c of cards) this.issuedCards.set(c.cardUuid, c);
  }
  async getIssuedCard(cardUuid: string): Promise<IssuedCard | undefined> {
    await this.guard();
    return this.issuedCards.get(cardUuid);
  }

  async saveFeedback(serviceId: string, entries: FeedbackEntry[], receivedAt: Date): Promise<FeedbackResult> {
    await this.guard();
    let stored = 0;
    let duplicates = 0;
    for (const entry of entries) {
      const dup = this.feedback.some(
        (f) =>
          f.entry.card === entry.card &&
          f.entry.outcome === entry.outcome &&
          f.entry.outcomeTimestamp === entry.outcomeTimestamp,
      );
      if (dup) duplicates += 1;
      else {
        this.feedback.push({ serviceId, entry, receivedAt });
        stored += 1;
      }
    }
    return { stored, duplicates };
  }
  async saveAppFeedback(feedback: AppFeedbackRequest, receivedAt: Date): Promise<{ id: string }> {
    await this.guard();
    const id = randomUUID();
    this.appFeedback.push({ id, feedback, receivedAt });
    return { id };
  }

  async snooze(snooze: Snooze): Promise<void> {
    await this.guard();
    const i = this.snoozes.findIndex((s) => s.patientId === snooze.patientId && s.topic === snooze.topic);
    if (i >= 0) this.snoozes.splice(i, 1);
    this.snoozes.push(snooze);
  }
  async activeSnoozes(patientId: string, now: Date): Promise<Set<string>> {
    await this.guard();
    return new Set(
      this.snoozes.filter((s) => s.patientId === patientId && s.until > now).map((s) => s.topic),
    );
  }

  async rememberJti(issuer: string, jti: string, expiresAt: Date): Promise<boolean> {
    await this.guard();
    const key = `${issuer}\n${jti}`;
    if (this.jtis.has(key)) return false;
    this.jtis.set(key, expiresAt);
    return true;
  }

  async audit(event: AuditEvent): Promise<void> {
    await this.guard();
    this.auditEvents.push(event);
  }

  async monitoring(query: MonitoringQuery): Promise<MonitoringRow[]> {
    await this.guard();
    const rows = new Map<string, MonitoringRow>();
    for (const c of this.issuedCards.values()) {
      if (c.issuedAt < query.from || c.issuedAt >= query.to) continue;
      const period = c.issuedAt.toISOString().slice(0, 10);
      const key = `${period}|${c.topic}`;
      const row = rows.get(key) ?? {
        period,
        topic: c.topic,
        shown: 0,
        silent: 0,
        accepted: 0,
        overridden: 0,
        overrideReasons: {},
        snoozed: 0,
        appAgree: 0,
        appDisagree: 0,
      };
      if (c.silent) row.silent += 1;
      else row.shown += 1;
      for (const f of this.feedback.filter((x) => x.entry.card === c.cardUuid)) {
        if (f.entry.outcome === 'accepted') row.accepted += 1;
        else {
          row.overridden += 1;
          const code = f.entry.overrideReason?.reason?.code ?? 'unspecified';
          row.overrideReasons[code] = (row.overrideReasons[code] ?? 0) + 1;
        }
      }
      rows.set(key, row);
    }
    return [...rows.values()];
  }
}
