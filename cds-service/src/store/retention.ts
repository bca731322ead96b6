/**
 * What the hourly purge deletes, and after how long (docs/deployment.md §5): assessments after
 * `retentionDays`; the monitoring page's rows after `monitoringRetentionDays` — hook calls,
 * site-model calls, and the issued cards that no feedback names. Feedback (CDS Hooks and the
 * app's), snoozes and audit events have no retention and stay; a card with feedback stays with it.
 */
import type { AssessmentStore, MonitoringRetention } from './store';

export interface RetentionSettings {
  /** Assessments (the app's snapshots). */
  retentionDays: number;
  /** Hook calls, site-model calls and issued cards without feedback. */
  monitoringRetentionDays: number;
}

export interface Purged {
  assessments: number;
  monitoringCalls: number;
  issuedCards: number;
}

const DAY_MS = 86_400_000;

/** Deletes what is past its retention at `now`; how many rows of each kind went. */
export async function purgeExpired(
  store: Pick<AssessmentStore, 'purgeAssessments'> & MonitoringRetention,
  settings: RetentionSettings,
  now: Date,
): Promise<Purged> {
  const daysAgo = (days: number) => new Date(now.getTime() - days * DAY_MS);
  const monitoringCutOff = daysAgo(settings.monitoringRetentionDays);
  return {
    assessments: await store.purgeAssessments(daysAgo(settings.retentionDays)),
    monitoringCalls: await store.purgeMonitoring(monitoringCutOff),
    issuedCards: await store.purgeIssuedCards(monitoringCutOff),
  };
}
