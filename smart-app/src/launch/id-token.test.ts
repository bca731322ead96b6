import { setupServer } from 'msw/node';
import { AppError } from '../errors';
import { createTestIssuer, type TestIssuer } from '../test-support/oidc';
import { fhirUserReference, verifyIdToken } from './id-token';
import { fetchJson } from './smart-session';

const ISS = 'http://localhost:8080/fhir';
const CLIENT_ID = 'rationale-app';

let issuer: TestIssuer;
const server = setupServer();
beforeAll(async () => {
  issuer = await createTestIssuer(ISS, CLIENT_ID);
  server.use(...issuer.handlers);
  server.listen({ onUnhandledRequest: 'error' });
});
afterAll(() => server.close());

const check = (idToken: string) =>
  verifyIdToken({ idToken, clientId: CLIENT_ID, trustedIssuers: [ISS], fetchJson });

describe('verifyIdToken', () => {
  it('accepts a token signed by the issuer’s JWKS key and returns its fhirUser', async () => {
    await expect(check(await issuer.sign())).resolves.toEqual({
      issuer: ISS,
      subject: 'dr-1',
      fhirUser: 'Practitioner/dr-1',
      name: 'Dr Lee',
    });
  });

  it('rejects a token whose signature was made with another key', async () => {
    const error = await check(await issuer.signWithForeignKey()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('id-token-invalid');
  });

  it('rejects a token with its payload altered after signing', async () => {
    const [header, , signature] = (await issuer.sign()).split('.');
    const forged = Buffer.from(
      JSON.stringify({ iss: ISS, aud: CLIENT_ID, sub: 'x', fhirUser: 'Practitioner/admin', exp: 9999999999 }),
    ).toString('base64url');
    await expect(check(`${header}.${forged}.${signature}`)).rejects.toMatchObject({
      code: 'id-token-invalid',
    });
  });

  it('rejects a token for another client (aud)', async () => {
    await expect(check(await issuer.sign({}, { aud: 'someone-else' }))).rejects.toMatchObject({
      code: 'id-token-invalid',
    });
  });

  it('rejects an expired token', async () => {
    await expect(
      check(await issuer.sign({}, { exp: Math.floor(Date.now() / 1000) - 3600 })),
    ).rejects.toMatchObject({ code: 'id-token-invalid' });
  });

  it('rejects a token from an issuer that is not the FHIR server’s, without fetching its keys', async () => {
    await expect(check(await issuer.sign({}, { iss: 'https://attacker.example' }))).rejects.toMatchObject({
      code: 'id-token-invalid',
      message: expect.stringContaining('not this FHIR server'),
    });
  });

  it('rejects an unsigned (alg none) token', async () => {
    const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const unsigned = `${part({ alg: 'none' })}.${part({ iss: ISS, aud: CLIENT_ID, sub: 'x', exp: 9999999999 })}.`;
    await expect(check(unsigned)).rejects.toMatchObject({ code: 'id-token-invalid' });
  });
});

describe('fhirUserReference', () => {
  it('reduces Epic’s absolute fhirUser to Type/id', () => {
    expect(fhirUserReference('https://fhir.epic.test/api/FHIR/R4/Practitioner/abc')).toBe('Practitioner/abc');
    expect(fhirUserReference('Practitioner/abc')).toBe('Practitioner/abc');
  });
});
