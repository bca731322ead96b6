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
  HookCallTiming,
  HookPerformanceRow,
  HookRecord,
  IssuedCard,
  MonitoringQuery,
  MonitoringRow,
  MonitoringSummary,
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
  readonly hookCalls: HookCallTiming[] = [];

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

  async orderAlertsShown(
    patientId: string,
    keys: readonly string[],
    since: Date,
    now: Date,
  ): Promise<Set<string>> {
    await this.guard();
    const wanted = new Set(keys);
    return new Set(
      [...this.issuedCards.values()]
        .filter(
          (c) =>
            c.patientId === patientId &&
            c.hook === 'order-select' &&
            !c.silent &&
            c.issuedAt >= since &&
            c.issuedAt <= now &&
            c.orderAlertKey !== undefined &&
            wanted.has(c.orderAlertKey),
        )
        .map((c) => c.orderAlertKey as string),
    );
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

  async recordHookCall(call: HookCallTiming): Promise<void> {
    await this.guard();
    this.hookCalls.push(call);
  }

  /** The same rows as PostgresStore.hookPerformance, by UTC day, with nearest-rank percentiles. */
  async hookPerformance(query: MonitoringQuery): Promise<HookPerformanceRow[]> {
    await this.guard();
    const groups = new Map<string, HookCallTiming[]>();
    for (const c of this.hookCalls) {
      if (c.at < query.from || c.at >= query.to) continue;
      const key = `${c.at.toISOString().slice(0, 10)}|${c.serviceId}`;
      groups.set(key, [...(groups.get(key) ?? []), c]);
    }
    return [...groups].sort().map(([key, calls]) => {
      const [period = '', service = ''] = key.split('|');
      const ms = calls.map((c) => c.durationMs).sort((a, b) => a - b);
      const at = (p: number) => ms[Math.min(ms.length - 1, Math.ceil(p * ms.length) - 1)] ?? 0;
      return {
        period,
        service,
        calls: calls.length,
        ok: calls.filter((c) => c.status < 400).length,
        clientErrors: calls.filter((c) => c.status >= 400 && c.status < 500).length,
        serverErrors: calls.filter((c) => c.status >= 500).length,
        p50Ms: at(0.5),
        p90Ms: at(0.9),
        p99Ms: at(0.99),
      };
    });
  }

  async audit(event: AuditEvent): Promise<void> {
    await this.guard();
    this.auditEvents.push(event);
  }

  /** The same counts as PostgresStore.monitoringSummary, over the in-memory rows. */
  async monitoringSummary(query: MonitoringQuery): Promise<MonitoringSummary> {
    await this.guard();
    const inRange = (d: Date) => d >= query.from && d < query.to;
    const userOf = (c: IssuedCard) =>
      this.auditEvents.find((e) => e.action === 'hook' && e.hookInstance === c.hookInstance)?.userId;
    const cards = [...this.issuedCards.values()].filter((c) => inRange(c.issuedAt));
    const shown = cards.filter((c) => !c.silent);
    const distinct = <T>(xs: T[]) => new Set(xs.filter((x) => x !== undefined)).size;
    const hookEvents = this.auditEvents.filter((e) => e.action === 'hook' && inRange(e.at) && e.serviceId);
    const services = [
      ...new Set([...cards.map((c) => c.serviceId), ...hookEvents.map((e) => e.serviceId as string)]),
    ].sort();
    const roleOf = (c: IssuedCard) => userOf(c)?.split('/')[0] || 'unknown';
    const outcomeCount = (list: IssuedCard[], outcome: string) =>
      distinct(
        this.feedback
          .filter((f) => f.entry.outcome === outcome && list.some((c) => c.cardUuid === f.entry.card))
          .map((f) => f.entry.card),
      );
    const appReads = this.auditEvents.filter(
      (e) => e.action === 'app-read' && e.outcome === 'ok' && inRange(e.at),
    );
    return {
      totals: {
        cardsShown: shown.length,
        cardsSilent: cards.length - shown.length,
        uniquePatients: distinct(shown.map((c) => c.patientId)),
        uniqueClinicians: distinct(shown.map(userOf)),
        hookCalls: distinct(hookEvents.map((e) => e.hookInstance)),
        appLaunches: appReads.length,
        appLaunchAssessments: distinct(appReads.map((e) => e.assessmentId)),
      },
      byService: services.map((service) => {
        const mine = shown.filter((c) => c.serviceId === service);
        return {
          service,
          calls: distinct(hookEvents.filter((e) => e.serviceId === service).map((e) => e.hookInstance)),
          cardsShown: mine.length,
          uniquePatients: distinct(mine.map((c) => c.patientId)),
          uniqueClinicians: distinct(mine.map(userOf)),
        };
      }),
      byRole: [...new Set(cards.map(roleOf))].sort().map((role) => {
        const mine = cards.filter((c) => roleOf(c) === role);
        return {
          role,
          cardsShown: mine.filter((c) => !c.silent).length,
          uniqueClinicians: distinct(mine.map(userOf)),
          accepted: outcomeCount(mine, 'accepted'),
          overridden: outcomeCount(mine, 'overridden'),
        };
      }),
      byTopic: [...new Set(cards.map((c) => c.topic))].sort().map((topic) => {
        const mine = shown.filter((c) => c.topic === topic);
        const display = cards.find((c) => c.topic === topic && c.topicDisplay)?.topicDisplay;
        return {
          topic,
          ...(display ? { display } : {}),
          uniquePatients: distinct(mine.map((c) => c.patientId)),
          uniqueClinicians: distinct(mine.map(userOf)),
        };
      }),
      byVersion: this.versionCounts(query, cards),
      byDataQuality: this.dataQualityCounts(query),
    };
  }

  private dataQualityCounts(query: MonitoringQuery): MonitoringSummary['byDataQuality'] {
    const rows = new Map<string, { kind: string; issues: number; assessments: number }>();
    for (const a of this.assessments.values()) {
      if (a.createdAt < query.from || a.createdAt >= query.to) continue;
      const kinds = new Map<string, number>();
      for (const issue of a.assessment.dataQuality ?? [])
        kinds.set(issue.kind, (kinds.get(issue.kind) ?? 0) + 1);
      for (const [kind, n] of kinds) {
        const r = rows.get(kind) ?? { kind, issues: 0, assessments: 0 };
        r.issues += n;
        r.assessments += 1;
        rows.set(kind, r);
      }
    }
    return [...rows.values()].sort((a, b) => a.kind.localeCompare(b.kind));
  }

  private versionCounts(query: MonitoringQuery, cards: IssuedCard[]): MonitoringSummary['byVersion'] {
    const rows = new Map<string, MonitoringSummary['byVersion'][number]>();
    const row = (m: { name: string; version: string; knowledgeBaseHash: string } | undefined) => {
      const model = m ?? { name: 'unrecorded', version: 'unrecorded', knowledgeBaseHash: 'unrecorded' };
      const key = `${model.name}|${model.version}|${model.knowledgeBaseHash}`;
      const r = rows.get(key) ?? {
        model: model.name,
        version: model.version,
        knowledgeBaseHash: model.knowledgeBaseHash,
        assessments: 0,
        cardsShown: 0,
        cardsSilent: 0,
      };
      rows.set(key, r);
      return r;
    };
    for (const a of this.assessments.values())
      if (a.createdAt >= query.from && a.createdAt < query.to) row(a.assessment.model).assessments += 1;
    for (const c of cards) {
      if (c.silent) row(c.model).cardsSilent += 1;
      else row(c.model).cardsShown += 1;
    }
    return [...rows.values()].sort((a, b) =>
      `${a.model}|${a.version}|${a.knowledgeBaseHash}`.localeCompare(
        `${b.model}|${b.version}|${b.knowledgeBaseHash}`,
      ),
    );
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
