/**
 * A trusted CDS client (an EHR) for the proof suites: an ES384 key whose public half the service is
 * configured with (TRUSTED_ISSUERS, inline JWKS), and pools of pre-signed tokens, each with its
 * own `jti`, so every request under load carries a fresh JWT as the spec requires (the service
 * rejects a replayed `jti`).
 */
import { randomUUID } from 'node:crypto';
import {
  makeKey,
  signToken,
  type TestKey,
  type TokenOptions,
} from '../../../../cds-service/src/test-support/jwt';

export const BENCH_ISS = 'https://ehr.bench.rationale.test';

export interface TrustedClient {
  iss: string;
  key: TestKey;
  /** The TRUSTED_ISSUERS value naming this client with its public key inline. */
  trustedIssuersEnv: string;
  /** One signed token for `aud` (an absolute URL of the service). */
  token(aud: string, overrides?: Partial<TokenOptions>): Promise<string>;
}

export async function createTrustedClient(iss = BENCH_ISS): Promise<TrustedClient> {
  const key = await makeKey('ES384', `bench-${randomUUID().slice(0, 8)}`);
  return {
    iss,
    key,
    trustedIssuersEnv: JSON.stringify([{ iss, jwks: { keys: [key.publicJwk] } }]),
    token: (aud, overrides) => signToken({ iss, aud, key, expInSeconds: 3000, ...overrides }),
  };
}

/** Pre-signed tokens for one audience, handed out once each. */
export class TokenPool {
  private next = 0;
  private constructor(private readonly tokens: string[]) {}

  /** Signs `size` tokens for `aud` (in parallel batches; WebCrypto signs off the main thread). */
  static async create(client: TrustedClient, aud: string, size: number): Promise<TokenPool> {
    const tokens: string[] = [];
    const batch = 256;
    for (let i = 0; i < size; i += batch) {
      const n = Math.min(batch, size - i);
      tokens.push(...(await Promise.all(Array.from({ length: n }, () => client.token(aud)))));
    }
    return new TokenPool(tokens);
  }

  get size(): number {
    return this.tokens.length;
  }
  get used(): number {
    return this.next;
  }

  /** The next unused token; throws when the pool is spent (a reused jti would be a 401, not a measurement). */
  take(): string {
    const t = this.tokens[this.next++];
    if (t === undefined) throw new Error(`token pool of ${this.tokens.length} exhausted`);
    return t;
  }
}
