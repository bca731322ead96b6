/**
 * Authentication of CDS Clients (CDS Hooks STU2 §Trusting CDS Clients, L976-1026, and the
 * cds-hooks.org best practices "JWT"):
 * - `iss` on the allowlist (TRUSTED_ISSUERS), `tenant` too when configured;
 * - header `typ` JWT, `kid` present, `alg` ES384/RS384 (recommended) or ES256/RS256, never `none`
 *   or an HMAC algorithm;
 * - keys from the issuer's JWKS URL (cached, refetched on an unknown `kid`, with a timeout) or its
 *   inline JWKS (used whenever it holds the token's `kid`, whatever `jku` says); a `jku` header is
 *   fetched only when allowlisted for that issuer (or equal to its jwksUri);
 * - `aud` equal to the URL called; `exp`, `iat`, `nbf` with at most 60 s of clock skew; tokens
 *   issued more than an hour ago refused (the replay cache keeps `jti` for that long at most);
 * - `jti` required and seen once: recorded in the database so replicas share it, and on disk
 *   before the request is answered (a kill -9 after the answer loses none); on embedded PGlite
 *   the write runs while the request is served. If the database
 *   does not answer, an in-process cache still rejects replays to this replica (logged), so a
 *   store outage does not stop the EHR's hooks.
 * Any failure is a bare 401. The token itself is never logged or stored.
 */
import { createHash } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  jwtVerify,
  type JWTVerifyGetKey,
  type JSONWebKeySet,
} from 'jose';
import type { EhrProfileName } from '../cards/types';
import type { TrustedIssuer } from '../config';
import { CdsError } from '../errors';
import type { Logger } from '../logger';
import type { JtiClaim, ReplayGuard } from '../store/store';

/** Asymmetric algorithms CDS Hooks allows: ES384 and RS384 recommended; ES256/RS256 sent by EHRs. */
export const ALLOWED_ALGORITHMS = ['ES384', 'RS384', 'ES256', 'RS256'] as const;
export const CLOCK_SKEW_SECONDS = 60;
export const MAX_TOKEN_AGE_SECONDS = 3600;

export interface VerifiedCaller {
  issuer: string;
  profile: EhrProfileName;
  tenant?: string;
  jti: string;
  /**
   * Settles once the token's id is on disk (never rejects: a failed write is logged, and the
   * in-process cache still refuses replays to this replica). The response waits for it.
   */
  stored?: Promise<void>;
}

export interface JwtVerifierOptions {
  trustedIssuers: readonly TrustedIssuer[];
  store: ReplayGuard;
  clock: () => Date;
  logger: Logger;
  /** Timeout for fetching a JWKS. */
  jwksTimeoutMs?: number;
}

/** Why a token was refused: logged (with `iss` only), never sent. */
class TokenRejected extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** Remembers `jti`s in process: the fallback when the database is unavailable. */
class LocalReplayCache {
  private readonly seen = new Map<string, number>();
  constructor(private readonly maxEntries = 50_000) {}

  /** False when `key` was seen and has not expired. */
  remember(key: string, expiresAtMs: number, nowMs: number): boolean {
    const prev = this.seen.get(key);
    if (prev !== undefined && prev > nowMs) return false;
    if (this.seen.size >= this.maxEntries) this.prune(nowMs);
    this.seen.set(key, expiresAtMs);
    return true;
  }

  private prune(nowMs: number): void {
    for (const [k, exp] of this.seen) if (exp <= nowMs) this.seen.delete(k);
    // Still full of live entries: drop the oldest insertions rather than grow without bound.
    const excess = this.seen.size - Math.floor(this.maxEntries * 0.9);
    if (excess > 0) [...this.seen.keys()].slice(0, excess).forEach((k) => this.seen.delete(k));
  }
}

/** Verifies CDS Hooks client JWTs. One instance per app: it owns the JWKS caches. */
export class CdsJwtVerifier {
  private readonly issuers: ReadonlyMap<string, TrustedIssuer>;
  private readonly keySets = new Map<string, JWTVerifyGetKey>();
  private readonly replay = new LocalReplayCache();

  constructor(private readonly options: JwtVerifierOptions) {
    this.issuers = new Map(options.trustedIssuers.map((i) => [i.iss, i]));
  }

  /**
   * Verifies `token` for a call to one of `audiences`. Throws CdsError('unauthorized') on any
   * failure; the reason goes to the log only. `whileChecking` is called once the token has passed
   * the checks that cost nothing (an allowed algorithm, a key id, a trusted issuer) and jose's
   * verification has been started; the signature itself reaches libuv's thread pool once the key
   * is at hand (within this turn for an issuer's inline or cached keys), and the caller may do its
   * own work meanwhile.
   */
  async verify(
    token: string,
    audiences: string[],
    log: Logger,
    whileChecking?: () => void,
  ): Promise<VerifiedCaller> {
    let issuer: string | undefined;
    try {
      const caller = await this.check(token, audiences, (iss) => (issuer = iss), log, whileChecking);
      return caller;
    } catch (e) {
      const reason =
        e instanceof TokenRejected
          ? e.reason
          : ((e as { code?: string }).code ?? (e as Error).name ?? 'invalid');
      log.info({ reason, iss: issuer }, 'CDS client token rejected');
      throw new CdsError('unauthorized', 'Unauthorized');
    }
  }

  private async check(
    token: string,
    audiences: string[],
    noteIssuer: (iss: string) => void,
    log: Logger,
    whileChecking?: () => void,
  ): Promise<VerifiedCaller> {
    const header = decodeProtectedHeader(token);
    if (typeof header.alg !== 'string' || !(ALLOWED_ALGORITHMS as readonly string[]).includes(header.alg)) {
      throw new TokenRejected('alg-not-allowed');
    }
    if (typeof header.kid !== 'string' || !header.kid) throw new TokenRejected('kid-missing');
    const claims = decodeJwt(token);
    if (typeof claims.iss !== 'string') throw new TokenRejected('iss-missing');
    const trusted = this.issuers.get(claims.iss);
    if (!trusted) throw new TokenRejected('iss-not-trusted');
    noteIssuer(trusted.iss);

    const keys = this.keysFor(trusted, header.kid, typeof header.jku === 'string' ? header.jku : undefined);
    const now = this.options.clock();
    const verified = jwtVerify(token, keys, {
      algorithms: [...ALLOWED_ALGORITHMS],
      issuer: trusted.iss,
      audience: audiences,
      typ: 'JWT',
      clockTolerance: CLOCK_SKEW_SECONDS,
      maxTokenAge: MAX_TOKEN_AGE_SECONDS,
      requiredClaims: ['iss', 'aud', 'exp', 'iat', 'jti'],
      currentDate: now,
    });
    whileChecking?.();
    const { payload } = await verified;
    if (trusted.tenant !== undefined && payload.tenant !== trusted.tenant)
      throw new TokenRejected('tenant-mismatch');
    const jti = payload.jti;
    if (typeof jti !== 'string' || !jti) throw new TokenRejected('jti-missing');

    const expiresAt = new Date(((payload.exp as number) + CLOCK_SKEW_SECONDS) * 1000);
    const replayKey = createHash('sha256').update(`${trusted.iss}\n${jti}`).digest('hex');
    if (!this.replay.remember(replayKey, expiresAt.getTime(), now.getTime()))
      throw new TokenRejected('jti-replayed');
    const unavailable = () =>
      log.warn({ iss: trusted.iss }, 'store unavailable: jti replay checked by this replica only');
    let claim: JtiClaim;
    try {
      const store = this.options.store;
      claim = store.claimJti
        ? await store.claimJti(trusted.iss, jti, expiresAt, now)
        : { fresh: await store.rememberJti(trusted.iss, jti, expiresAt, now), stored: Promise.resolve() };
    } catch {
      unavailable();
      claim = { fresh: true, stored: Promise.resolve() };
    }
    if (!claim.fresh) throw new TokenRejected('jti-replayed');
    return {
      issuer: trusted.iss,
      profile: trusted.profile,
      tenant: typeof payload.tenant === 'string' ? payload.tenant : undefined,
      jti,
      stored: claim.stored.catch(unavailable),
    };
  }

  /**
   * The keys to verify a token with. An issuer's inline keys are used whenever they hold the
   * token's `kid`, whatever `jku` says: the official cds-hooks sandbox names a `jku` that cannot be
   * reached offline, and the reference notes configure that issuer inline. A `jku` is fetched only
   * when allowlisted for the issuer (or equal to its jwksUri), so a token cannot send the service
   * to a URL of its choosing.
   */
  private keysFor(issuer: TrustedIssuer, kid: string, jku: string | undefined): JWTVerifyGetKey {
    if (issuer.jwks?.keys.some((k) => k.kid === kid)) return this.local(issuer.iss, issuer.jwks);
    if (jku !== undefined) {
      // The issuer's own configured JWKS URL is allowlisted implicitly: naming it changes nothing.
      if (jku !== issuer.jwksUri && !issuer.jku?.includes(jku))
        throw new TokenRejected('jku-not-allowlisted');
      return this.remote(jku);
    }
    if (issuer.jwks) return this.local(issuer.iss, issuer.jwks);
    if (issuer.jwksUri) return this.remote(issuer.jwksUri);
    throw new TokenRejected('no-keys-for-issuer');
  }

  private local(iss: string, jwks: JSONWebKeySet): JWTVerifyGetKey {
    const key = `inline:${iss}`;
    let set = this.keySets.get(key);
    if (!set) {
      set = createLocalJWKSet(jwks);
      this.keySets.set(key, set);
    }
    return set;
  }

  /** A cached remote JWKS: refetched when a token names an unknown `kid` (at most every 30 s). */
  private remote(url: string): JWTVerifyGetKey {
    const key = `remote:${url}`;
    let set = this.keySets.get(key);
    if (!set) {
      set = createRemoteJWKSet(new URL(url), {
        timeoutDuration: this.options.jwksTimeoutMs ?? 2000,
        cooldownDuration: 30_000,
        cacheMaxAge: 10 * 60_000,
      });
      this.keySets.set(key, set);
    }
    return set;
  }
}

/** The bearer token of a request, or undefined. */
export function bearerToken(authorization: string | undefined): string | undefined {
  const m = /^Bearer\s+([^\s]+)\s*$/i.exec(authorization ?? '');
  return m?.[1];
}

/**
 * Express middleware requiring a valid CDS client JWT for the audiences the route computes; on
 * success the caller is on `res.locals.caller`. `whileChecking`: see `CdsJwtVerifier.verify`.
 */
export function requireCdsClient(
  verifier: CdsJwtVerifier,
  audiences: (req: Parameters<RequestHandler>[0]) => string[],
  whileChecking?: (req: Parameters<RequestHandler>[0], res: Parameters<RequestHandler>[1]) => void,
): RequestHandler {
  return async (req, res, next) => {
    const token = bearerToken(req.get('authorization'));
    const log = res.locals.log as Logger;
    if (!token) {
      log.info({ reason: 'no-bearer-token' }, 'CDS client token rejected');
      next(new CdsError('unauthorized', 'Unauthorized'));
      return;
    }
    let caller: VerifiedCaller;
    try {
      caller = await verifier.verify(
        token,
        audiences(req),
        log,
        whileChecking && (() => whileChecking(req, res)),
      );
    } catch (e) {
      next(e);
      return;
    }
    res.locals.caller = caller;
    if (caller.stored) holdAnswerUntil(res, caller.stored);
    next();
  };
}

/**
 * The request is served while the token's id is being written, and whatever answer it gets (cards,
 * an error, an OperationOutcome) leaves only once that write has settled: a token is never
 * answered before its id is on disk, and the write costs the answer nothing when it finishes
 * first. `res.end` is deferred the way express-session defers it to save a session before
 * answering.
 */
function holdAnswerUntil(res: Response, written: Promise<void>): void {
  let done = false;
  void written.then(() => (done = true));
  const end = res.end.bind(res) as (...args: unknown[]) => Response;
  res.end = ((...args: unknown[]) => {
    if (done) return end(...args);
    void written.then(() => end(...args));
    return res;
  }) as Response['end'];
}
