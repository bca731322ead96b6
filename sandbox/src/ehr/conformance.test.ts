import { checkResponse, type EhrProfile } from './conformance';

const LAUNCH = 'http://127.0.0.1:8081/app/launch.html';

function card(overrides: Record<string, unknown> = {}) {
  return {
    uuid: 'card-1',
    summary: 'Possible CKD G3a: eGFR 52 and 49, 4 months apart',
    indicator: 'info',
    detail: '**eGFR** fell from 52 to 49.',
    source: { label: 'Rationale', topic: { system: 'https://rationale.example/topics', code: 'ckdG3a' } },
    selectionBehavior: 'any',
    suggestions: [
      {
        label: 'Order urine albumin-creatinine ratio',
        uuid: 'sugg-1',
        actions: [
          {
            type: 'create',
            description: 'Order UACR',
            resource: { resourceType: 'ServiceRequest', status: 'draft' },
          },
        ],
      },
    ],
    overrideReasons: [
      {
        code: 'already-addressed',
        system: 'https://rationale.example/override',
        display: 'Already addressed',
      },
    ],
    links: [{ label: 'Open reasoning', url: LAUNCH, type: 'smart', appContext: 'assessment-1' }],
    ...overrides,
  };
}

function check(body: unknown, profile: EhrProfile = 'generic', status = 200, hook = 'patient-view') {
  return checkResponse(status, body, { profile, hook, registeredLaunchUrls: [LAUNCH] });
}

describe('checkResponse', () => {
  it('passes a well-formed card through every profile with no errors', () => {
    for (const profile of ['generic', 'epic'] as const) {
      const result = check({ cards: [card()] }, profile);
      expect(result.issues.filter((i) => i.severity === 'error')).toEqual([]);
      expect(result.cards).toHaveLength(1);
      expect(result.rejected).toEqual([]);
    }
  });

  it('rejects a card that breaks the schema (summary of 140 characters) and keeps the valid ones', () => {
    const result = check({ cards: [card({ summary: 'x'.repeat(140) }), card({ uuid: 'card-2' })] });
    expect(result.cards.map((c) => c.uuid)).toEqual(['card-2']);
    expect(result.rejected).toEqual([
      expect.objectContaining({ index: 0, reasons: [expect.stringContaining('summary')] }),
    ]);
    expect(result.issues).toContainEqual(
      expect.objectContaining({ severity: 'error', rule: 'schema', path: 'cards[0].summary' }),
    );
  });

  it('rejects suggestions without selectionBehavior', () => {
    const result = check({ cards: [card({ selectionBehavior: undefined })] });
    expect(result.cards).toEqual([]);
    expect(result.issues).toContainEqual(expect.objectContaining({ path: 'cards[0].selectionBehavior' }));
  });

  it('epic: rejects selectionBehavior at-most-one and suggestions with two actions; generic shows them', () => {
    const twoActions = card({
      uuid: 'card-2',
      suggestions: [
        {
          label: 'Switch',
          uuid: 's2',
          actions: [
            { type: 'delete', description: 'Stop ibuprofen', resourceId: 'MedicationRequest/m1' },
            {
              type: 'create',
              description: 'Start paracetamol',
              resource: { resourceType: 'MedicationRequest' },
            },
          ],
        },
      ],
    });
    const body = { cards: [card({ selectionBehavior: 'at-most-one' }), twoActions] };
    const epic = check(body, 'epic');
    expect(epic.cards).toEqual([]);
    expect(epic.rejected.map((r) => r.index)).toEqual([0, 1]);
    expect(epic.issues.map((i) => i.rule)).toEqual(
      expect.arrayContaining(['epic.selection-behavior', 'epic.one-action']),
    );
    expect(check(body, 'generic').cards).toHaveLength(2);
  });

  it('flags raw HTML in detail (an error for Epic) but not HTML inside code', () => {
    const html = check({ cards: [card({ detail: 'See <b>this</b>' })] }, 'epic');
    expect(html.issues).toContainEqual(expect.objectContaining({ rule: 'detail.html', severity: 'error' }));
    const code = check({ cards: [card({ detail: 'Type `<b>` to bold' })] }, 'epic');
    expect(code.issues.find((i) => i.rule === 'detail.html')).toBeUndefined();
  });

  it('epic: needs card and suggestion uuids and an alphanumeric topic code', () => {
    const result = check(
      { cards: [card({ uuid: undefined, source: { label: 'R', topic: { system: 's', code: 'ckd-g3a' } } })] },
      'epic',
    );
    expect(result.issues).toContainEqual(expect.objectContaining({ rule: 'card.uuid', severity: 'error' }));
    expect(result.issues).toContainEqual(expect.objectContaining({ rule: 'epic.topic', severity: 'error' }));
  });

  it('oracle: drops appContext from SMART links and says so', () => {
    const result = check({ cards: [card()] }, 'oracle');
    expect(result.cards[0]?.links?.[0]).not.toHaveProperty('appContext');
    expect(result.cards[0]?.links?.[0]?.url).toBe(LAUNCH);
    expect(result.issues).toContainEqual(expect.objectContaining({ rule: 'oracle.app-context' }));
  });

  it('warns about a SMART link to an app the EHR has not registered, and refuses relative link URLs', () => {
    const result = check({
      cards: [
        card({
          links: [
            { label: 'x', url: 'https://elsewhere.example/launch', type: 'smart' },
            { label: 'y', url: '/relative', type: 'absolute' },
          ],
        }),
      ],
    });
    expect(result.issues).toContainEqual(
      expect.objectContaining({ rule: 'link.smart-registered', severity: 'warning' }),
    );
    expect(result.issues).toContainEqual(expect.objectContaining({ rule: 'link.url', severity: 'error' }));
  });

  it('warns about empty optional arrays and duplicate card uuids', () => {
    const result = check({ cards: [card({ links: [] }), card()] });
    expect(result.issues).toContainEqual(
      expect.objectContaining({ rule: 'empty-field', path: 'cards[0].links' }),
    );
    expect(result.issues).toContainEqual(expect.objectContaining({ rule: 'card.uuid-unique' }));
  });

  it('reports a 412 as information and an error body that is not an OperationOutcome', () => {
    const result = check({ error: 'no data' }, 'generic', 412);
    expect(result.issues).toEqual([
      expect.objectContaining({ severity: 'info', rule: 'status.412' }),
      expect.objectContaining({ severity: 'warning', rule: 'error-body' }),
    ]);
    expect(check({ resourceType: 'OperationOutcome', issue: [] }, 'generic', 412).issues).toHaveLength(1);
  });

  it('refuses a 200 body without a cards array', () => {
    expect(check({ card: [] }).issues).toEqual([
      expect.objectContaining({ severity: 'error', path: 'cards' }),
    ]);
  });
});
