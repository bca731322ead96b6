/**
 * The CDS Hooks 2.0.1 checklist (shared reference cds-hooks.md §2-7), walked against the running
 * service over HTTP with authentication on: discovery fields and prefetch template syntax, the 412
 * rules, card constraints, feedback status and idempotency, CORS preflight, and the bare 401.
 */
import { startProofStack, type ProofStack } from '../bench/lib/stack';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HOOK_TOKENS = new Set([
  'context.patientId',
  'context.userId',
  'context.encounterId',
  'userPractitionerId',
  'userPractitionerRoleId',
  'userPatientId',
  'userRelatedPersonId',
]);
const SEARCH_MODIFIER_OK =
  /^(_count|_sort|patient|subject|code|status|clinical-status|category|date|_id|encounter|authoredon|intent)$/;

/** Paths of every `null`, `""`, `[]` or `{}` in a response (STU2 L41-52: never sent for a field). */
function emptyFields(value: unknown, path = ''): string[] {
  if (value === null || value === '') return [path];
  if (Array.isArray(value))
    return value.length === 0 ? [path] : value.flatMap((v, i) => emptyFields(v, `${path}[${i}]`));
  if (typeof value === 'object') {
    const entries = Object.entries(value);
    return entries.length === 0 ? [path] : entries.flatMap(([k, v]) => emptyFields(v, `${path}.${k}`));
  }
  return [];
}

describe('CDS Hooks 2.0.1 conformance over HTTP', () => {
  let stack: ProofStack;
  let base: string;
  beforeAll(async () => {
    stack = await startProofStack();
    base = stack.service.url;
  }, 180_000);
  afterAll(async () => {
    await stack?.close();
  }, 30_000);

  async function call(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    /** 'valid' (a fresh token), 'none', or a literal Authorization header. */
    auth: string = 'valid',
  ) {
    const url = `${base}${path}`;
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (auth === 'valid') headers.authorization = `Bearer ${await stack.client.token(url)}`;
    else if (auth !== 'none') headers.authorization = auth;
    const res = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return {
      status: res.status,
      headers: res.headers,
      text,
      body: text ? JSON.parse(text) : undefined,
    };
  }

  describe('§2 discovery', () => {
    it('lists services with the required fields and prefetch templates in the STU2 query subset', async () => {
      const { status, body } = await call('GET', '/cds-services');
      expect(status).toBe(200);
      expect(body.services.length).toBeGreaterThan(0);
      expect(emptyFields(body)).toEqual([]);
      for (const s of body.services) {
        expect(typeof s.hook).toBe('string');
        expect(typeof s.id).toBe('string');
        expect(typeof s.description).toBe('string');
        expect(typeof s.title).toBe('string');
        for (const template of Object.values<string>(s.prefetch ?? {})) {
          for (const [, token] of template.matchAll(/\{\{\s*([^}]+?)\s*\}\}/g))
            expect(HOOK_TOKENS.has(token as string)).toBe(true);
          // An instance read or a type-level search, relative to fhirServer.
          expect(template).toMatch(/^[A-Z][A-Za-z]+(\/\{\{[^}]+\}\}|\?.+)$/);
          const query = template.split('?')[1];
          if (query)
            for (const name of new URLSearchParams(query).keys())
              expect(name.split(':')[0]).toMatch(SEARCH_MODIFIER_OK);
        }
      }
    });
    it('answers 401 with no body to discovery without a JWT', async () => {
      const r = await call('GET', '/cds-services', undefined, 'none');
      expect(r.status).toBe(401);
      expect(r.text).toBe('');
    });
  });

  describe('§4 prefetch and 412', () => {
    it('answers 412 with an OperationOutcome when prefetch and fhirServer are both missing', async () => {
      const full = await stack.workbench.request('patient-view', 'rat-001');
      const { prefetch: _p, fhirServer: _f, fhirAuthorization: _a, ...bare } = full;
      const r = await call('POST', '/cds-services/rationale-patient-view', bare);
      expect(r.status).toBe(412);
      expect(r.body.resourceType).toBe('OperationOutcome');
    });
    it('answers 412 naming the key when one key is missing and fhirServer is not allowlisted', async () => {
      const full = await stack.workbench.request('patient-view', 'rat-001');
      const prefetch = { ...full.prefetch };
      delete (prefetch as Record<string, unknown>).observations;
      const r = await call('POST', '/cds-services/rationale-patient-view', {
        ...full,
        prefetch,
        fhirServer: 'https://not-allowlisted.example/fhir',
      });
      expect(r.status).toBe(412);
      expect(r.body.issue[0].expression).toContain('prefetch.observations');
    });
    it('treats null keys as "no data": 200, no 412, no query', async () => {
      const full = await stack.workbench.request('patient-view', 'rat-001');
      const prefetch = Object.fromEntries(
        Object.keys(full.prefetch ?? {}).map((k) => [k, k === 'patient' ? full.prefetch?.patient : null]),
      );
      const r = await call('POST', '/cds-services/rationale-patient-view', {
        ...full,
        prefetch,
        fhirServer: undefined,
        fhirAuthorization: undefined,
      });
      expect(r.status).toBe(200);
      expect(Array.isArray(r.body.cards)).toBe(true);
    });
  });

  describe('§5 cards', () => {
    const cases: [string, string, string | undefined][] = [
      ['patient-view', 'rat-001', undefined],
      ['patient-view', 'rat-005', undefined],
      ['patient-view', 'rat-020', undefined],
      ['patient-view', 'rat-032', undefined],
      ['patient-view', 'rat-033', undefined],
      ['order-sign', 'rat-020', 'ibuprofen'],
      ['order-select', 'rat-021', 'metformin'],
    ];
    it.each(cases)(
      '%s for %s: every card meets the STU2 card constraints',
      async (hook, patient, draft) => {
        const request = await stack.workbench.request(hook as 'patient-view', patient, draft);
        const r = await call('POST', `/cds-services/rationale-${hook}`, request);
        expect(r.status).toBe(200);
        expect(Array.isArray(r.body.cards)).toBe(true);
        expect(emptyFields(r.body).filter((p) => p !== '.cards')).toEqual([]);
        for (const card of r.body.cards) {
          expect(card.uuid).toMatch(UUID);
          expect(typeof card.summary).toBe('string');
          expect(card.summary.length).toBeGreaterThan(0);
          expect(card.summary.length).toBeLessThan(140);
          expect(['info', 'warning', 'critical']).toContain(card.indicator);
          expect(typeof card.source.label).toBe('string');
          if (card.source.topic)
            expect(card.source.topic).toEqual(
              expect.objectContaining({ code: expect.any(String), system: expect.any(String) }),
            );
          if (card.suggestions) {
            expect(['at-most-one', 'any']).toContain(card.selectionBehavior);
            for (const s of card.suggestions) {
              expect(typeof s.label).toBe('string');
              expect(s.uuid).toMatch(UUID);
              for (const a of s.actions ?? []) {
                expect(['create', 'update', 'delete']).toContain(a.type);
                expect(typeof a.description).toBe('string');
                if (a.type !== 'delete') expect(typeof a.resource?.resourceType).toBe('string');
              }
            }
          }
          for (const reason of card.overrideReasons ?? []) expect(typeof reason.display).toBe('string');
          for (const link of card.links ?? []) {
            expect(typeof link.label).toBe('string');
            expect(() => new URL(link.url)).not.toThrow();
            expect(['absolute', 'smart']).toContain(link.type);
            if (link.type === 'smart') expect(typeof link.appContext).toBe('string');
            else expect(link.appContext).toBeUndefined();
          }
        }
        if (hook === 'order-sign')
          expect(r.body.cards.some((c: { indicator: string }) => c.indicator === 'warning')).toBe(true);
      },
      30_000,
    );
  });

  describe('§6 feedback', () => {
    it('stores feedback with 200, accepts repeats idempotently, and reads both overrideReason spellings', async () => {
      const request = await stack.workbench.request('patient-view', 'rat-020');
      const hook = await call('POST', '/cds-services/rationale-patient-view', request);
      const card = hook.body.cards[0];
      expect(card).toBeDefined();
      const entry = {
        card: card.uuid,
        outcome: 'overridden',
        outcomeTimestamp: new Date().toISOString(),
        overrideReason: {
          reason: { code: 'not-relevant', system: 'https://rationale.example/override' },
          userComment: 'n/a',
        },
      };
      const first = await call('POST', '/cds-services/rationale-patient-view/feedback', {
        feedback: [entry],
      });
      expect(first.status).toBe(200);
      const again = await call('POST', '/cds-services/rationale-patient-view/feedback', {
        feedback: [entry, entry],
      });
      expect(again.status).toBe(200);
      const epic = await call('POST', '/cds-services/rationale-patient-view/feedback', {
        feedback: [
          {
            card: card.uuid,
            outcome: 'overridden',
            outcomeTimestamp: new Date(Date.now() + 1000).toISOString(),
            overrideReasons: [{ reason: { code: 'x', display: 'X' } }],
          },
        ],
      });
      expect(epic.status).toBe(200);
      const invalid = await call('POST', '/cds-services/rationale-patient-view/feedback', {
        feedback: [{ card: card.uuid, outcome: 'maybe' }],
      });
      expect(invalid.status).toBe(400);
      expect(invalid.body.resourceType).toBe('OperationOutcome');
    });
  });

  describe('§7 security and CORS', () => {
    it.each([
      '/cds-services',
      '/cds-services/rationale-patient-view',
      '/cds-services/rationale-patient-view/feedback',
    ])('answers the CORS preflight on %s', async (path) => {
      const res = await fetch(`${base}${path}`, {
        method: 'OPTIONS',
        headers: {
          origin: 'https://ehr.example',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type',
        },
      });
      expect(res.status).toBeLessThan(300);
      expect(res.headers.get('access-control-allow-origin')).toMatch(/^(\*|https:\/\/ehr\.example)$/);
      expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
      expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    });
    it('answers a bare 401 without a JWT, with a JWT for another URL, and for a replayed jti', async () => {
      const request = await stack.workbench.request('patient-view', 'rat-001');
      const path = '/cds-services/rationale-patient-view';
      const none = await call('POST', path, request, 'none');
      const wrongAud = await call(
        'POST',
        path,
        request,
        `Bearer ${await stack.client.token(`${base}/cds-services`)}`,
      );
      const token = await stack.client.token(`${base}${path}`);
      const firstUse = await call('POST', path, request, `Bearer ${token}`);
      const replay = await call('POST', path, request, `Bearer ${token}`);
      expect([none.status, wrongAud.status, firstUse.status, replay.status]).toEqual([401, 401, 200, 401]);
      for (const r of [none, wrongAud, replay]) expect(r.text).toBe('');
      const fb = await call('POST', `${path}/feedback`, { feedback: [] }, 'none');
      expect(fb.status).toBe(401);
    });
  });
});
