/**
 * The hourly purge (store/retention.ts) on each database: assessments go after `retentionDays`,
 * the monitoring page's call rows and the cards no feedback names after `monitoringRetentionDays`;
 * a card with feedback stays, so its feedback is still counted under the card's topic.
 */
import { describeUnless } from '../test-support/skip';
import { purgeExpired } from './retention';
import { sampleAssessment, sampleIssuedCard, testBackends, type OpenedStore } from './testing';

// Opening PGlite compiles PostgreSQL's WASM and runs initdb: seconds on a busy machine.
jest.setTimeout(60_000);

const NOW = new Date('2026-06-30T12:00:00.000Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000);
const SETTINGS = { retentionDays: 30, monitoringRetentionDays: 90 };

for (const backend of testBackends()) {
  describeUnless(backend.skip, `purgeExpired on ${backend.name}`, () => {
    let opened: OpenedStore;
    beforeAll(async () => {
      opened = await backend.open();
    });
    afterAll(async () => {
      await opened?.cleanup();
    });

    it('purges cards issued before the monitoring retention unless feedback names them', async () => {
      const store = opened.store;
      const oldAssessment = sampleAssessment('p-old', undefined, daysAgo(31).toISOString());
      const newAssessment = sampleAssessment('p-new', undefined, daysAgo(29).toISOString());
      await store.saveAssessment({ assessment: oldAssessment, patientId: 'p-old', createdAt: daysAgo(31) });
      await store.saveAssessment({ assessment: newAssessment, patientId: 'p-new', createdAt: daysAgo(29) });

      const oldSilent = sampleIssuedCard('dxckd', daysAgo(91), { silent: true });
      const oldShown = sampleIssuedCard('dxckd', daysAgo(91));
      const oldAccepted = sampleIssuedCard('dxckd', daysAgo(91));
      const oldOverridden = sampleIssuedCard('rxstatin', daysAgo(120));
      const recent = sampleIssuedCard('dxckd', daysAgo(89));
      await store.recordIssuedCards([oldSilent, oldShown, oldAccepted, oldOverridden, recent]);
      await store.saveFeedback(
        'rationale-patient-view',
        [
          {
            card: oldAccepted.cardUuid,
            outcome: 'accepted',
            outcomeTimestamp: daysAgo(91).toISOString(),
            acceptedSuggestions: [],
          },
          {
            card: oldOverridden.cardUuid,
            outcome: 'overridden',
            outcomeTimestamp: daysAgo(119).toISOString(),
            overrideReason: { reason: { code: 'patient-declined' } },
          },
        ],
        daysAgo(91),
      );
      await store.recordHookCall({
        serviceId: 'rationale-patient-view',
        hook: 'patient-view',
        at: daysAgo(91),
        durationMs: 4,
        status: 200,
      });

      await expect(purgeExpired(store, SETTINGS, NOW)).resolves.toEqual({
        assessments: 1,
        monitoringCalls: 1,
        issuedCards: 2,
      });

      await expect(store.getAssessment(oldAssessment.id)).resolves.toBeUndefined();
      expect((await store.getAssessment(newAssessment.id))?.assessment.id).toBe(newAssessment.id);
      await expect(store.getIssuedCard(oldSilent.cardUuid)).resolves.toBeUndefined();
      await expect(store.getIssuedCard(oldShown.cardUuid)).resolves.toBeUndefined();
      // Cards with feedback stay with it; the recent card stays until its own cut-off.
      for (const kept of [oldAccepted, oldOverridden, recent])
        expect((await store.getIssuedCard(kept.cardUuid))?.topic).toBe(kept.topic);

      // The feedback is still counted under its card's topic, not as an unknown card.
      const rows = await store.monitoring({ from: daysAgo(200), to: NOW, period: 'month' });
      const total = (key: 'accepted' | 'overridden', topic: string) =>
        rows.filter((r) => r.topic === topic).reduce((n, r) => n + r[key], 0);
      expect(rows.map((r) => r.topic)).not.toContain('unknown-card');
      expect(total('accepted', 'dxckd')).toBe(1);
      expect(total('overridden', 'rxstatin')).toBe(1);
      expect(rows.flatMap((r) => Object.keys(r.overrideReasons))).toContain('patient-declined');

      // Nothing more to purge at the same moment.
      await expect(purgeExpired(store, SETTINGS, NOW)).resolves.toEqual({
        assessments: 0,
        monitoringCalls: 0,
        issuedCards: 0,
      });
      // Two days later the recent card is past the cut-off (89 + 2 > 90).
      const later = new Date(NOW.getTime() + 2 * 86_400_000);
      await expect(purgeExpired(store, SETTINGS, later)).resolves.toMatchObject({ issuedCards: 1 });
      await expect(store.getIssuedCard(recent.cardUuid)).resolves.toBeUndefined();
    });
  });
}
