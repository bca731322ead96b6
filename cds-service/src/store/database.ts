/**
 * The tiny query interface the store is written against, with two drivers: `pg` (a Pool, for a
 * PostgreSQL server named by DATABASE_URL) and PGlite (PostgreSQL compiled to WASM, in-process, on
 * disk under DATA_DIR). The store's SQL is the same on both (DESIGN.md §7).
 *
 * Every driver failure becomes a `DatabaseFailure` carrying only the SQLSTATE or system error code:
 * driver errors can quote the statement's parameters (PGlite attaches them; PostgreSQL quotes bad
 * input values), and parameters may hold a clinician's comment, so they never travel further.
 */
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import type { Logger } from 'pino';

export interface QueryResult<R> {
  rows: R[];
  /** Rows inserted, updated or deleted (or returned, for a SELECT). */
  rowCount: number;
}

export interface Queryable {
  /** One statement with `$n` parameters. */
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<R>>;
}

export interface TransactionClient extends Queryable {
  /** A script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface TransactionOptions {
  /** Overrides the statement timeout for this transaction (migrations wait on a lock). */
  timeoutMs?: number;
}

export interface Database extends Queryable {
  readonly driver: 'pg' | 'pglite';
  /**
   * Runs `fn` between BEGIN and COMMIT and resolves only after COMMIT has returned; rolls back and
   * rejects when `fn` or COMMIT fails.
   */
  transaction<T>(fn: (tx: TransactionClient) => Promise<T>, options?: TransactionOptions): Promise<T>;
  close(): Promise<void>;
  /**
   * gzip (fastest level), base64: for drivers with a thread of their own (PGlite), done there, so
   * that the request thread spends nothing on compressing snapshots. Absent: the caller compresses.
   */
  gzipBase64?(texts: string[]): Promise<string[]>;
}

/** A database error reduced to what is safe to log: the operation and an error code, no values. */
export class DatabaseFailure extends Error {
  constructor(
    readonly operation: string,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'DatabaseFailure';
  }
}

/** SQLSTATE classes that mean "the database is not answering", not "this statement is wrong". */
const UNAVAILABLE_SQLSTATE = /^(08|53|57|58|40001|40P01|55P03|25P02)/;

/** Reduces any driver error to a DatabaseFailure without parameters or quoted values. */
export function toDatabaseFailure(operation: string, error: unknown): DatabaseFailure {
  if (error instanceof DatabaseFailure) return error;
  const e = error as { code?: unknown; severity?: unknown; message?: unknown } | undefined;
  const code = typeof e?.code === 'string' ? e.code : 'unknown';
  const isSqlState = /^[0-9A-Z]{5}$/.test(code) && typeof e?.severity === 'string';
  if (isSqlState) {
    // PostgreSQL's own message may quote input values: keep the SQLSTATE and its class only.
    const kind = UNAVAILABLE_SQLSTATE.test(code) ? 'database unavailable' : 'statement failed';
    return new DatabaseFailure(operation, code, `${operation}: ${kind} (SQLSTATE ${code})`);
  }
  // System and driver errors (ECONNREFUSED, connection timeouts, a closed PGlite) carry no values.
  const message = typeof e?.message === 'string' ? e.message.slice(0, 200) : 'unknown error';
  return new DatabaseFailure(operation, code, `${operation}: ${message}`);
}

/** True when a failure means the database is not answering, not that one statement was wrong. */
export function meansUnavailable(failure: DatabaseFailure): boolean {
  return !/^[0-9A-Z]{5}$/.test(failure.code) || UNAVAILABLE_SQLSTATE.test(failure.code);
}

export interface PgDatabaseOptions {
  connectionString: string;
  logger: Logger;
  /** Tables live in this schema (created by the migrations); unset: the server's search_path. */
  schema?: string;
  maxConnections?: number;
  /** A dead or unreachable server fails a request after this long instead of hanging it. */
  connectionTimeoutMs?: number;
  statementTimeoutMs?: number;
}

const DEFAULT_CONNECTION_TIMEOUT_MS = 3_000;
const DEFAULT_STATEMENT_TIMEOUT_MS = 5_000;
/** The client gives up this long after the server's own statement timeout should have fired. */
const CLIENT_TIMEOUT_MARGIN_MS = 1_000;

/** PostgreSQL server through a `pg` Pool, with timeouts so a dead database never hangs a request. */
export class PgDatabase implements Database {
  readonly driver = 'pg' as const;
  private readonly pool: pg.Pool;
  private readonly statementTimeoutMs: number;
  private ended: Promise<void> | undefined;

  constructor(options: PgDatabaseOptions) {
    this.statementTimeoutMs = options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
    this.pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.maxConnections ?? 10,
      connectionTimeoutMillis: options.connectionTimeoutMs ?? DEFAULT_CONNECTION_TIMEOUT_MS,
      statement_timeout: this.statementTimeoutMs,
      query_timeout: this.statementTimeoutMs + CLIENT_TIMEOUT_MARGIN_MS,
      idle_in_transaction_session_timeout: this.statementTimeoutMs * 2,
      idleTimeoutMillis: 30_000,
      application_name: 'rationale-cds',
      ...(options.schema ? { options: `-c search_path=${checkSchemaName(options.schema)}` } : {}),
    });
    // An idle client losing its connection must not crash the process; the next query reconnects.
    this.pool.on('error', (error) => {
      const failure = toDatabaseFailure('idle-connection', error);
      options.logger.warn({ code: failure.code }, 'database connection lost');
    });
  }

  async query<R>(sql: string, params: unknown[] = []): Promise<QueryResult<R>> {
    const result = await this.pool.query(sql, params);
    return { rows: result.rows as R[], rowCount: result.rowCount ?? result.rows.length };
  }

  async transaction<T>(
    fn: (tx: TransactionClient) => Promise<T>,
    options: TransactionOptions = {},
  ): Promise<T> {
    const client = await this.pool.connect();
    const timeoutMs = options.timeoutMs;
    const clientTimeout = (timeoutMs ?? this.statementTimeoutMs) + CLIENT_TIMEOUT_MARGIN_MS;
    const tx: TransactionClient = {
      query: async <R>(sql: string, params: unknown[] = []) => {
        const result = await client.query({
          text: sql,
          values: params,
          query_timeout: clientTimeout,
        } as pg.QueryConfig);
        return { rows: result.rows as R[], rowCount: result.rowCount ?? result.rows.length };
      },
      exec: async (sql: string) => {
        await client.query({ text: sql, query_timeout: clientTimeout } as pg.QueryConfig);
      },
    };
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      if (timeoutMs !== undefined)
        await client.query(`SET LOCAL statement_timeout = ${Math.max(0, Math.floor(timeoutMs))}`);
      const value = await fn(tx);
      await client.query('COMMIT');
      return value;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackError) {
        // The connection is unusable: the pool must discard it, not lend it out again.
        broken = rollbackError as Error;
      }
      throw error;
    } finally {
      client.release(broken ?? false);
    }
  }

  /** Ends the pool; closing again is a no-op. */
  close(): Promise<void> {
    this.ended ??= this.pool.end();
    return this.ended;
  }
}

export interface PgliteDatabaseOptions {
  /** A directory for the data files, or ':memory:' for a throwaway database (tests). */
  dataDir: string;
  schema?: string;
}

/** The worker thread that hosts PGlite (plain JavaScript, so it loads the same under tsx and jest). */
const PGLITE_WORKER = path.join(__dirname, 'pglite-worker.mjs');

interface WorkerAnswer {
  id: number;
  rows?: unknown[];
  affectedRows?: number;
  error?: { code?: string; severity?: string; message: string };
}

type WorkerRequest =
  | { kind: 'query'; sql: string; params: unknown[] }
  | { kind: 'exec'; sql: string }
  | { kind: 'gzip'; texts: string[] }
  | { kind: 'close' };

/**
 * PGlite: PostgreSQL in-process, one connection, data files under `dataDir` written through the
 * Node file system as each statement runs. It runs on a worker thread of its own (pglite-worker.mjs):
 * WebAssembly executes a statement synchronously, and on the service's thread every statement would
 * hold up every request. `relaxedDurability` stays false so a query resolves only after its writes
 * have been handed to the operating system: an acknowledged COMMIT survives the process being
 * killed. PGlite does not fsync, so a power loss can still lose the last commits; deployments that
 * need that guarantee set DATABASE_URL to a PostgreSQL server.
 *
 * One connection means one session: a transaction holds the gate, and statements from outside it
 * wait until it ends, as PGlite's own `transaction()` would make them.
 */
export class PgliteDatabase implements Database {
  readonly driver = 'pglite' as const;
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (a: WorkerAnswer) => void; reject: (e: Error) => void }
  >();
  /** Settles when the running transaction (if any) ends; statements outside it wait for it. */
  private gate: Promise<void> = Promise.resolve();
  private failure: Error | undefined;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly worker: Worker,
    private readonly lock: DataDirLock | undefined,
  ) {
    worker.on('message', (answer: WorkerAnswer) => this.settle(answer));
    worker.on('error', (error) => this.fail(new Error(`PGlite worker failed: ${error.message}`)));
    worker.on('exit', (code) => this.fail(new Error(`PGlite worker exited (code ${code})`)));
    worker.unref(); // referenced only while a statement is outstanding (see call)
  }

  static async open(options: PgliteDatabaseOptions): Promise<PgliteDatabase> {
    const inMemory = options.dataDir === ':memory:';
    let lock: DataDirLock | undefined;
    if (!inMemory) {
      mkdirSync(options.dataDir, { recursive: true });
      lock = DataDirLock.acquire(`${options.dataDir}.lock`);
    }
    try {
      const worker = new Worker(PGLITE_WORKER, {
        workerData: {
          dataDir: inMemory ? undefined : options.dataDir,
          schema: options.schema && checkSchemaName(options.schema),
        },
        // The worker needs no loader hooks (it is JavaScript), and tsx's would cost it start-up time.
        execArgv: [],
      });
      await new Promise<void>((resolve, reject) => {
        const onMessage = (m: { ready?: boolean; startupError?: { message: string; code?: string } }) => {
          worker.off('error', onError);
          worker.off('exit', onExit);
          if (m.ready) resolve();
          else
            reject(
              Object.assign(new Error(m.startupError?.message ?? 'PGlite did not start'), {
                code: m.startupError?.code,
              }),
            );
        };
        const onError = (e: Error) => {
          worker.off('message', onMessage);
          reject(e);
        };
        const onExit = (code: number) => {
          worker.off('message', onMessage);
          reject(new Error(`PGlite worker exited during start-up (code ${code})`));
        };
        worker.once('message', onMessage);
        worker.once('error', onError);
        worker.once('exit', onExit);
      }).catch(async (error: unknown) => {
        await worker.terminate();
        throw error;
      });
      return new PgliteDatabase(worker, lock);
    } catch (error) {
      lock?.release();
      throw error;
    }
  }

  async query<R>(sql: string, params: unknown[] = []): Promise<QueryResult<R>> {
    await this.outsideTransactions();
    return toResult<R>(await this.call({ kind: 'query', sql, params }));
  }

  async transaction<T>(fn: (tx: TransactionClient) => Promise<T>): Promise<T> {
    let release!: () => void;
    const previous = this.gate;
    this.gate = new Promise<void>((resolve) => (release = resolve));
    try {
      await previous;
      const tx: TransactionClient = {
        query: async <R>(sql: string, params: unknown[] = []) =>
          toResult<R>(await this.call({ kind: 'query', sql, params })),
        exec: async (sql: string) => {
          await this.call({ kind: 'exec', sql });
        },
      };
      await this.call({ kind: 'query', sql: 'BEGIN', params: [] });
      try {
        const value = await fn(tx);
        await this.call({ kind: 'query', sql: 'COMMIT', params: [] });
        return value;
      } catch (error) {
        await this.call({ kind: 'query', sql: 'ROLLBACK', params: [] }).catch(() => undefined);
        throw error;
      }
    } finally {
      release();
    }
  }

  /** Compressed on the database thread (not a statement: no session, no gate). */
  async gzipBase64(texts: string[]): Promise<string[]> {
    const answer = await this.call({ kind: 'gzip', texts });
    return (answer.rows ?? []) as string[];
  }

  async close(): Promise<void> {
    this.closing ??= (async () => {
      try {
        if (!this.failure) {
          await this.outsideTransactions();
          await this.call({ kind: 'close' }).catch(() => undefined);
        }
        this.failure ??= new Error('PGlite is closed');
        await this.worker.terminate();
      } finally {
        this.lock?.release();
      }
    })();
    return this.closing;
  }

  /** Waits until no transaction holds the session (a new one may start while waiting: wait again). */
  private async outsideTransactions(): Promise<void> {
    for (;;) {
      const gate = this.gate;
      await gate;
      if (gate === this.gate) return;
    }
  }

  private call(request: WorkerRequest): Promise<WorkerAnswer> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<WorkerAnswer>((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, ...request });
    });
  }

  private settle(answer: WorkerAnswer): void {
    const waiting = this.pending.get(answer.id);
    if (!waiting) return;
    this.pending.delete(answer.id);
    if (this.pending.size === 0) this.worker.unref();
    if (answer.error) {
      const { code, severity, message } = answer.error;
      waiting.reject(Object.assign(new Error(message), { code, severity }));
    } else waiting.resolve(answer);
  }

  /** The worker is gone: every outstanding and future statement fails (store-unavailable). */
  private fail(error: Error): void {
    this.failure ??= error;
    for (const { reject } of this.pending.values()) reject(this.failure);
    this.pending.clear();
    this.worker.unref();
  }
}

function toResult<R>(answer: WorkerAnswer): QueryResult<R> {
  const rows = (answer.rows ?? []) as R[];
  return { rows, rowCount: answer.affectedRows || rows.length };
}

/**
 * One process at a time on a PGlite data directory: PGlite keeps no lock file of its own, and two
 * processes writing the same files would corrupt them. The lock file holds the owner's pid; a lock
 * left by a process that no longer runs (killed, crashed) is taken over.
 */
export class DataDirLock {
  private released = false;

  private constructor(readonly path: string) {}

  static acquire(path: string): DataDirLock {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(path, 'wx');
        try {
          writeSync(fd, `${process.pid}\n`);
        } finally {
          closeSync(fd);
        }
        return new DataDirLock(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const owner = Number.parseInt(safeRead(path), 10);
        if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isRunning(owner)) {
          throw new DatabaseFailure(
            'open',
            'data-dir-in-use',
            `open: the data directory is in use by process ${owner}; run one process per DATA_DIR, or set DATABASE_URL to share a PostgreSQL server`,
          );
        }
        // Stale: its owner is gone.
        try {
          unlinkSync(path);
        } catch (unlinkError) {
          if ((unlinkError as NodeJS.ErrnoException).code !== 'ENOENT') throw unlinkError;
        }
      }
    }
    throw new DatabaseFailure('open', 'data-dir-in-use', 'open: the data directory lock could not be taken');
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    try {
      if (Number.parseInt(safeRead(this.path), 10) === process.pid) unlinkSync(this.path);
    } catch {
      // Already gone: nothing to release.
    }
  }
}

function safeRead(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Accepts a lower-case schema name (letters, digits, underscores), so it never needs quoting. */
export function checkSchemaName(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`invalid schema name: ${name}`);
  return name;
}

/** Double-quotes a checked schema name for SQL. */
export function quoteIdentifier(name: string): string {
  return `"${checkSchemaName(name)}"`;
}
