import pg from 'pg';
import pino from 'pino';
import { PgDatabase, PgliteDatabase } from './database';
import { runMigrations } from './migrate';
import { MIGRATIONS, type Migration } from './migrations';
import { PostgresStore } from './postgres-store';
import { describeUnless } from '../test-support/skip';
import { dropSchema, randomSchemaName, testBackends } from './testing';

// Opening PGlite compiles PostgreSQL's WASM and runs initdb: seconds on a busy machine.
jest.setTimeout(60_000);

/** A migration of a newer build than this one (an id past the real ones). */
const EXTRA: Migration = {
  id: 99,
  name: 'extra-table',
  sql: 'CREATE TABLE migration_probe (id integer PRIMARY KEY); INSERT INTO migration_probe VALUES (1);',
};

describe('migrations on PGlite', () => {
  it('apply in order once, then find nothing to do', async () => {
    const db = await PgliteDatabase.open({ dataDir: ':memory:' });
    try {
      await expect(runMigrations(db, [EXTRA, ...MIGRATIONS])).resolves.toEqual({
        applied: [...MIGRATIONS.map((m) => m.id), 99],
        unknown: [],
      });
      await expect(runMigrations(db, [...MIGRATIONS, EXTRA])).resolves.toEqual({ applied: [], unknown: [] });
      const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM migration_probe');
      expect(rows[0]?.n).toBe(1);
    } finally {
      await db.close();
    }
  });

  it('report migrations a newer build applied without failing', async () => {
    const db = await PgliteDatabase.open({ dataDir: ':memory:' });
    try {
      await runMigrations(db, [...MIGRATIONS, EXTRA]);
      await expect(runMigrations(db, MIGRATIONS)).resolves.toEqual({ applied: [], unknown: [99] });
    } finally {
      await db.close();
    }
  });

  it('keep snapshots written before compressed storage readable after it', async () => {
    const db = await PgliteDatabase.open({ dataDir: ':memory:' });
    try {
      await runMigrations(
        db,
        MIGRATIONS.filter((m) => m.id === 1),
      );
      const id = '0b6f3a52-4f0e-4a39-9d7e-2f1c5b7a9e01';
      const legacy = { id, hook: 'patient-view', findings: [{ id: 'f1', label: 'eGFR 52' }] };
      await db.query(
        `INSERT INTO assessments (id, patient_id, created_at, assessment) VALUES ($1, 'p-old', '2025-01-01T00:00:00Z', $2::jsonb)`,
        [id, JSON.stringify(legacy)],
      );
      await expect(runMigrations(db, MIGRATIONS)).resolves.toEqual({
        applied: [2, 3, 4, 5, 6, 7, 8],
        unknown: [],
      });
      const store = new PostgresStore(db, { logger: pino({ level: 'silent' }) });
      await expect(store.getAssessment(id)).resolves.toMatchObject({
        patientId: 'p-old',
        assessment: legacy,
      });
      // A snapshot has at most one form: both is refused; neither is a row without one (migration 8),
      // read as no assessment.
      await expect(
        db.query(
          `INSERT INTO assessments (id, patient_id, created_at, assessment, assessment_gz)
           VALUES (gen_random_uuid(), 'p', now(), '{}'::jsonb, '\\x00'::bytea)`,
        ),
      ).rejects.toMatchObject({ code: '23514' });
      const bare = '5d0c8f7e-2b1a-4c3d-9e8f-7a6b5c4d3e2f';
      await db.query(`INSERT INTO assessments (id, patient_id, created_at) VALUES ($1, 'p', now())`, [bare]);
      await expect(store.getAssessment(bare)).resolves.toBeUndefined();
    } finally {
      await db.close();
    }
  });

  it('roll back entirely when one fails, leaving nothing half-applied', async () => {
    const db = await PgliteDatabase.open({ dataDir: ':memory:' });
    try {
      const broken: Migration = {
        id: 100,
        name: 'broken',
        sql: 'CREATE TABLE half_done (id int); SELECT no_such_function();',
      };
      await expect(runMigrations(db, [...MIGRATIONS, broken])).rejects.toThrow();
      const { rows } = await db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name IN ('half_done', 'assessments', 'schema_migrations')",
      );
      expect(rows[0]?.n).toBe(0);
    } finally {
      await db.close();
    }
  });
});

const postgres = testBackends().find((b) => b.name === 'postgres');
const databaseUrl = process.env.TEST_DATABASE_URL ?? '';

describeUnless(postgres?.skip, 'migrations on a PostgreSQL server', () => {
  let schema: string;
  beforeEach(() => {
    schema = randomSchemaName();
  });
  afterEach(async () => {
    await dropSchema(databaseUrl, schema);
  });

  const open = () =>
    new PgDatabase({ connectionString: databaseUrl, logger: pino({ level: 'silent' }), schema });

  it('let several replicas starting together apply each migration exactly once', async () => {
    const replicas = [open(), open(), open(), open()];
    // Hold the migration lock so that every replica is queued behind it before any can start.
    const holder = new pg.Client({ connectionString: databaseUrl });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock(hashtext($1))', [`rationale:migrations:${schema}`]);
      const running = replicas.map((db) => runMigrations(db, [...MIGRATIONS, EXTRA], { schema }));
      await waitForLockWaiters(holder, `rationale:migrations:${schema}`, replicas.length);
      await holder.query('SELECT pg_advisory_unlock(hashtext($1))', [`rationale:migrations:${schema}`]);
      const results = await Promise.all(running);
      expect(results.flatMap((r) => r.applied).sort((a, b) => a - b)).toEqual([
        ...MIGRATIONS.map((m) => m.id),
        99,
      ]);
      expect(results.filter((r) => r.applied.length === 0)).toHaveLength(replicas.length - 1);
      const { rows } = await holder.query(`SELECT id FROM "${schema}".schema_migrations ORDER BY id`);
      expect(rows.map((r: { id: number }) => r.id)).toEqual([...MIGRATIONS.map((m) => m.id), 99]);
      const probe = await holder.query(`SELECT count(*)::int AS n FROM "${schema}".migration_probe`);
      expect(probe.rows[0].n).toBe(1);
    } finally {
      await holder.end();
      await Promise.all(replicas.map((db) => db.close()));
    }
  });

  it('let two stores created at the same moment on one schema both start', async () => {
    const [a, b] = await Promise.all([postgres!.open({ schema }), postgres!.open({ schema })]);
    try {
      await expect(a.store.appliedMigrations()).resolves.toEqual(MIGRATIONS.map((m) => m.id));
      await expect(b.store.rememberJti('iss', 'j', new Date(Date.now() + 60_000))).resolves.toBe(true);
      await expect(a.store.rememberJti('iss', 'j', new Date(Date.now() + 60_000))).resolves.toBe(false);
    } finally {
      await a.store.close();
      await b.store.close();
    }
  });
});

/** Waits until `n` sessions are blocked on the named advisory lock (each replica queued behind the holder). */
async function waitForLockWaiters(client: pg.Client, lockName: string, n: number): Promise<void> {
  for (;;) {
    const { rows } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_locks
        WHERE locktype = 'advisory' AND NOT granted
          AND ((classid::bigint << 32) | objid::bigint) = hashtext($1)::bigint`,
      [lockName],
    );
    if ((rows[0]?.n ?? 0) >= n) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
}
