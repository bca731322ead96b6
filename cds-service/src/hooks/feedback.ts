/**
 * CDS Hooks feedback (STU2 §Feedback, L818-942): stored durably before the 200, idempotent for
 * repeats, both `overrideReason` and Epic's `overrideReasons` accepted. Feedback snoozes the card's
 * topic for that patient: `overridden` for the configured period, `accepted` while the accepted
 * action is pending (same period), so the card does not come back on the next chart open.
 */
import { feedbackRequestSchema } from '@rationale/shared-types';
import { errorSummary } from '../logger';
import type { FeedbackResult } from '../store/store';
import type { ServiceDefinition } from './registry';

import type { HookCallContext, HookDeps } from './types';
import { parseOrThrow, withSafeText } from './validation';

const DAY_MS = 86_400_000;

/**
 * Stores the feedback and applies snoozes. A store that does not answer rejects with
 * `store-unavailable` (503); any other failure keeps its meaning (a bug is a 500, logged at the edge).
 */
export async function handleFeedback(
  service: ServiceDefinition,
  body: unknown,
  call: HookCallContext,
  deps: Pick<HookDeps, 'store' | 'config' | 'clock'>,
): Promise<FeedbackResult & { snoozed: number }> {
  const { feedback } = parseOrThrow(feedbackRequestSchema, withSafeText(body));
  const now = deps.clock();
  const log = call.logger.child({ serviceId: service.id });
  const result = await deps.store.saveFeedback(service.id, feedback, now);
  let snoozed = 0;
  const until = new Date(now.getTime() + deps.config.snoozeDays * DAY_MS);
  const patients = new Set<string>();
  for (const entry of feedback) {
    const issued = await deps.store.getIssuedCard(entry.card);
    if (!issued) continue;
    patients.add(issued.patientId);
    if (deps.config.snoozeDays <= 0) continue;
    await deps.store.snooze({
      patientId: issued.patientId,
      topic: issued.topic,
      until,
      reason: entry.outcome === 'overridden' ? 'overridden' : 'accepted-pending',
      createdAt: now,
    });
    snoozed += 1;
  }
  await deps.store
    .audit({
      at: now,
      issuer: call.caller.issuer,
      action: 'feedback',
      serviceId: service.id,
      patientId: patients.size === 1 ? [...patients][0] : undefined,
      cardUuids: feedback.map((f) => f.card),
      outcome: 'ok',
    })
    .catch((e: unknown) => log.warn({ err: errorSummary(e) }, 'feedback audit event not stored'));
  log.info(
    { entries: feedback.length, stored: result.stored, duplicates: result.duplicates, snoozed },
    'feedback stored',
  );
  return { ...result, snoozed };
}
