/** A stand-in OpenID issuer at the FHIR base: its openid-configuration, its JWKS, and token signing. */
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey as JoseKey } from 'jose';
import { http, HttpResponse, type RequestHandler } from 'msw';

export interface TestIssuer {
  handlers: RequestHandler[];
  /** A valid id_token for `clientId`, with claims and registered fields overridable. */
  sign(
    claims?: Record<string, unknown>,
    options?: { iss?: string; aud?: string; exp?: number | string },
  ): Promise<string>;
  /** The same token shape, signed with a key the issuer never published. */
  signWithForeignKey(claims?: Record<string, unknown>): Promise<string>;
}

export async function createTestIssuer(iss: string, clientId = 'rationale-app'): Promise<TestIssuer> {
  const published = await generateKeyPair('RS256');
  const foreign = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(published.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const sign = (
    key: JoseKey,
    claims: Record<string, unknown> = {},
    options: { iss?: string; aud?: string; exp?: number | string } = {},
  ) =>
    new SignJWT({ fhirUser: 'Practitioner/dr-1', name: 'Dr Lee', ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(options.iss ?? iss)
      .setAudience(options.aud ?? clientId)
      .setSubject('dr-1')
      .setIssuedAt()
      .setExpirationTime(options.exp ?? '5m')
      .sign(key);
  return {
    handlers: [
      http.get(`${iss}/.well-known/openid-configuration`, () =>
        HttpResponse.json({ issuer: iss, jwks_uri: `${iss}/.well-known/jwks.json` }),
      ),
      http.get(`${iss}/.well-known/jwks.json`, () => HttpResponse.json({ keys: [jwk] })),
      http.get(`${iss}/.well-known/smart-configuration`, () =>
        HttpResponse.json({
          issuer: iss,
          authorization_endpoint: `${iss}/auth`,
          token_endpoint: `${iss}/token`,
          code_challenge_methods_supported: ['S256'],
        }),
      ),
    ],
    sign: (claims, options) => sign(published.privateKey, claims, options),
    signWithForeignKey: (claims) => sign(foreign.privateKey, claims),
  };
}
