import request from 'supertest';
import { completePrefetch, hookRequest, patient } from '../test-support/fixtures';
import { useFhirMock } from '../test-support/fhir-server';
import { buildHarness, type Harness } from '../test-support/harness';

// No FHIR request is expected: any one is an unhandled request, printed as an error.
useFhirMock();

const PV = '/cds-services/rationale-patient-view';
const FB = `${PV}/feedback`;

async function hook(h: Harness, patientId = 'p1') {
  const prefetch = { ...completePrefetch(patientId), patient: patient(patientId) };
  const res = await request(h.app)
    .post(PV)
    .set('Authorization', `Bearer ${await h.token(PV)}`)
    .send(hookRequest('patient-view', { prefetch, context: { patientId } }));
  expect(res.status).toBe(200);
  return res.body as { cards: { uuid: string; suggestions?: { uuid: string }[] }[] };
}

async function feedback(h: Harness, body: unknown) {
  return request(h.app)
    .post(FB)
    .set('Authorization', `Bearer ${await h.token(FB)}`)
    .send(body as object);
}

const overridden = (card: string) => ({
  card,
  outcome: 'overridden',
  overrideReason: {
    reason: { system: 'https://rationale.example/override', code: 'not-appropriate' },
    userComment: 'n/a',
  },
  outcomeTimestamp: '2026-05-01T10:00:00Z',
});

describe('feedback', () => {
  it('stores a comment with a NUL or a lone surrogate as U+FFFD, with the other entries, never 503', async () => {
    const h = await buildHarness();
    const { cards } = await hook(h);
    const uuid = cards[0]?.uuid ?? '';
    const bad = overridden(uuid);
    bad.overrideReason.userComment = 'before\u0000after \uD800 end';
    const res = await feedback(h, {
      feedback: [bad, { ...overridden(uuid), extension: { 'x\uDC00': 'y' } }],
    });
    expect(res.status).toBe(200);
    const stored = JSON.stringify(h.store.feedback);
    expect(stored).toContain('before\uFFFDafter \uFFFD end');
    expect(stored.includes('\u0000')).toBe(false);
  });

  it('stores the valid entries sent with a malformed one and answers 400 naming only the bad entry', async () => {
    const h = await buildHarness();
    const { cards } = await hook(h);
    const uuid = cards[0]?.uuid ?? '';
    const res = await feedback(h, {
      feedback: [
        overridden(uuid),
        { card: uuid, outcome: 'maybe' },
        { ...overridden(uuid), outcomeTimestamp: '2026-05-02T10:00:00Z' },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(res.body.issue[0].expression).toEqual(['feedback[1].outcome', 'feedback[1].outcomeTimestamp']);
    expect(res.body.issue[0].diagnostics).toContain('the other 2 entries were stored');
    expect(h.store.feedback.map((f) => f.entry.outcomeTimestamp).sort()).toEqual([
      '2026-05-01T10:00:00Z',
      '2026-05-02T10:00:00Z',
    ]);
    // Resending the whole batch after fixing the bad entry stores it, the others are repeats.
    const fixed = await feedback(h, {
      feedback: [overridden(uuid), { ...overridden(uuid), outcomeTimestamp: '2026-05-03T10:00:00Z' }],
    });
    expect(fixed.status).toBe(200);
    expect(h.store.feedback).toHaveLength(3);
  });

  it('stores feedback durably before answering 200, and repeats are idempotent', async () => {
    const h = await buildHarness();
    const { cards } = await hook(h);
    const uuid = cards[0]?.uuid ?? '';
    const first = await feedback(h, { feedback: [overridden(uuid)] });
    expect(first.status).toBe(200);
    expect(h.store.feedback).toHaveLength(1);
    const again = await feedback(h, { feedback: [overridden(uuid), overridden(uuid)] });
    expect(again.status).toBe(200);
    expect(h.store.feedback).toHaveLength(1);
    expect(h.store.feedback[0]?.serviceId).toBe('rationale-patient-view');
  });

  it("accepts Epic's overrideReasons spelling", async () => {
    const h = await buildHarness();
    const { cards } = await hook(h);
    const entry = {
      card: cards[0]?.uuid,
      outcome: 'overridden',
      overrideReasons: [{ reason: { code: 'already-addressed', display: 'Already addressed' } }],
      outcomeTimestamp: '2026-05-01T10:00:00Z',
      extension: { 'com.epic.cdshooks.feedback.overrideReason.comment': 'x' },
    };
    expect((await feedback(h, { feedback: [entry] })).status).toBe(200);
    expect(h.store.feedback).toHaveLength(1);
  });

  it('answers 400 naming the field for malformed feedback', async () => {
    const h = await buildHarness();
    const res = await feedback(h, {
      feedback: [{ card: 'c1', outcome: 'accepted', outcomeTimestamp: '2026-05-01T10:00:00Z' }],
    });
    expect(res.status).toBe(400);
    expect(res.body.issue[0].expression).toContain('feedback[0].acceptedSuggestions');
    expect(h.store.feedback).toHaveLength(0);
  });

  it('answers 503 with an OperationOutcome, acknowledging nothing, when the store is down', async () => {
    const h = await buildHarness();
    const { cards } = await hook(h);
    h.store.failing = true;
    const res = await feedback(h, { feedback: [overridden(cards[0]?.uuid ?? '')] });
    expect(res.status).toBe(503);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(h.store.feedback).toHaveLength(0);
  });

  it('answers 500 with an OperationOutcome and logs the cause when feedback handling hits a bug, not 503', async () => {
    const h = await buildHarness();
    const { cards } = await hook(h);
    h.store.getIssuedCard = () => {
      throw new TypeError('issued card lookup is broken');
    };
    const res = await feedback(h, { feedback: [overridden(cards[0]?.uuid ?? '')] });
    expect(res.status).toBe(500);
    expect(res.body).toMatchObject({
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code: 'exception', diagnostics: 'Internal error' }],
    });
    expect(res.headers['retry-after']).toBeUndefined();
    const logged = h.logs.map((l) => JSON.parse(l) as { msg?: string; err?: { message?: string } });
    expect(
      logged.some((l) => l.msg === 'unexpected error' && l.err?.message === 'issued card lookup is broken'),
    ).toBe(true);
  });

  it('snoozes an overridden topic for that patient only, for the configured period', async () => {
    const h = await buildHarness();
    const { cards } = await hook(h, 'p1');
    expect(cards).toHaveLength(1);
    expect((await feedback(h, { feedback: [overridden(cards[0]?.uuid ?? '')] })).status).toBe(200);
    expect(h.store.snoozes[0]).toMatchObject({ patientId: 'p1', topic: 'dx-t2d', reason: 'overridden' });
    const days = ((h.store.snoozes[0]?.until.getTime() ?? 0) - Date.now()) / 86_400_000;
    expect(Math.round(days)).toBe(90);

    expect((await hook(h, 'p1')).cards).toHaveLength(0);
    expect((await hook(h, 'p2')).cards).toHaveLength(1);
  });

  it('suppresses an accepted topic while the accepted action is pending', async () => {
    const h = await buildHarness();
    const { cards } = await hook(h, 'p1');
    const card = cards[0];
    const res = await feedback(h, {
      feedback: [
        {
          card: card?.uuid,
          outcome: 'accepted',
          acceptedSuggestions: [{ id: card?.suggestions?.[0]?.uuid }],
          outcomeTimestamp: '2026-05-01T10:00:00Z',
        },
      ],
    });
    expect(res.status).toBe(200);
    expect(h.store.snoozes[0]).toMatchObject({
      patientId: 'p1',
      topic: 'dx-t2d',
      reason: 'accepted-pending',
    });
    expect((await hook(h, 'p1')).cards).toHaveLength(0);
  });

  it('uses the snooze period from the configuration file', async () => {
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const file = join(mkdtempSync(join(tmpdir(), 'rationale-')), 'c.json');
    writeFileSync(file, JSON.stringify({ snoozeDays: 7 }));
    const h = await buildHarness({ env: { CDS_CONFIG_FILE: file } });
    const { cards } = await hook(h);
    await feedback(h, { feedback: [overridden(cards[0]?.uuid ?? '')] });
    const days = ((h.store.snoozes[0]?.until.getTime() ?? 0) - Date.now()) / 86_400_000;
    expect(Math.round(days)).toBe(7);
  });
});

describe('silent mode', () => {
  it('runs the model and stores the cards as silent, but returns none', async () => {
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const file = join(mkdtempSync(join(tmpdir(), 'rationale-')), 'c.yaml');
    writeFileSync(file, 'services:\n  patient-view:\n    mode: silent\n');
    const h = await buildHarness({ env: { CDS_CONFIG_FILE: file } });
    const res = await hook(h);
    expect(res.cards).toEqual([]);
    const issued = [...h.store.issuedCards.values()];
    expect(issued).toHaveLength(1);
    expect(issued[0]).toMatchObject({ silent: true, topic: 'dx-t2d', patientId: 'p1' });
    expect(h.store.assessments.size).toBe(1);
  });

  it('applies the configured card budget', async () => {
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const file = join(mkdtempSync(join(tmpdir(), 'rationale-')), 'c.yaml');
    writeFileSync(file, 'services:\n  patient-view:\n    cardBudget: 0\n');
    const h = await buildHarness({ env: { CDS_CONFIG_FILE: file } });
    expect((await hook(h)).cards).toEqual([]);
  });
});
