/**
 * The sandbox's signing keys, generated at start (nothing persists; a restart invalidates
 * tokens): RS256 for id_tokens (SMART requires RS256 support), ES384 for CDS Hooks JWTs (the
 * CDS Hooks sandbox's choice), ES256 for access tokens (verified only by the sandbox, so its
 * public key is not published). Public JWKS at `{base}/.well-known/jwks.json`.
 */
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';

export interface SigningKey {
  alg: 'RS256' | 'ES384' | 'ES256';
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
}

export interface Keyring {
  idToken: SigningKey;
  hook: SigningKey;
  access: SigningKey;
  /** The published JWK Set: the id_token and hook keys. */
  jwks: { keys: JWK[] };
}

async function createKey(alg: SigningKey['alg'], purpose: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  const kid = `${purpose}-${randomUUID()}`;
  const jwk = await exportJWK(publicKey);
  return { alg, kid, privateKey, publicKey, publicJwk: { ...jwk, kid, alg, use: 'sig' } };
}

/** Generates the three key pairs (about 100 ms: RSA 2048). */
export async function createKeyring(): Promise<Keyring> {
  const [idToken, hook, access] = await Promise.all([
    createKey('RS256', 'id-token'),
    createKey('ES384', 'cds-hooks'),
    createKey('ES256', 'access-token'),
  ]);
  return { idToken, hook, access, jwks: { keys: [idToken.publicJwk, hook.publicJwk] } };
}
