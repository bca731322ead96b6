/**
 * The store's composition: `createStore` picks the driver (a PostgreSQL server when `databaseUrl`
 * is set, embedded PGlite under `dataDir` otherwise), runs the migrations and hands back a Store.
 */
import path from 'node:path';
import type { Logger } from 'pino';
import { CdsError } from '../errors';
import { PgDatabase, PgliteDatabase, toDatabaseFailure, type Database } from './database';
import { PostgresStore } from './postgres-store';

export type { Store } from './store';
export { PostgresStore } from './postgres-store';

export interface CreateStoreOptions {
  /** postgres://… (DATABASE_URL); unset: embedded PGlite under `dataDir`. */
  databaseUrl?: string;
  /**
   * DATA_DIR: PGlite keeps its files in `<dataDir>/pglite`, locked to one process by
   * `<dataDir>/pglite.lock`; ':memory:' keeps everything in memory (tests).
   */
  dataDir: string;
  logger: Logger;
  /** Tables in this schema instead of the default search_path (tests isolate themselves this way). */
  schema?: string;
  /** Apply pending migrations before resolving; default true. */
  migrate?: boolean;
  /** PostgreSQL server only: pool size and timeouts (ms), so a dead database fails fast. */
  maxConnections?: number;
  connectionTimeoutMs?: number;
  statementTimeoutMs?: number;
  jtiPurgeIntervalMs?: number;
  /** Write-behind of hook records: how long the first waits (ms) and how many go in one write. */
  writeDelayMs?: number;
  writeBatchSize?: number;
}

/**
 * Opens the store and, unless told otherwise, migrates it. Rejects with `store-unavailable` when the
 * database cannot be opened or migrated, so start-up fails with a clear cause.
 */
export async function createStore(options: CreateStoreOptions): Promise<PostgresStore> {
  const logger = options.logger;
  let db: Database;
  let jtiJournalDir: string | undefined;
  if (options.databaseUrl) {
    db = new PgDatabase({
      connectionString: options.databaseUrl,
      logger,
      schema: options.schema,
      maxConnections: options.maxConnections,
      connectionTimeoutMs: options.connectionTimeoutMs,
      statementTimeoutMs: options.statementTimeoutMs,
    });
  } else {
    try {
      const dataDir = options.dataDir === ':memory:' ? ':memory:' : path.join(options.dataDir, 'pglite');
      db = await PgliteDatabase.open({ dataDir, schema: options.schema });
      if (options.dataDir !== ':memory:')
        jtiJournalDir = path.join(options.dataDir, options.schema ? `jti-${options.schema}` : 'jti');
    } catch (error) {
      const failure = toDatabaseFailure('open', error);
      throw new CdsError(
        'store-unavailable',
        `The embedded database could not be opened: ${failure.message}`,
        {
          cause: failure,
        },
      );
    }
  }
  const store = new PostgresStore(db, {
    logger,
    schema: options.schema,
    jtiPurgeIntervalMs: options.jtiPurgeIntervalMs,
    ...(jtiJournalDir ? { jtiJournalDir } : {}),
    writeDelayMs: options.writeDelayMs,
    writeBatchSize: options.writeBatchSize,
  });
  if (options.migrate !== false) {
    try {
      await store.migrate();
    } catch (error) {
      await store.close().catch(() => undefined);
      throw error;
    }
  }
  logger.info({ driver: db.driver }, 'store ready');
  return store;
}
