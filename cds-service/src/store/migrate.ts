/**
 * Applies the migrations in one transaction under a transaction-scoped advisory lock, so several
 * replicas starting at once take turns: the first applies what is missing, the others then find
 * nothing to do. Idempotent; safe on every start (DESIGN.md §7).
 */
import type { Database } from './database';
import { quoteIdentifier } from './database';
import type { Migration } from './migrations';

export interface MigrationResult {
  applied: number[];
  /** Migrations recorded in the database that this build does not know (a newer replica ran them). */
  unknown: number[];
}

/** Migrations may wait behind another replica's; they get longer than a request's statement timeout. */
const MIGRATION_TIMEOUT_MS = 120_000;

export async function runMigrations(
  db: Database,
  migrations: readonly Migration[],
  options: { schema?: string } = {},
): Promise<MigrationResult> {
  const ordered = [...migrations].sort((a, b) => a.id - b.id);
  const lockName = `rationale:migrations:${options.schema ?? 'default'}`;
  return db.transaction(
    async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [lockName]);
      if (options.schema) await tx.exec(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(options.schema)}`);
      await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
        id integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
      const { rows } = await tx.query<{ id: number }>('SELECT id FROM schema_migrations ORDER BY id');
      const done = new Set(rows.map((r) => Number(r.id)));
      const applied: number[] = [];
      for (const migration of ordered) {
        if (done.has(migration.id)) continue;
        await tx.exec(migration.sql);
        await tx.query('INSERT INTO schema_migrations (id, name) VALUES ($1, $2)', [
          migration.id,
          migration.name,
        ]);
        applied.push(migration.id);
      }
      const known = new Set(ordered.map((m) => m.id));
      return { applied, unknown: [...done].filter((id) => !known.has(id)) };
    },
    { timeoutMs: MIGRATION_TIMEOUT_MS },
  );
}
