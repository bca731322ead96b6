import type { Bundle, Observation, Resource } from '@medplum/fhirtypes';
import { SignJWT, generateKeyPair } from 'jose';
import request from 'supertest';
import { createSandboxApp, type SandboxApp } from '../app';
import { createConfig } from '../config';

const BASE = 'http://localhost:8080';
const FHIR = `${BASE}/fhir`;
let now = Date.parse('2025-06-01T12:00:00Z');
let sandbox: SandboxApp;
let userToken: string;

async function token(scope: string, patient = 'rat-001'): Promise<string> {
  const t = await sandbox.services.issueServiceToken({
    clientId: 'rationale-cds',
    patient,
    user: 'Practitioner/rat-pr-001',
    scope,
  });
  return t.access_token;
}

const get = (path: string, bearer = userToken) =>
  request(sandbox.app).get(path).set('Authorization', `Bearer ${bearer}`);
const entries = (body: Bundle): Resource[] => (body.entry ?? []).map((e) => e.resource as Resource);
const matches = (body: Bundle): Resource[] =>
  (body.entry ?? []).filter((e) => e.search?.mode === 'match').map((e) => e.resource as Resource);

// Building the sandbox (FHIR definitions, 50 generated patients) takes seconds, minutes on a loaded
// 2-core machine: once per file, with room.
beforeAll(async () => {
  sandbox = await createSandboxApp(createConfig({ referenceDate: '2025-06-01' }), { clock: () => now });
  userToken = await token('user/*.cruds');
}, 180_000);

describe('authentication', () => {
  it('answers a bare 401 with WWW-Authenticate: Bearer without a token', async () => {
    const res = await request(sandbox.app).get('/fhir/Patient/rat-001');
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
    expect(res.text).toBe('');
  });

  it('rejects a token signed by another key', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const forged = await new SignJWT({ scope: 'user/*.cruds', client_id: 'rationale-cds', grant: 'x' })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt' })
      .setIssuer(BASE)
      .setAudience(FHIR)
      .setSubject('Practitioner/rat-pr-001')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey);
    const res = await get('/fhir/Patient/rat-001', forged);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toContain('invalid_token');
  });

  it('rejects an expired token', async () => {
    const t = await token('user/*.rs');
    expect((await get('/fhir/Patient/rat-001', t)).status).toBe(200);
    now += 3601 * 1000;
    try {
      expect((await get('/fhir/Patient/rat-001', t)).status).toBe(401);
    } finally {
      now -= 3601 * 1000;
    }
  });

  it('serves /metadata without a token, listing resources, search parameters and SMART endpoints', async () => {
    const res = await request(sandbox.app).get('/fhir/metadata');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('application/fhir+json');
    const rest = res.body.rest[0];
    const observation = rest.resource.find((r: { type: string }) => r.type === 'Observation');
    const names = observation.searchParam.map((p: { name: string }) => p.name);
    expect(names).toEqual(expect.arrayContaining(['patient', 'code', 'date', 'value-quantity', 'subject']));
    expect(observation.interaction.map((i: { code: string }) => i.code)).toEqual(
      expect.arrayContaining(['read', 'search-type', 'create', 'update', 'delete']),
    );
    const oauth = rest.security.extension[0];
    expect(oauth.url).toBe('http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris');
    expect(oauth.extension).toEqual(
      expect.arrayContaining([
        { url: 'authorize', valueUri: `${BASE}/auth/authorize` },
        { url: 'token', valueUri: `${BASE}/auth/token` },
      ]),
    );
    expect(rest.interaction.map((i: { code: string }) => i.code)).toContain('transaction');
  });
});

describe('search', () => {
  it('normalizes a bare patient id to Patient/id and returns only that patient', async () => {
    const bare = await get('/fhir/Observation?patient=rat-001&_count=1000');
    const full = await get('/fhir/Observation?patient=Patient/rat-001&_count=1000');
    expect(bare.status).toBe(200);
    expect(bare.body.total).toBeGreaterThan(5);
    expect(bare.body.total).toBe(full.body.total);
    for (const o of entries(bare.body) as Observation[]) expect(o.subject?.reference).toBe('Patient/rat-001');
  });

  it('matches code by system|code and by comma lists', async () => {
    const a1c = await get('/fhir/Observation?patient=rat-001&code=http://loinc.org|4548-4');
    expect((entries(a1c.body) as Observation[]).map((o) => o.valueQuantity?.value).sort()).toEqual([
      6.8, 7.1,
    ]);
    const both = await get(
      '/fhir/Observation?patient=rat-001&code=http://loinc.org|4548-4,http://loinc.org|2345-7',
    );
    expect(both.body.total).toBe(3);
    const wrongSystem = await get('/fhir/Observation?patient=rat-001&code=http://snomed.info/sct|4548-4');
    expect(wrongSystem.body.total).toBe(0);
  });

  it('filters dates with prefixes and sorts by date', async () => {
    const all = (await get('/fhir/Observation?patient=rat-001&code=http://loinc.org|4548-4&_sort=-date'))
      .body as Bundle;
    const [newest, oldest] = entries(all) as Observation[];
    expect(newest?.valueQuantity?.value).toBe(6.8);
    expect(oldest?.valueQuantity?.value).toBe(7.1);
    const cut = '2025-03-01';
    const after = await get(`/fhir/Observation?patient=rat-001&code=http://loinc.org|4548-4&date=ge${cut}`);
    expect((entries(after.body) as Observation[]).map((o) => o.valueQuantity?.value)).toEqual([6.8]);
    const before = await get(`/fhir/Observation?patient=rat-001&code=http://loinc.org|4548-4&date=lt${cut}`);
    expect((entries(before.body) as Observation[]).map((o) => o.valueQuantity?.value)).toEqual([7.1]);
    const ascending = (await get('/fhir/Observation?patient=rat-002&_sort=date&_count=1000')).body as Bundle;
    const dates = (entries(ascending) as Observation[]).map((o) => o.effectiveDateTime ?? '');
    expect(dates).toEqual([...dates].sort());
  });

  it('pages with _count and absolute next links carrying _offset', async () => {
    const first = (await get('/fhir/Observation?patient=rat-002&_count=5&_sort=date')).body as Bundle;
    expect(first.entry).toHaveLength(5);
    expect(first.total).toBeGreaterThan(10);
    const next = first.link?.find((l) => l.relation === 'next')?.url ?? '';
    expect(next.startsWith(`${FHIR}/Observation?`)).toBe(true);
    expect(new URL(next).searchParams.get('_offset')).toBe('5');
    const second = (await get(next.slice(BASE.length))).body as Bundle;
    const firstIds = entries(first).map((r) => r.id);
    expect(
      entries(second)
        .map((r) => r.id)
        .some((id) => firstIds.includes(id)),
    ).toBe(false);
    const lastOffset = Math.floor(((first.total ?? 0) - 1) / 5) * 5;
    const last = (await get(`/fhir/Observation?patient=rat-002&_count=5&_sort=date&_offset=${lastOffset}`))
      .body as Bundle;
    expect(last.link?.some((l) => l.relation === 'next')).toBe(false);
    expect(last.link?.some((l) => l.relation === 'previous')).toBe(true);
  });

  it('matches quantity searches (value-quantity with a prefix)', async () => {
    const res = await get('/fhir/Observation?code=http://loinc.org|2823-3&value-quantity=gt5.5&_count=1000');
    const subjects = (entries(res.body) as Observation[]).map((o) => o.subject?.reference);
    expect(subjects).toContain('Patient/rat-009');
    for (const o of entries(res.body) as Observation[]) expect(o.valueQuantity?.value).toBeGreaterThan(5.5);
  });

  it('includes referenced Medications with _include=MedicationRequest:medication', async () => {
    const created = await request(sandbox.app)
      .post('/fhir/Medication')
      .set('Authorization', `Bearer ${userToken}`)
      .set('Content-Type', 'application/fhir+json')
      .send({
        resourceType: 'Medication',
        code: {
          coding: [
            {
              system: 'http://www.nlm.nih.gov/research/umls/rxnorm',
              code: '1545653',
              display: 'empagliflozin',
            },
          ],
        },
      });
    expect(created.status).toBe(201);
    const order = await request(sandbox.app)
      .post('/fhir/MedicationRequest')
      .set('Authorization', `Bearer ${userToken}`)
      .set('Content-Type', 'application/fhir+json')
      .send({
        resourceType: 'MedicationRequest',
        status: 'active',
        intent: 'order',
        subject: { reference: 'Patient/rat-043' },
        medicationReference: { reference: `Medication/${created.body.id}` },
      });
    expect(order.status).toBe(201);
    const res = await get('/fhir/MedicationRequest?patient=rat-043&_include=MedicationRequest:medication');
    const included = (res.body as Bundle).entry?.filter((e) => e.search?.mode === 'include') ?? [];
    expect(included.map((e) => `${e.resource?.resourceType}/${e.resource?.id}`)).toEqual([
      `Medication/${created.body.id}`,
    ]);
    expect(res.body.total).toBe(1);
  });

  it('rejects unknown search parameters with an OperationOutcome', async () => {
    const res = await get('/fhir/Observation?bogus=1');
    expect(res.status).toBe(400);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(res.body.issue[0].diagnostics).toContain('bogus');
  });
});

describe('create, update, delete, transaction', () => {
  const obs = (value: number): Observation => ({
    resourceType: 'Observation',
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '2823-3' }] },
    subject: { reference: 'Patient/rat-041' },
    effectiveDateTime: '2025-05-30T10:00:00Z',
    valueQuantity: { value, unit: 'mmol/L', system: 'http://unitsofmeasure.org', code: 'mmol/L' },
  });

  it('creates, reads, updates and deletes a resource (410 after delete)', async () => {
    const created = await request(sandbox.app)
      .post('/fhir/Observation')
      .set('Authorization', `Bearer ${userToken}`)
      .send(obs(4.1));
    expect(created.status).toBe(201);
    expect(created.headers.location).toMatch(new RegExp(`^${FHIR}/Observation/${created.body.id}/_history/`));
    const id = created.body.id as string;
    const updated = await request(sandbox.app)
      .put(`/fhir/Observation/${id}`)
      .set('Authorization', `Bearer ${userToken}`)
      .send({ ...obs(4.4), id });
    expect(updated.status).toBe(200);
    expect((await get(`/fhir/Observation/${id}`)).body.valueQuantity.value).toBe(4.4);
    const mismatch = await request(sandbox.app)
      .put(`/fhir/Observation/${id}`)
      .set('Authorization', `Bearer ${userToken}`)
      .send({ ...obs(4.4), id: 'other' });
    expect(mismatch.status).toBe(400);
    expect(
      (
        await request(sandbox.app)
          .delete(`/fhir/Observation/${id}`)
          .set('Authorization', `Bearer ${userToken}`)
      ).status,
    ).toBe(204);
    const gone = await get(`/fhir/Observation/${id}`);
    expect(gone.status).toBe(410);
    expect(gone.body.resourceType).toBe('OperationOutcome');
    expect((await get('/fhir/Observation/never-existed')).status).toBe(404);
  });

  it('applies a transaction Bundle and resolves urn:uuid references', async () => {
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          fullUrl: 'urn:uuid:2b8c1a4e-3f1d-4a4e-9c1e-0a6f2d9b7c11',
          resource: { resourceType: 'Patient', name: [{ family: 'Testfield' }] },
          request: { method: 'POST', url: 'Patient' },
        },
        {
          fullUrl: 'urn:uuid:6d3e2f1a-8b7c-4d5e-9f0a-1b2c3d4e5f60',
          resource: { ...obs(5.0), subject: { reference: 'urn:uuid:2b8c1a4e-3f1d-4a4e-9c1e-0a6f2d9b7c11' } },
          request: { method: 'POST', url: 'Observation' },
        },
      ],
    };
    const res = await request(sandbox.app)
      .post('/fhir')
      .set('Authorization', `Bearer ${userToken}`)
      .set('Content-Type', 'application/fhir+json')
      .send(bundle);
    expect(res.status).toBe(200);
    expect(res.body.type).toBe('transaction-response');
    const [p, o] = res.body.entry as { response: { status: string; location: string } }[];
    expect(p?.response.status).toBe('201');
    expect(p?.response.location).toMatch(new RegExp(`^${FHIR}/Patient/`));
    const patientId = p?.response.location.split('/')[5];
    const stored = await get(`/fhir/Observation?patient=${patientId}`);
    expect(stored.body.total).toBe(1);
    expect(o?.response.status).toBe('201');
  });

  it('rolls back a failing transaction entirely', async () => {
    const before = (await get('/fhir/Observation?patient=rat-042&_summary=count')).body.total as number;
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          resource: { ...obs(4.0), subject: { reference: 'Patient/rat-042' } },
          request: { method: 'POST', url: 'Observation' },
        },
        {
          resource: { ...obs(4.0), id: 'not-the-url-id', subject: { reference: 'Patient/rat-042' } },
          request: { method: 'PUT', url: 'Observation/some-id' },
        },
      ],
    };
    const res = await request(sandbox.app)
      .post('/fhir')
      .set('Authorization', `Bearer ${userToken}`)
      .send(bundle);
    expect(res.status).toBe(400);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect((await get('/fhir/Observation?patient=rat-042&_summary=count')).body.total).toBe(before);
  });
});

describe('scopes', () => {
  it('limits patient scopes to the launch patient: another patient is 403, a search without patient is filtered', async () => {
    const t = await token('patient/Observation.rs patient/Patient.r', 'rat-001');
    expect((await get('/fhir/Patient/rat-001', t)).status).toBe(200);
    expect((await get('/fhir/Patient/rat-002', t)).status).toBe(403);
    const other = (await get('/fhir/Observation?patient=rat-002', t)).body;
    expect(other.resourceType).toBe('OperationOutcome');
    expect((await get('/fhir/Observation?patient=rat-002', t)).status).toBe(403);
    const someoneElses = (
      entries((await get('/fhir/Observation?patient=rat-002&_count=1')).body)[0] as Observation
    ).id;
    expect((await get(`/fhir/Observation/${someoneElses}`, t)).status).toBe(403);
    const unfiltered = await get('/fhir/Observation?code=http://loinc.org|4548-4&_count=1000', t);
    expect(unfiltered.status).toBe(200);
    expect(matches(unfiltered.body).length).toBe(2);
    for (const o of matches(unfiltered.body) as Observation[])
      expect(o.subject?.reference).toBe('Patient/rat-001');
  });

  it('answers 403 when no scope grants the resource type or interaction', async () => {
    const t = await token('patient/Observation.rs', 'rat-001');
    expect((await get('/fhir/Condition?patient=rat-001', t)).status).toBe(403);
    const write = await request(sandbox.app)
      .post('/fhir/Observation')
      .set('Authorization', `Bearer ${t}`)
      .send({
        resourceType: 'Observation',
        status: 'final',
        code: { text: 'x' },
        subject: { reference: 'Patient/rat-001' },
      });
    expect(write.status).toBe(403);
    const v1 = await token('patient/*.read', 'rat-001');
    expect((await get('/fhir/Condition?patient=rat-001', v1)).status).toBe(200);
    const del = await request(sandbox.app)
      .delete('/fhir/Patient/rat-001')
      .set('Authorization', `Bearer ${v1}`);
    expect(del.status).toBe(403);
  });

  it('enforces fine-grained scope queries (category=laboratory) on reads and searches', async () => {
    const t = await token(
      'patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory',
      'rat-001',
    );
    const res = await get('/fhir/Observation?_count=1000', t);
    expect(res.status).toBe(200);
    const categories = (matches(res.body) as Observation[]).map((o) => o.category?.[0]?.coding?.[0]?.code);
    expect(categories.length).toBeGreaterThan(0);
    expect(new Set(categories)).toEqual(new Set(['laboratory']));
    const vital = (
      entries(
        (await get('/fhir/Observation?patient=rat-001&category=vital-signs&_count=1')).body,
      )[0] as Observation
    ).id;
    expect((await get(`/fhir/Observation/${vital}`, t)).status).toBe(403);
  });

  it('checks every transaction entry against the scopes before writing', async () => {
    const t = await token('patient/*.cruds', 'rat-001');
    const before = (await get('/fhir/Observation?patient=rat-002&_summary=count')).body.total as number;
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          resource: {
            resourceType: 'Observation',
            status: 'final',
            code: { text: 'x' },
            subject: { reference: 'Patient/rat-002' },
          },
          request: { method: 'POST', url: 'Observation' },
        },
      ],
    };
    const res = await request(sandbox.app).post('/fhir').set('Authorization', `Bearer ${t}`).send(bundle);
    expect(res.status).toBe(403);
    expect((await get('/fhir/Observation?patient=rat-002&_summary=count')).body.total).toBe(before);
  });
});

describe('CORS', () => {
  it('allows registered app origins on FHIR, not others; any origin on discovery', async () => {
    const ok = await request(sandbox.app)
      .options('/fhir/Patient')
      .set('Origin', 'http://127.0.0.1:8081')
      .set('Access-Control-Request-Method', 'GET');
    expect(ok.status).toBe(204);
    expect(ok.headers['access-control-allow-origin']).toBe('http://127.0.0.1:8081');
    expect(ok.headers['access-control-allow-headers']).toContain('Authorization');
    const evil = await request(sandbox.app)
      .options('/fhir/Patient')
      .set('Origin', 'http://evil.example')
      .set('Access-Control-Request-Method', 'GET');
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
    const wk = await request(sandbox.app)
      .get('/fhir/.well-known/smart-configuration')
      .set('Origin', 'http://evil.example');
    expect(wk.headers['access-control-allow-origin']).toBe('*');
  });
});
