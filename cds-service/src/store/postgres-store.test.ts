import { randomUUID } from 'node:crypto';
import type { AppFeedbackRequest, Assessment, FeedbackEntry, LlmAdditions } from '@rationale/shared-types';
import { assessmentSchema } from '@rationale/shared-types';
import { CdsError } from '../errors';
import type { IssuedCard } from './store';
import { describeUnless } from '../test-support/skip';
import { MIGRATIONS } from './migrations';
import { sampleAssessment, testBackends, type OpenedStore } from './testing';

// Opening PGlite compiles PostgreSQL's WASM and runs initdb: seconds on a busy machine.
jest.setTimeout(60_000);

const T0 = new Date('2025-03-03T10:00:00.000Z'); // a Monday

function at(days: number, hours = 0): Date {
  return new Date(T0.getTime() + days * 86_400_000 + hours * 3_600_000);
}

function assessmentFor(patientId: string, id = randomUUID()): Assessment {
  return sampleAssessment(patientId, id, T0.toISOString());
}

function card(overrides: Partial<IssuedCard> = {}): IssuedCard {
  return {
    cardUuid: randomUUID(),
    serviceId: 'rationale-patient-view',
    hook: 'patient-view',
    hookInstance: randomUUID(),
    assessmentId: randomUUID(),
    patientId: 'p-1',
    topic: 'dxckd',
    indicator: 'info',
    suggestionUuids: [randomUUID(), randomUUID()],
    silent: false,
    issuedAt: T0,
    ...overrides,
  };
}

const additions: LlmAdditions = {
  status: 'complete',
  model: 'local-model',
  hypotheses: [],
  recommendations: [],
  reasoning: [{ text: 'eGFR fell twice', findingIds: ['f1'], citationIds: ['kdigo-2024'] }],
  dropped: { 'unknown-citation': 1 },
};

for (const backend of testBackends()) {
  describeUnless(backend.skip, `PostgresStore on ${backend.name}`, () => {
    let opened: OpenedStore;
    const store = () => opened.store;

    beforeAll(async () => {
      opened = await backend.open();
    });
    afterAll(async () => {
      await opened?.cleanup();
    });

    describe('assessments', () => {
      it('returns a saved assessment with its patient, fhirServer and creation time', async () => {
        const a = assessmentFor('pa-1');
        await store().saveAssessment({
          assessment: a,
          patientId: 'pa-1',
          fhirServer: 'https://fhir.example/r4',
          createdAt: T0,
        });
        const got = await store().getAssessment(a.id);
        expect(got).toEqual({
          assessment: a,
          patientId: 'pa-1',
          fhirServer: 'https://fhir.example/r4',
          createdAt: T0,
        });
        expect(assessmentSchema.parse(got?.assessment)).toEqual(a);
      });

      it('answers undefined for an unknown id and for an id that is not a uuid', async () => {
        await expect(store().getAssessment(randomUUID())).resolves.toBeUndefined();
        await expect(store().getAssessment("x' OR 1=1 --")).resolves.toBeUndefined();
      });

      it('finds the latest assessment for a patient, optionally on one FHIR server', async () => {
        const older = assessmentFor('pa-2');
        const newer = assessmentFor('pa-2');
        const elsewhere = assessmentFor('pa-2');
        await store().saveAssessment({
          assessment: older,
          patientId: 'pa-2',
          fhirServer: 'https://a.example/fhir',
          createdAt: at(0),
        });
        await store().saveAssessment({
          assessment: newer,
          patientId: 'pa-2',
          fhirServer: 'https://a.example/fhir',
          createdAt: at(1),
        });
        await store().saveAssessment({
          assessment: elsewhere,
          patientId: 'pa-2',
          fhirServer: 'https://b.example/fhir',
          createdAt: at(2),
        });

        expect((await store().latestAssessmentFor('pa-2'))?.assessment.id).toBe(elsewhere.id);
        expect((await store().latestAssessmentFor('pa-2', 'https://a.example/fhir'))?.assessment.id).toBe(
          newer.id,
        );
        expect((await store().latestAssessmentFor('pa-2', 'https://a.example/fhir/'))?.assessment.id).toBe(
          newer.id,
        );
        await expect(store().latestAssessmentFor('pa-2', 'https://c.example/fhir')).resolves.toBeUndefined();
        await expect(store().latestAssessmentFor('nobody')).resolves.toBeUndefined();
      });

      it('adds late LLM additions to a stored assessment, and a re-save keeps them', async () => {
        const a = assessmentFor('pa-3');
        a.llm = { ...additions, status: 'pending', reasoning: [], dropped: {} };
        await store().saveAssessment({ assessment: a, patientId: 'pa-3', createdAt: T0 });
        expect((await store().getAssessment(a.id))?.assessment.llm?.status).toBe('pending');

        await store().saveLlmAdditions(a.id, additions);
        expect((await store().getAssessment(a.id))?.assessment.llm).toEqual(additions);
        expect((await store().latestAssessmentFor('pa-3'))?.assessment.llm).toEqual(additions);

        const { llm: _llm, ...withoutLlm } = a;
        await store().saveAssessment({ assessment: withoutLlm, patientId: 'pa-3', createdAt: T0 });
        expect((await store().getAssessment(a.id))?.assessment.llm).toEqual(additions);
      });

      it('refuses to store an assessment without a uuid id', async () => {
        const a = { ...assessmentFor('pa-4'), id: '' };
        await expect(
          store().saveAssessment({ assessment: a, patientId: 'pa-4', createdAt: T0 }),
        ).rejects.toBeInstanceOf(CdsError);
      });

      it('purges assessments created before the cut-off and keeps the rest', async () => {
        const old = assessmentFor('pa-5');
        const fresh = assessmentFor('pa-5');
        await store().saveAssessment({
          assessment: old,
          patientId: 'pa-5',
          createdAt: new Date('2001-01-01T00:00:00Z'),
        });
        await store().saveAssessment({
          assessment: fresh,
          patientId: 'pa-5',
          createdAt: new Date('2001-02-01T00:00:00Z'),
        });
        await expect(store().purgeAssessments(new Date('2001-01-15T00:00:00Z'))).resolves.toBe(1);
        await expect(store().getAssessment(old.id)).resolves.toBeUndefined();
        expect((await store().getAssessment(fresh.id))?.assessment.id).toBe(fresh.id);
        await expect(store().purgeAssessments(new Date('2001-01-15T00:00:00Z'))).resolves.toBe(0);
      });
    });

    describe('issued cards', () => {
      it('returns an issued card exactly as recorded, silent or not', async () => {
        const shown = card({ patientId: 'pc-1' });
        const silent = card({ patientId: 'pc-1', silent: true, suggestionUuids: [], indicator: 'warning' });
        const { assessmentId: _a, ...noAssessment } = card({ patientId: 'pc-1' });
        await store().recordIssuedCards([shown, silent, noAssessment]);
        await expect(store().getIssuedCard(shown.cardUuid)).resolves.toEqual(shown);
        await expect(store().getIssuedCard(silent.cardUuid)).resolves.toEqual(silent);
        await expect(store().getIssuedCard(noAssessment.cardUuid)).resolves.toEqual(noAssessment);
        await expect(store().getIssuedCard('no-such-card')).resolves.toBeUndefined();
      });

      it('ignores a card recorded twice', async () => {
        const c = card({ patientId: 'pc-2' });
        await store().recordIssuedCards([c]);
        await store().recordIssuedCards([{ ...c, topic: 'changed' }]);
        expect((await store().getIssuedCard(c.cardUuid))?.topic).toBe('dxckd');
      });

      it('finds the order alerts order-select returned to the patient within the window, and no others', async () => {
        const select = { hook: 'order-select', serviceId: 'rationale-order-select', topic: 'safetyx' };
        await store().recordIssuedCards([
          card({ ...select, patientId: 'pc-3', orderAlertKey: 'k-shown', issuedAt: at(0, 1) }),
          card({ ...select, patientId: 'pc-3', orderAlertKey: 'k-silent', silent: true, issuedAt: at(0, 1) }),
          card({ ...select, patientId: 'pc-3', orderAlertKey: 'k-old', issuedAt: at(-2) }),
          card({ ...select, patientId: 'pc-4', orderAlertKey: 'k-other-patient', issuedAt: at(0, 1) }),
          card({
            ...select,
            hook: 'order-sign',
            patientId: 'pc-3',
            orderAlertKey: 'k-sign',
            issuedAt: at(0, 1),
          }),
        ]);
        const keys = ['k-shown', 'k-silent', 'k-old', 'k-other-patient', 'k-sign', 'k-never'];
        await expect(store().orderAlertsShown('pc-3', keys, at(0), at(0, 2))).resolves.toEqual(
          new Set(['k-shown']),
        );
        await expect(store().orderAlertsShown('pc-3', [], at(0), at(0, 2))).resolves.toEqual(new Set());
        await expect(store().orderAlertsShown('pc-4', keys, at(0), at(1))).resolves.toEqual(
          new Set(['k-other-patient']),
        );
      });
    });

    describe('feedback', () => {
      const overridden = (cardUuid: string, ts: string, comment?: string): FeedbackEntry => ({
        card: cardUuid,
        outcome: 'overridden',
        outcomeTimestamp: ts,
        overrideReason: {
          reason: {
            code: 'patient-declined',
            system: 'https://rationale.health/cds/override',
            display: 'Patient declined',
          },
          ...(comment ? { userComment: comment } : {}),
        },
      });

      it('stores each entry once: a repeat of the same card, outcome and timestamp is a duplicate', async () => {
        const cardUuid = randomUUID();
        const entry = overridden(cardUuid, '2025-03-03T10:05:00Z', 'Discussed at visit');
        await expect(store().saveFeedback('rationale-patient-view', [entry], T0)).resolves.toEqual({
          stored: 1,
          duplicates: 0,
        });
        await expect(store().saveFeedback('rationale-patient-view', [entry], T0)).resolves.toEqual({
          stored: 0,
          duplicates: 1,
        });
        // The same instant written with another offset is the same entry.
        const sameInstant = { ...entry, outcomeTimestamp: '2025-03-03T11:05:00+01:00' };
        await expect(store().saveFeedback('rationale-patient-view', [sameInstant], T0)).resolves.toEqual({
          stored: 0,
          duplicates: 1,
        });
        // A later outcome for the same card is new.
        const later = overridden(cardUuid, '2025-03-03T10:06:00Z');
        await expect(store().saveFeedback('rationale-patient-view', [later, later], T0)).resolves.toEqual({
          stored: 1,
          duplicates: 1,
        });
      });

      it('stores the other entries when the database refuses one, and names it by index', async () => {
        const good = [randomUUID(), randomUUID()];
        // Valid ISO 8601 that PostgreSQL cannot store (there is no year 0 in its calendar).
        const refused = overridden(randomUUID(), '0000-01-01T00:00:00Z');
        const result = await store().saveFeedback(
          'rationale-patient-view',
          [
            overridden(good[0] ?? '', '2025-03-03T10:05:00Z'),
            refused,
            overridden(good[1] ?? '', '2025-03-03T10:05:00Z'),
          ],
          T0,
        );
        expect(result).toEqual({ stored: 2, duplicates: 0, rejected: [1] });
        expect((await store().feedbackFor(good)).map((r) => r.cardUuid).sort()).toEqual([...good].sort());
      });

      it("keeps the accepted suggestions, Epic's overrideReasons spelling and the user's comment", async () => {
        const accepted = randomUUID();
        const epic = randomUUID();
        const result = await store().saveFeedback(
          'rationale-patient-view',
          [
            {
              card: accepted,
              outcome: 'accepted',
              outcomeTimestamp: '2025-03-03T10:00:00Z',
              acceptedSuggestions: [{ id: 's-1' }, { id: 's-2' }],
            },
            {
              card: epic,
              outcome: 'overridden',
              outcomeTimestamp: '2025-03-03T10:00:00Z',
              overrideReasons: [
                {
                  reason: { code: 'already-addressed', display: 'Already addressed' },
                  userComment: 'Seen by nephrology',
                },
              ],
            },
          ],
          T0,
        );
        expect(result).toEqual({ stored: 2, duplicates: 0 });
        const rows = await store().feedbackFor([accepted, epic]);
        expect(rows).toEqual([
          expect.objectContaining({
            cardUuid: accepted,
            outcome: 'accepted',
            acceptedSuggestions: ['s-1', 's-2'],
            serviceId: 'rationale-patient-view',
          }),
          expect.objectContaining({
            cardUuid: epic,
            outcome: 'overridden',
            overrideReason: { code: 'already-addressed', display: 'Already addressed' },
            userComment: 'Seen by nephrology',
          }),
        ]);
      });

      it('stores app feedback with the card topic its key maps to', async () => {
        const request: AppFeedbackRequest = {
          assessmentId: randomUUID(),
          target: { type: 'recommendation', id: 'rec-1', key: 'statin-diabetes-40-75' },
          verdict: 'disagree',
          reason: 'evidence-disputed',
          comment: 'Trial population differs',
        };
        const { id } = await store().saveAppFeedback(request, T0);
        expect(id).toMatch(/^[0-9a-f-]{36}$/);
        const { id: second } = await store().saveAppFeedback(request, T0);
        expect(second).not.toBe(id);
      });
    });

    describe('hook records (write-behind)', () => {
      function hookRecord(
        patientId: string,
        cards: IssuedCard[] = [card({ patientId })],
        { keepSnapshot = true, createdAt = T0 } = {},
      ) {
        const assessment = assessmentFor(patientId);
        return {
          assessment: { assessment, patientId, fhirServer: 'https://fhir.example/r4', createdAt },
          keepSnapshot,
          cards: cards.map((c) => ({ ...c, assessmentId: assessment.id })),
          audit: {
            at: T0,
            action: 'hook' as const,
            serviceId: 'rationale-patient-view',
            patientId,
            assessmentId: assessment.id,
            cardUuids: cards.map((c) => c.cardUuid),
            outcome: 'ok' as const,
          },
        };
      }

      it('writes several hooks together, and every read sees records still queued', async () => {
        const slow = await backend.open({ writeDelayMs: 60_000 });
        try {
          const s = slow.store;
          const records = [hookRecord('ph-1'), hookRecord('ph-1'), hookRecord('ph-2', [])];
          const writes = records.map((r) => s.recordHook(r));
          // Queued for a minute, yet readable now: the read writes the batch first.
          const second = records[1]!;
          await expect(s.getAssessment(second.assessment.assessment.id)).resolves.toEqual(second.assessment);
          await expect(Promise.all(writes)).resolves.toEqual([undefined, undefined, undefined]);
          await expect(s.getIssuedCard(records[0]!.cards[0]!.cardUuid)).resolves.toEqual(
            records[0]!.cards[0],
          );
          expect((await s.auditEventsFor('ph-1')).map((e) => e.assessmentId)).toEqual([
            records[0]!.assessment.assessment.id,
            records[1]!.assessment.assessment.id,
          ]);
          await expect(s.latestAssessmentFor('ph-2')).resolves.toMatchObject({ patientId: 'ph-2' });
        } finally {
          await slow.cleanup();
        }
      });

      it('keeps the good records of a batch when one of them breaks a constraint', async () => {
        const slow = await backend.open({ writeDelayMs: 60_000 });
        try {
          const s = slow.store;
          const good = hookRecord('ph-3');
          const bad = hookRecord('ph-3', [
            card({ patientId: 'ph-3', indicator: 'urgent' as IssuedCard['indicator'] }),
          ]);
          const writes = [s.recordHook(good), s.recordHook(bad)];
          await s.settled();
          await expect(writes[0]).resolves.toBeUndefined();
          // A CHECK constraint refusing a record is a bug, not an outage: 'internal' (a 500), never 503.
          await expect(writes[1]).rejects.toMatchObject({ code: 'internal' });
          await expect(s.getAssessment(good.assessment.assessment.id)).resolves.toBeDefined();
          await expect(s.getAssessment(bad.assessment.assessment.id)).resolves.toBeUndefined();
        } finally {
          await slow.cleanup();
        }
      });

      it('writes what is queued before closing', async () => {
        const slow = await backend.open({ writeDelayMs: 60_000 });
        const record = hookRecord('ph-4');
        const write = slow.store.recordHook(record);
        await slow.store.close();
        await expect(write).resolves.toBeUndefined();
        await slow.cleanup().catch(() => undefined);
      });

      it('makes the snapshot JSON after the caller has answered, as it stood when recorded', async () => {
        const slow = await backend.open({ writeDelayMs: 60_000 });
        const stringify = jest.spyOn(JSON, 'stringify');
        try {
          const record = hookRecord('ph-6');
          const { assessment } = record.assessment;
          const snapshots = () =>
            stringify.mock.calls.filter(
              ([value]) => (value as { id?: unknown } | null)?.id === assessment.id,
            );
          const write = slow.store.recordHook(record);
          // Not in recordHook itself: the hook's answer is written first.
          expect(snapshots()).toHaveLength(0);
          await new Promise((resolve) => setImmediate(resolve));
          expect(snapshots()).toHaveLength(1);
          // Made by the next turn of the event loop: a later change to the object is not stored.
          const recorded = structuredClone(assessment);
          assessment.hypotheses = [];
          await expect(slow.store.getAssessment(assessment.id)).resolves.toMatchObject({
            assessment: recorded,
          });
          await expect(write).resolves.toBeUndefined();
        } finally {
          stringify.mockRestore();
          await slow.cleanup();
        }
      });

      it('keeps only the row of a hook that keeps no snapshot: no JSON made, nothing to read, no latest', async () => {
        const slow = await backend.open({ writeDelayMs: 60_000 });
        const stringify = jest.spyOn(JSON, 'stringify');
        try {
          const s = slow.store;
          const model = {
            name: 'rationale-knowledge-model',
            version: '8.8.8',
            knowledgeBaseHash: 'sha256-c',
          };
          const earlier = hookRecord('ph-7', undefined, { createdAt: new Date(T0.getTime() - 60_000) });
          const cardless = hookRecord('ph-7', [], { keepSnapshot: false });
          cardless.assessment.assessment.model = model;
          const { id } = cardless.assessment.assessment;
          const writes = [s.recordHook(earlier), s.recordHook(cardless)];
          await new Promise((resolve) => setImmediate(resolve));
          await s.settled();
          await expect(Promise.all(writes)).resolves.toEqual([undefined, undefined]);
          expect(
            stringify.mock.calls.filter(([v]) => (v as { id?: unknown } | null)?.id === id),
          ).toHaveLength(0);
          await expect(s.getAssessment(id)).resolves.toBeUndefined();
          // The latest is the card-less one: the app computes a fresh assessment rather than show the older.
          await expect(s.latestAssessmentFor('ph-7')).resolves.toBeUndefined();
          await expect(s.getAssessment(earlier.assessment.assessment.id)).resolves.toEqual(
            earlier.assessment,
          );
          // Its row is there for the monitoring page.
          const summary = await s.monitoringSummary({
            from: T0,
            to: new Date(T0.getTime() + 1),
            period: 'day',
          });
          expect(summary.byVersion).toContainEqual(
            expect.objectContaining({ version: '8.8.8', knowledgeBaseHash: 'sha256-c', assessments: 1 }),
          );
        } finally {
          stringify.mockRestore();
          await slow.cleanup();
        }
      });

      it('refuses an assessment without a uuid id at once', async () => {
        const record = hookRecord('ph-5');
        record.assessment.assessment.id = 'not-a-uuid';
        await expect(store().recordHook(record)).rejects.toMatchObject({ code: 'internal' });
      });
    });

    describe('snoozes', () => {
      it('sees a snooze applied after the patient was last read', async () => {
        expect(await store().activeSnoozes('ps-0', T0)).toEqual(new Set());
        await store().snooze({
          patientId: 'ps-0',
          topic: 'dxckd',
          until: at(5),
          reason: 'overridden',
          createdAt: T0,
        });
        expect(await store().activeSnoozes('ps-0', T0)).toEqual(new Set(['dxckd']));
        await store().snooze({
          patientId: 'ps-0',
          topic: 'dxckd',
          until: at(2),
          reason: 'overridden',
          createdAt: T0,
        });
        expect(await store().activeSnoozes('ps-0', at(3))).toEqual(new Set(['dxckd']));
        expect(await store().activeSnoozes('ps-0', at(5))).toEqual(new Set());
      });

      it('reports a snooze as active until it expires', async () => {
        await store().snooze({
          patientId: 'ps-1',
          topic: 'dxckd',
          until: at(90),
          reason: 'overridden',
          createdAt: T0,
        });
        await store().snooze({
          patientId: 'ps-1',
          topic: 'rxstatin',
          until: at(1),
          reason: 'accepted-pending',
          createdAt: T0,
        });
        expect(await store().activeSnoozes('ps-1', T0)).toEqual(new Set(['dxckd', 'rxstatin']));
        expect(await store().activeSnoozes('ps-1', at(1))).toEqual(new Set(['dxckd']));
        expect(await store().activeSnoozes('ps-1', at(90))).toEqual(new Set());
        expect(await store().activeSnoozes('someone-else', T0)).toEqual(new Set());
      });

      it('extends a snooze and never shortens one in force', async () => {
        await store().snooze({
          patientId: 'ps-2',
          topic: 'dxaf',
          until: at(10),
          reason: 'overridden',
          createdAt: T0,
        });
        await store().snooze({
          patientId: 'ps-2',
          topic: 'dxaf',
          until: at(30),
          reason: 'overridden',
          createdAt: at(1),
        });
        expect(await store().activeSnoozes('ps-2', at(20))).toEqual(new Set(['dxaf']));
        await store().snooze({
          patientId: 'ps-2',
          topic: 'dxaf',
          until: at(5),
          reason: 'accepted-pending',
          createdAt: at(2),
        });
        expect(await store().activeSnoozes('ps-2', at(20))).toEqual(new Set(['dxaf']));
        expect(await store().activeSnoozes('ps-2', at(30))).toEqual(new Set());
      });
    });

    describe('JWT replay cache', () => {
      it('accepts a jti once, rejects its replay, and tells issuers apart', async () => {
        const jti = randomUUID();
        const exp = new Date(Date.now() + 300_000);
        await expect(store().rememberJti('https://ehr-a.example', jti, exp)).resolves.toBe(true);
        await expect(store().rememberJti('https://ehr-a.example', jti, exp)).resolves.toBe(false);
        await expect(store().rememberJti('https://ehr-b.example', jti, exp)).resolves.toBe(true);
      });

      it('accepts a jti again once its earlier use has expired', async () => {
        const jti = randomUUID();
        await expect(store().rememberJti('https://ehr-a.example', jti, at(0), at(-1))).resolves.toBe(true);
        await expect(store().rememberJti('https://ehr-a.example', jti, at(1), at(-1))).resolves.toBe(false);
        // At T0 the first use (exp T0) has expired: the id is fresh again, now until at(1).
        await expect(store().rememberJti('https://ehr-a.example', jti, at(1), T0)).resolves.toBe(true);
        await expect(store().rememberJti('https://ehr-a.example', jti, at(2), at(0, 12))).resolves.toBe(
          false,
        );
      });

      it("judges expiry by the database's clock when no time is given", async () => {
        const jti = randomUUID();
        await expect(
          store().rememberJti('https://ehr-a.example', jti, new Date(Date.now() - 1_000)),
        ).resolves.toBe(true);
        await expect(
          store().rememberJti('https://ehr-a.example', jti, new Date(Date.now() + 60_000)),
        ).resolves.toBe(true);
        await expect(
          store().rememberJti('https://ehr-a.example', jti, new Date(Date.now() + 60_000)),
        ).resolves.toBe(false);
      });

      it('purges expired ids as it goes', async () => {
        const purging = await backend.open({ jtiPurgeIntervalMs: 0 });
        try {
          const s = purging.store;
          await s.rememberJti('https://ehr-a.example', 'old-1', at(-10), at(-20));
          await s.rememberJti('https://ehr-a.example', 'old-2', at(-10), at(-20));
          await s.rememberJti('https://ehr-a.example', 'live', at(10), at(-20));
          expect(await s.jtiCount()).toBe(3);
          await s.rememberJti('https://ehr-a.example', 'trigger', at(10), T0);
          await s.settled();
          expect(await s.jtiCount()).toBe(2); // 'live' and 'trigger'
        } finally {
          await purging.cleanup();
        }
      });
    });

    describe('audit events', () => {
      it('stores who, which hook, which cards and when: ids only', async () => {
        const cards = [randomUUID(), randomUUID()];
        await store().audit({
          at: T0,
          issuer: 'https://ehr-a.example',
          userId: 'Practitioner/123',
          action: 'hook',
          serviceId: 'rationale-patient-view',
          hookInstance: 'hi-1',
          patientId: 'pau-1',
          assessmentId: 'as-1',
          cardUuids: cards,
          outcome: 'ok',
        });
        await store().audit({ at: at(1), action: 'app-read', patientId: 'pau-1', outcome: 'denied' });
        expect(await store().auditEventsFor('pau-1')).toEqual([
          {
            at: T0,
            issuer: 'https://ehr-a.example',
            userId: 'Practitioner/123',
            action: 'hook',
            serviceId: 'rationale-patient-view',
            hookInstance: 'hi-1',
            patientId: 'pau-1',
            assessmentId: 'as-1',
            cardUuids: cards,
            outcome: 'ok',
          },
          { at: at(1), action: 'app-read', patientId: 'pau-1', cardUuids: [], outcome: 'denied' },
        ]);
      });
    });

    describe('hook calls and versions', () => {
      it('gives calls, errors by status class and latency percentiles per hook and day', async () => {
        const pv = { serviceId: 'rationale-patient-view', hook: 'patient-view' };
        const durations = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
        await Promise.all([
          ...durations.map((ms, i) =>
            store().recordHookCall({
              ...pv,
              at: at(30, 1),
              durationMs: ms,
              status: i < 7 ? 200 : i < 9 ? 412 : 503,
            }),
          ),
          store().recordHookCall({ ...pv, at: at(31, 1), durationMs: 5, status: 401 }),
          store().recordHookCall({
            serviceId: 'rationale-order-sign',
            hook: 'order-sign',
            at: at(30, 2),
            durationMs: 8,
            status: 200,
          }),
          store().recordHookCall({ ...pv, at: at(40), durationMs: 1, status: 200 }), // outside the range
        ]);
        const rows = await store().hookPerformance({ from: at(30), to: at(32), period: 'day' });
        expect(rows).toEqual([
          {
            period: '2025-04-02',
            service: 'rationale-order-sign',
            calls: 1,
            ok: 1,
            clientErrors: 0,
            serverErrors: 0,
            p50Ms: 8,
            p90Ms: 8,
            p99Ms: 8,
          },
          {
            period: '2025-04-02',
            service: 'rationale-patient-view',
            calls: 10,
            ok: 7,
            clientErrors: 2,
            serverErrors: 1,
            // Continuous percentiles (PostgreSQL percentile_cont) over 10..100 ms.
            p50Ms: 55,
            p90Ms: 91,
            p99Ms: expect.closeTo(99.1, 5) as number,
          },
          expect.objectContaining({
            period: '2025-04-03',
            service: 'rationale-patient-view',
            calls: 1,
            clientErrors: 1,
          }),
        ]);
      });

      it('counts what of the records could not be read, by kind (issue 18)', async () => {
        const issue = (kind: 'resource-skipped' | 'element-ignored', where: string) => ({
          kind,
          where,
          problem: 'unreadable',
        });
        const withIssues = {
          ...assessmentFor('dq-1'),
          dataQuality: [
            issue('resource-skipped', 'Observation/o1'),
            issue('resource-skipped', 'Observation/o2'),
            issue('element-ignored', 'Condition/c1.onsetDateTime'),
          ],
        };
        await store().recordHook({
          assessment: { assessment: withIssues, patientId: 'dq-1', createdAt: at(60) },
          // A call that issued no card keeps no snapshot; its data-quality counts are still read.
          keepSnapshot: false,
          cards: [],
          audit: { at: at(60), action: 'hook', patientId: 'dq-1', outcome: 'ok' },
        });
        await store().saveAssessment({
          assessment: {
            ...assessmentFor('dq-2'),
            dataQuality: [issue('resource-skipped', 'Observation/o9')],
          },
          patientId: 'dq-2',
          createdAt: at(60),
        });
        await store().saveAssessment({
          assessment: assessmentFor('dq-3'),
          patientId: 'dq-3',
          createdAt: at(60),
        });
        const summary = await store().monitoringSummary({ from: at(60), to: at(61), period: 'day' });
        expect(summary.byDataQuality).toEqual([
          { kind: 'element-ignored', issues: 1, assessments: 1 },
          { kind: 'resource-skipped', issues: 3, assessments: 2 },
        ]);
      });

      it('counts assessments and cards by model version, and what was stored without one', async () => {
        const model = { name: 'rationale-knowledge-model', version: '9.9.9', knowledgeBaseHash: 'sha256-v' };
        const a = assessmentFor('pv-1');
        await store().recordHook({
          assessment: { assessment: { ...a, model }, patientId: 'pv-1', createdAt: at(50) },
          keepSnapshot: true,
          cards: [card({ patientId: 'pv-1', issuedAt: at(50), assessmentId: a.id, model })],
          audit: { at: at(50), action: 'hook', patientId: 'pv-1', outcome: 'ok' },
        });
        await store().recordIssuedCards([card({ patientId: 'pv-2', issuedAt: at(50), silent: true })]);
        const summary = await store().monitoringSummary({ from: at(50), to: at(51), period: 'day' });
        expect(summary.byVersion).toEqual([
          {
            model: 'rationale-knowledge-model',
            version: '9.9.9',
            knowledgeBaseHash: 'sha256-v',
            assessments: 1,
            cardsShown: 1,
            cardsSilent: 0,
          },
          {
            model: 'unrecorded',
            version: 'unrecorded',
            knowledgeBaseHash: 'unrecorded',
            assessments: 0,
            cardsShown: 0,
            cardsSilent: 1,
          },
        ]);
      });
    });

    describe('health and migrations', () => {
      it('is healthy while open', async () => {
        await expect(store().healthy()).resolves.toBe(true);
      });

      it('runs the migrations again as a no-op', async () => {
        await store().migrate();
        await store().migrate();
        await expect(store().appliedMigrations()).resolves.toEqual(MIGRATIONS.map((m) => m.id));
      });
    });

    describe('monitoring', () => {
      let m: OpenedStore;
      beforeAll(async () => {
        m = await backend.open();
        const s = m.store;
        // Week of 2025-03-03: three dxckd cards shown, one withheld (silent); one rxstatin card.
        const ckd1 = card({ topic: 'dxckd', patientId: 'm-1', issuedAt: at(0) });
        const ckd2 = card({ topic: 'dxckd', patientId: 'm-2', issuedAt: at(1) });
        const ckd3 = card({ topic: 'dxckd', patientId: 'm-3', issuedAt: at(2) });
        const ckdSilent = card({ topic: 'dxckd', patientId: 'm-4', issuedAt: at(2), silent: true });
        const statin = card({ topic: 'rxstatindiabetes4075', patientId: 'm-1', issuedAt: at(0) });
        // Next week: one more dxckd card.
        const ckdNext = card({ topic: 'dxckd', patientId: 'm-5', issuedAt: at(7) });
        // Outside the window.
        const early = card({ topic: 'dxckd', patientId: 'm-6', issuedAt: at(-30) });
        await s.recordIssuedCards([ckd1, ckd2, ckd3, ckdSilent, statin, ckdNext, early]);

        const ts = (d: Date) => d.toISOString();
        await s.saveFeedback(
          'rationale-patient-view',
          [
            {
              card: ckd1.cardUuid,
              outcome: 'accepted',
              outcomeTimestamp: ts(at(0, 1)),
              acceptedSuggestions: [{ id: 'x' }],
            },
            // The same card accepted again later (another suggestion) counts once.
            {
              card: ckd1.cardUuid,
              outcome: 'accepted',
              outcomeTimestamp: ts(at(0, 2)),
              acceptedSuggestions: [{ id: 'y' }],
            },
            {
              card: ckd2.cardUuid,
              outcome: 'overridden',
              outcomeTimestamp: ts(at(1, 1)),
              overrideReason: { reason: { code: 'patient-declined' } },
            },
            { card: ckd3.cardUuid, outcome: 'overridden', outcomeTimestamp: ts(at(2, 1)) },
            {
              card: statin.cardUuid,
              outcome: 'overridden',
              outcomeTimestamp: ts(at(0, 1)),
              overrideReasons: { reason: { code: 'already-addressed' } },
            },
          ],
          at(3),
        );
        await s.snooze({
          patientId: 'm-2',
          topic: 'dxckd',
          until: at(91),
          reason: 'overridden',
          createdAt: at(1, 1),
        });
        // The EHR repeating the feedback re-applies the same snooze: still one patient snoozed.
        await s.snooze({
          patientId: 'm-2',
          topic: 'dxckd',
          until: at(91),
          reason: 'overridden',
          createdAt: at(1, 2),
        });
        await s.snooze({
          patientId: 'm-3',
          topic: 'dxckd',
          until: at(92),
          reason: 'overridden',
          createdAt: at(2, 1),
        });
        const fb = (
          verdict: 'agree' | 'disagree',
          type: AppFeedbackRequest['target']['type'],
          key: string,
        ): AppFeedbackRequest => ({
          assessmentId: randomUUID(),
          target: { type, id: 'item', key },
          verdict,
        });
        await s.saveAppFeedback(fb('agree', 'hypothesis', 'ckd'), at(1));
        await s.saveAppFeedback(fb('disagree', 'llm-hypothesis', 'ckd'), at(2));
        await s.saveAppFeedback(fb('agree', 'recommendation', 'statin-diabetes-40-75'), at(2));
      });
      afterAll(async () => {
        await m?.cleanup();
      });

      it('counts per topic and week: shown, silent, accepted, overridden by reason, snoozed, app verdicts', async () => {
        const rows = await m.store.monitoring({ from: at(-1), to: at(14), period: 'week' });
        expect(rows).toEqual([
          {
            period: '2025-03-03',
            topic: 'dxckd',
            shown: 3,
            silent: 1,
            accepted: 1,
            overridden: 2,
            overrideReasons: { 'patient-declined': 1, unspecified: 1 },
            snoozed: 2,
            appAgree: 1,
            appDisagree: 1,
          },
          {
            period: '2025-03-03',
            topic: 'rxstatindiabetes4075',
            shown: 1,
            silent: 0,
            accepted: 0,
            overridden: 1,
            overrideReasons: { 'already-addressed': 1 },
            snoozed: 0,
            appAgree: 1,
            appDisagree: 0,
          },
          {
            period: '2025-03-10',
            topic: 'dxckd',
            shown: 1,
            silent: 0,
            accepted: 0,
            overridden: 0,
            overrideReasons: {},
            snoozed: 0,
            appAgree: 0,
            appDisagree: 0,
          },
        ]);
      });

      it('buckets by day and by month', async () => {
        const days = await m.store.monitoring({ from: at(0), to: at(3), period: 'day' });
        expect(days.filter((r) => r.topic === 'dxckd').map((r) => [r.period, r.shown, r.silent])).toEqual([
          ['2025-03-03', 1, 0],
          ['2025-03-04', 1, 0],
          ['2025-03-05', 1, 1],
        ]);
        const months = await m.store.monitoring({ from: at(-60), to: at(30), period: 'month' });
        expect(months.filter((r) => r.topic === 'dxckd').map((r) => [r.period, r.shown])).toEqual([
          ['2025-02-01', 1],
          ['2025-03-01', 4],
        ]);
      });

      it('returns nothing for an empty window and refuses an unknown period', async () => {
        await expect(m.store.monitoring({ from: at(100), to: at(200), period: 'week' })).resolves.toEqual([]);
        await expect(
          m.store.monitoring({ from: at(0), to: at(1), period: 'year' as 'week' }),
        ).rejects.toMatchObject({
          code: 'invalid-request',
        });
      });
    });
  });
}
