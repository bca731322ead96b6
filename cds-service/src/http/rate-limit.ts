/**
 * Rate limits that fit EHRs (rate-limiter-flexible). An EHR sends every hook of a hospital from a few
 * egress addresses, so an authenticated call counts against its client (JWT `iss`, and `tenant` where
 * present) with a high limit a site sets per client; the client address counts only for calls that
 * fail authentication (no token, a bad one), under a strict limit, so a flood of tokenless requests
 * from the EHR's own address is refused without refusing the EHR. With `DATABASE_URL` the counters
 * live in PostgreSQL, shared by every replica; on embedded PGlite (one replica) they are in memory.
 * If the database does not answer, each replica falls back to its own in-memory counters rather than
 * stopping the EHR's hooks. A refusal is a 429 with `Retry-After` and an OperationOutcome.
 */
import { createHash } from 'node:crypto';
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import pg from 'pg';
import {
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import type { Config } from '../config';
import { CdsError } from '../errors';
import type { Logger } from '../logger';
import type { VerifiedCaller } from './auth';

/** Counting window for every limit, in seconds: the limits are configured per minute. */
const WINDOW_SECONDS = 60;
/** The table rate-limiter-flexible keeps its counters in (created by it if absent). */
export const RATE_LIMIT_TABLE = 'rate_limits';

/** The settings the limits read, from Config. */
export type RateLimitSettings = Pick<Config, 'rateLimit' | 'auth'>;

/** Counters for authenticated clients and for addresses that fail authentication. */
export interface RateLimits {
  /** Counts an authenticated call (after the JWT check) against its client; 429 past its limit. */
  readonly client: RequestHandler;
  /** Error middleware: counts a 401 against the client address; past the limit the 401 becomes a 429. */
  readonly failedAuth: ErrorRequestHandler;
  /** Where the counters live. */
  readonly backend: 'postgresql' | 'memory';
  /** Releases the database connections (PostgreSQL only). */
  close(): Promise<void>;
}

/** The limiters the settings need: the unauthenticated one, and one per distinct client limit. */
interface Limiters {
  unauthenticated: Counter;
  byPoints: ReadonlyMap<number, Counter>;
}

/** Distinct client limits: the default, and each trusted issuer's own. */
function clientLimits(settings: RateLimitSettings): number[] {
  const limits = new Set([settings.rateLimit.clientPerMinute]);
  for (const issuer of settings.auth.trustedIssuers) {
    if (issuer.rateLimitPerMinute !== undefined) limits.add(issuer.rateLimitPerMinute);
  }
  return [...limits];
}

/** In-memory counters: for one replica (embedded PGlite) and for tests. */
export function createMemoryRateLimits(settings: RateLimitSettings): RateLimits {
  const limiters: Limiters = {
    unauthenticated: new Counter(
      memoryLimiter('unauthenticated', settings.rateLimit.unauthenticatedPerMinute),
    ),
    byPoints: new Map(
      clientLimits(settings).map((points) => [
        points,
        new Counter(memoryLimiter(`client-${points}`, points)),
      ]),
    ),
  };
  return assemble(settings, 'memory', limiters, async () => {});
}

/**
 * Counters in PostgreSQL at `databaseUrl`, shared by every replica using that database (the table is
 * created when absent). While the database does not answer, each replica counts in its own memory
 * and says so in the log (at most once a minute).
 */
export async function createPostgresRateLimits(
  settings: RateLimitSettings,
  databaseUrl: string,
  options: { logger: Logger; schema?: string; timeoutMs?: number },
): Promise<RateLimits> {
  // As the store's: a connection within 3 s (the wait for a free one included), a statement within 2 s.
  const timeoutMs = options.timeoutMs ?? 2000;
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    min: 2,
    max: 8,
    connectionTimeoutMillis: timeoutMs + 1000,
    statement_timeout: timeoutMs,
    query_timeout: timeoutMs + 1000,
    idleTimeoutMillis: 30_000,
    application_name: 'rationale-cds-rate-limit',
  });
  // A lost idle connection must not crash the process; the insurance limiter covers the gap.
  pool.on('error', () => undefined);
  let tableCreated = false;
  let lastWarned = -Infinity;
  const onStoreError = (e: unknown) => {
    if (Date.now() - lastWarned < 60_000) return;
    lastWarned = Date.now();
    options.logger.warn(
      { err: { type: (e as Error)?.name, message: (e as Error)?.message } },
      'rate-limit counters unavailable in the database: counting in this replica only',
    );
  };
  const make = async (keyPrefix: string, points: number): Promise<Counter> => {
    let limiter: RateLimiterPostgres | undefined;
    // The callback runs once the table exists (synchronously, inside the constructor, when it is known to).
    await new Promise<void>((resolve, reject) => {
      limiter = new RateLimiterPostgres(
        {
          storeClient: pool,
          storeType: 'pool',
          tableName: RATE_LIMIT_TABLE,
          schemaName: options.schema,
          tableCreated,
          keyPrefix,
          points,
          duration: WINDOW_SECONDS,
          // Once a key is spent, refuse it from memory until its window ends: a flood costs no queries.
          inMemoryBlockOnConsumed: points + 1,
        },
        (error) => (error ? reject(error) : resolve()),
      );
    });
    tableCreated = true;
    return new Counter(limiter as RateLimiterPostgres, memoryLimiter(keyPrefix, points), onStoreError);
  };
  try {
    const unauthenticated = await make('unauthenticated', settings.rateLimit.unauthenticatedPerMinute);
    const byPoints = new Map<number, Counter>();
    for (const points of clientLimits(settings)) byPoints.set(points, await make(`client-${points}`, points));
    return assemble(settings, 'postgresql', { unauthenticated, byPoints }, () => pool.end());
  } catch (e) {
    await pool.end();
    throw e;
  }
}

function memoryLimiter(keyPrefix: string, points: number): RateLimiterMemory {
  return new RateLimiterMemory({ keyPrefix, points, duration: WINDOW_SECONDS });
}

function assemble(
  settings: RateLimitSettings,
  backend: RateLimits['backend'],
  { unauthenticated, byPoints }: Limiters,
  close: () => Promise<void>,
): RateLimits {
  const limiterOf = (points: number) => byPoints.get(points) as Counter;
  const clientLimiter = limiterOf(settings.rateLimit.clientPerMinute);
  const issuerLimiters = new Map(
    settings.auth.trustedIssuers.flatMap((i) =>
      i.rateLimitPerMinute === undefined ? [] : [[i.iss, limiterOf(i.rateLimitPerMinute)] as const],
    ),
  );

  const clientAddress = clientAddressKeys();
  const client: RequestHandler = (req, res, next) => {
    const caller = res.locals.caller as VerifiedCaller | undefined;
    // Authentication switched off: the address is the only identity, at the client limit.
    const key = caller ? clientKey(caller) : `address:${clientAddress(req)}`;
    const limiter = (caller && issuerLimiters.get(caller.issuer)) ?? clientLimiter;
    limiter.consume(key).then(() => next(), next);
  };

  const failedAuth: ErrorRequestHandler = (err, req, _res, next) => {
    if (!(err instanceof CdsError) || err.code !== 'unauthorized') {
      next(err);
      return;
    }
    unauthenticated.consume(clientAddress(req)).then(() => next(err), next);
  };

  return { client, failedAuth, backend, close };
}

/** The counter key of an authenticated client: its issuer and tenant, hashed to a fixed length. */
function clientKey(caller: VerifiedCaller): string {
  return createHash('sha256')
    .update(`${caller.issuer}\n${caller.tenant ?? ''}`)
    .digest('base64url');
}

/**
 * The counter key of a client address, as Express resolves it under the configured `trust proxy`:
 * an IPv4 address (IPv4-mapped IPv6 included) as itself; an IPv6 address by its /56, the block one
 * site is allocated, so a client cannot escape the limit by rotating addresses within it.
 * Remembered per address: on a dual-stack listener every IPv4 client arrives IPv6-mapped.
 */
function clientAddressKeys(): (req: Request) => string {
  const keys = new Map<string, string>();
  return (req) => {
    const address = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    let key = keys.get(address);
    if (key === undefined) {
      key = addressKey(address);
      // Bounded: a flood of distinct addresses costs a re-parse, never memory.
      if (keys.size >= 10_000) keys.clear();
      keys.set(address, key);
    }
    return key;
  };
}

/** See clientAddressKeys. */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped?.[1]) return mapped[1];
  if (!address.includes(':')) return address;
  const groups = ipv6Groups(address);
  if (!groups) return address;
  const prefix = [...groups.slice(0, 3), (groups[3] ?? 0) & 0xff00].map((g) => g.toString(16));
  return `${prefix.join(':')}::/56`;
}

/** The eight 16-bit groups of an IPv6 address, or undefined when it is not one. */
function ipv6Groups(address: string): number[] | undefined {
  const halves = (address.split('%')[0] ?? '').split('::');
  if (halves.length > 2) return undefined;
  const parse = (part: string | undefined): number[] =>
    part
      ? part.split(':').flatMap((g) => {
          if (!g.includes('.')) return [/^[0-9a-f]{1,4}$/i.test(g) ? parseInt(g, 16) : NaN];
          const b = g.split('.').map(Number);
          return [((b[0] ?? 0) << 8) | (b[1] ?? 0), ((b[2] ?? 0) << 8) | (b[3] ?? 0)];
        })
      : [];
  const left = parse(halves[0]);
  const right = parse(halves[1]);
  const fill = halves.length === 2 ? 8 - left.length - right.length : 0;
  if (fill < 0) return undefined;
  const groups = [...left, ...new Array<number>(fill).fill(0), ...right];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff)
    ? groups
    : undefined;
}

/**
 * One limit: counted in `shared` (PostgreSQL, or memory on one replica); if that store fails, in
 * `local` for this replica alone, so an outage neither stops the EHR's hooks nor lifts the limits.
 */
class Counter {
  constructor(
    private readonly shared: RateLimiterAbstract,
    private readonly local?: RateLimiterMemory,
    private readonly onStoreError?: (e: unknown) => void,
  ) {}

  /** Consumes one point for `key`; rejects with a rate-limited CdsError (with Retry-After) past the limit. */
  async consume(key: string): Promise<void> {
    try {
      await this.shared.consume(key);
    } catch (e) {
      if (e instanceof RateLimiterRes) throw refusal(e);
      this.onStoreError?.(e);
      try {
        await this.local?.consume(key);
      } catch (local) {
        if (local instanceof RateLimiterRes) throw refusal(local);
      }
    }
  }
}

function refusal(res: RateLimiterRes): CdsError {
  return new CdsError('rate-limited', 'Too many requests; retry later', {
    retryAfterSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)),
  });
}
