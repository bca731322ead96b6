/**
 * Requests from clients nobody on this project wrote (fixtures/real-clients/README.md), through
 * the real model and card renderer: each gets 200 with conforming cards, or 412 where the data is
 * absent, never a 400 for a field the model does not read. The official cds-hooks sandbox's exact
 * token (its published key, its `kid` and unreachable `jku`) is accepted from inline keys.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importJWK, SignJWT, type JWK } from 'jose';
import request from 'supertest';
import { cardSchema, cdsResponseSchema } from '@rationale/shared-types';
import { renderCards } from '../cards';
import { assess } from '../model/assess';
import { createFhirMock, listen } from '../test-support/fhir-server';
import { buildHarness, EHR_ISS, PUBLIC_URL, type Harness } from '../test-support/harness';

const DIR = join(__dirname, 'fixtures', 'real-clients');
const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(DIR, `${name}.json`), 'utf8')) as Record<string, unknown>;

const SANDBOX_ISS = 'https://sandbox.cds-hooks.org';
const SANDBOX_JKU = 'https://sandbox.cds-hooks.org/.well-known/jwks.json';
const sandboxKey = fixture('cds-hooks-sandbox-key') as JWK;
const { d: _private, ...sandboxPublicKey } = sandboxKey;

/** The token the sandbox's jwt-generator.js signs, claim for claim and header for header. */
async function sandboxToken(audience: string): Promise<string> {
  const now = Math.round(Date.now() / 1000);
  return new SignJWT({ iss: SANDBOX_ISS, aud: audience, exp: now + 300, iat: now, jti: randomUUID() })
    .setProtectedHeader({ alg: 'ES384', typ: 'JWT', kid: sandboxKey.kid, jku: SANDBOX_JKU })
    .sign(await importJWK(sandboxKey, 'ES384'));
}

const mock = createFhirMock();
beforeAll(() => listen(mock));
afterEach(() => (mock.requests.length = 0));
afterAll(() => mock.server.close());

let h: Harness;
beforeAll(async () => {
  h = await buildHarness({
    issuers: (k) => [
      { iss: SANDBOX_ISS, jwks: { keys: [sandboxPublicKey] } },
      { iss: EHR_ISS, jwks: { keys: [k.es384.publicJwk] } },
    ],
    deps: { assess, renderCards },
  });
});

const CORPUS: [file: string, status: 200 | 412][] = [
  ['spec-patient-view', 412],
  ['spec-quickstart-patient-view', 412],
  ['spec-order-select', 200],
  ['spec-order-sign', 200],
  ['sandbox-order-select', 200],
  ['sandbox-order-sign', 200],
  ['sandbox-patient-view-partial-prefetch', 412],
  ['epic-order-sign', 200],
  ['epic-patient-view', 200],
  ['oracle-patient-view', 200],
  ['r4-variants-patient-view', 200],
  ['r4-variants-order-sign', 200],
];

async function post(body: Record<string, unknown>, token?: string) {
  const path = `/cds-services/rationale-${String(body.hook)}`;
  return request(h.app)
    .post(path)
    .set('Authorization', `Bearer ${token ?? (await h.token(path))}`)
    .send(body);
}

describe('requests from real CDS clients', () => {
  it.each(CORPUS)('%s gets %i', async (file, status) => {
    const res = await post(fixture(file));
    expect({ status: res.status, body: res.status === status ? 'as expected' : res.body }).toEqual({
      status,
      body: 'as expected',
    });
    if (status === 200) {
      const { cards } = cdsResponseSchema.parse(res.body);
      for (const card of cards) expect(cardSchema.safeParse(card).success).toBe(true);
    } else {
      expect(res.body.resourceType).toBe('OperationOutcome');
    }
    expect(mock.requests).toEqual([]); // no fhirServer here is allowlisted: nothing is fetched
  });

  it('keeps order safety for the sandbox order: amoxicillin against a penicillin allergy', async () => {
    const res = await post(fixture('sandbox-order-select'));
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body.cards)).toMatch(/penicillin|allerg/i);
  });

  it('reads the R4 variants for what they have and lists what it could not read', async () => {
    const res = await post(fixture('r4-variants-order-sign'));
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body.cards)).toMatch(/penicillin|allerg/i); // the readable draft is checked
    const stored = [...h.store.assessments.values()].at(-1)?.assessment;
    expect(stored?.dataQuality).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'resource-skipped', where: 'MedicationRequest/m-odd' }),
        expect.objectContaining({ kind: 'resource-skipped', where: 'MedicationRequest/d-odd' }),
      ]),
    );
  });

  it("accepts the official sandbox's exact token from inline keys, without fetching its jku", async () => {
    const body = fixture('sandbox-order-select');
    const res = await post(body, await sandboxToken(`${PUBLIC_URL}/cds-services/rationale-order-select`));
    expect(res.status).toBe(200);
    expect(mock.requests).toEqual([]);
  });
});
