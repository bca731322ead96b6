/**
 * Real keys and real JWTs for authentication tests: an EHR's ES384 and RS384 key pairs, their
 * public JWKS, and a signer that builds CDS Hooks client tokens (STU2 L986-1003).
 */
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

export interface TestKey {
  kid: string;
  alg: 'ES384' | 'RS384';
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export async function makeKey(alg: 'ES384' | 'RS384', kid: string): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { kid, alg, privateKey, publicJwk };
}

export interface TokenOptions {
  iss: string;
  aud: string | string[];
  key: TestKey;
  jti?: string | null;
  iatOffsetSeconds?: number;
  expInSeconds?: number;
  nbfOffsetSeconds?: number;
  jku?: string;
  kid?: string | null;
  typ?: string | null;
  extra?: JWTPayload;
  now?: Date;
}

/** A signed CDS client JWT. `null` leaves a claim or header out. */
export async function signToken(o: TokenOptions): Promise<string> {
  const nowS = Math.floor((o.now ?? new Date()).getTime() / 1000);
  const iat = nowS + (o.iatOffsetSeconds ?? 0);
  const payload: JWTPayload = {
    ...o.extra,
    iss: o.iss,
    aud: o.aud,
    iat,
    exp: nowS + (o.expInSeconds ?? 300),
  };
  if (o.jti !== null) payload.jti = o.jti ?? randomUUID();
  if (o.nbfOffsetSeconds !== undefined) payload.nbf = nowS + o.nbfOffsetSeconds;
  const header: Record<string, string> = { alg: o.key.alg };
  if (o.typ !== null) header.typ = o.typ ?? 'JWT';
  if (o.kid !== null) header.kid = o.kid ?? o.key.kid;
  if (o.jku) header.jku = o.jku;
  return new SignJWT(payload).setProtectedHeader(header as { alg: string }).sign(o.key.privateKey);
}
