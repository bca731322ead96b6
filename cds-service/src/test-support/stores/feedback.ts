/** FeedbackStore in memory: issued cards, CDS Hooks and app feedback, snoozes. */
import { randomUUID } from 'node:crypto';
import type { AppFeedbackRequest, FeedbackEntry } from '@rationale/shared-types';
import type { FeedbackStore, IssuedCard, Snooze } from '../../store/store';
import { whileUp, type Outage } from './outage';

export interface MemoryFeedbackStore extends FeedbackStore {
  readonly issuedCards: Map<string, IssuedCard>;
  readonly feedback: { serviceId: string; entry: FeedbackEntry; receivedAt: Date }[];
  readonly appFeedback: { id: string; feedback: AppFeedbackRequest; receivedAt: Date }[];
  /** One per patient and topic: the latest applied. */
  readonly snoozes: Snooze[];
}

const sameEntry = (a: FeedbackEntry, b: FeedbackEntry) =>
  a.card === b.card && a.outcome === b.outcome && a.outcomeTimestamp === b.outcomeTimestamp;

export function memoryFeedbackStore(outage: Outage): MemoryFeedbackStore {
  const store: MemoryFeedbackStore = {
    issuedCards: new Map(),
    feedback: [],
    appFeedback: [],
    snoozes: [],
    async recordIssuedCards(cards) {
      await whileUp(outage);
      for (const c of cards) store.issuedCards.set(c.cardUuid, c);
    },
    async getIssuedCard(cardUuid) {
      await whileUp(outage);
      return store.issuedCards.get(cardUuid);
    },
    async saveFeedback(serviceId, entries, receivedAt) {
      await whileUp(outage);
      const fresh = entries.filter((entry) => !store.feedback.some((f) => sameEntry(f.entry, entry)));
      store.feedback.push(...fresh.map((entry) => ({ serviceId, entry, receivedAt })));
      return { stored: fresh.length, duplicates: entries.length - fresh.length };
    },
    async saveAppFeedback(feedback, receivedAt) {
      await whileUp(outage);
      const id = randomUUID();
      store.appFeedback.push({ id, feedback, receivedAt });
      return { id };
    },
    async snooze(snooze) {
      await whileUp(outage);
      const i = store.snoozes.findIndex((s) => s.patientId === snooze.patientId && s.topic === snooze.topic);
      if (i >= 0) store.snoozes.splice(i, 1);
      store.snoozes.push(snooze);
    },
    async activeSnoozes(patientId, now) {
      await whileUp(outage);
      const active = store.snoozes.filter((s) => s.patientId === patientId && s.until > now);
      return new Set(active.map((s) => s.topic));
    },
  };
  return store;
}
