/**
 * CDS Hooks feedback (STU2 §Feedback, L818-942): stored durably before the 200, idempotent for
 * repeats, both `overrideReason` and Epic's `overrideReasons` accepted. Feedback snoozes the card's
 * topic for that patient: `overridden` for the configured period, `accepted` while the accepted
 * action is pending (same period), so the card does not come back on the next chart open.
 */
import { feedbackEntrySchema, type FeedbackEntry } from '@rationale/shared-types';
import { z } from 'zod';
import { CdsError } from '../errors';
import { errorSummary } from '../logger';
import type { FeedbackResult } from '../store/store';
import type { ServiceDefinition } from './registry';

import type { HookCallContext, HookDeps } from './types';
import { fieldPath, parseOrThrow, withSafeText } from './validation';

const DAY_MS = 86_400_000;

/** The envelope: `feedback`, an array of 1–500 entries, each judged on its own below. */
const feedbackEnvelopeSchema = z.object({ feedback: z.array(z.unknown()).min(1).max(500) });

interface BadEntry {
  index: number;
  expression: string[];
  message: string;
}

/** The entries that parse, and a description of each that does not (the others still count). */
function parseEntries(body: unknown): { valid: FeedbackEntry[]; indexes: number[]; bad: BadEntry[] } {
  const { feedback } = parseOrThrow(feedbackEnvelopeSchema, body);
  const valid: FeedbackEntry[] = [];
  const indexes: number[] = [];
  const bad: BadEntry[] = [];
  for (const [index, raw] of feedback.entries()) {
    const r = feedbackEntrySchema.safeParse(raw);
    if (r.success) {
      valid.push(r.data);
      indexes.push(index);
      continue;
    }
    const issues = r.error.issues.slice(0, 3);
    const expression = issues.map((i) => fieldPath(i.path, `feedback[${index}]`));
    bad.push({
      index,
      expression,
      message: issues.map((i, n) => `${expression[n]}: ${i.message}`).join('; '),
    });
  }
  return { valid, indexes, bad };
}

/**
 * Stores the feedback and applies snoozes. Each entry is judged on its own: the valid ones are
 * stored even when another is malformed or refused by the database, and the request then answers
 * 400 naming the bad entries (issue 18: one bad entry never loses the others). A store that does not answer rejects with
 * `store-unavailable` (503); any other failure keeps its meaning (a bug is a 500, logged at the edge).
 */
export async function handleFeedback(
  service: ServiceDefinition,
  body: unknown,
  call: HookCallContext,
  deps: Pick<HookDeps, 'store' | 'config' | 'clock'>,
): Promise<FeedbackResult & { snoozed: number }> {
  const parsed = parseEntries(withSafeText(body));
  const now = deps.clock();
  const log = call.logger.child({ serviceId: service.id });
  const result = parsed.valid.length
    ? await deps.store.saveFeedback(service.id, parsed.valid, now)
    : { stored: 0, duplicates: 0 };
  const refused: BadEntry[] = [
    ...parsed.bad,
    ...(result.rejected ?? []).map((i) => {
      const index = parsed.indexes[i] ?? i;
      return {
        index,
        expression: [`feedback[${index}]`],
        message: `feedback[${index}]: a value could not be stored`,
      };
    }),
  ].sort((a, b) => a.index - b.index);
  const rejectedSet = new Set(result.rejected ?? []);
  const feedback = parsed.valid.filter((_, i) => !rejectedSet.has(i));
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
    {
      entries: feedback.length,
      stored: result.stored,
      duplicates: result.duplicates,
      refused: refused.length,
      snoozed,
    },
    'feedback stored',
  );
  if (refused.length > 0) {
    // The valid entries are stored (a resend is an idempotent repeat); the 400 names the others.
    const kept = feedback.length
      ? `; the other ${feedback.length} entr${feedback.length === 1 ? 'y was' : 'ies were'} stored`
      : '';
    throw new CdsError(
      'invalid-request',
      `${refused
        .slice(0, 10)
        .map((r) => r.message)
        .join('; ')}${kept}`,
      {
        expression: refused.slice(0, 10).flatMap((r) => r.expression),
      },
    );
  }
  return { ...result, snoozed };
}
