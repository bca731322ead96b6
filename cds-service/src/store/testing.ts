/**
 * Test support for code that needs a real store: the same tests run on embedded PGlite and, when
 * TEST_DATABASE_URL names a PostgreSQL server (CI starts one), on that server, each run in a fresh
 * schema dropped afterwards so parallel runs and reruns never collide.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import type { Assessment } from '@rationale/shared-types';
import pg from 'pg';
import pino, { type Logger } from 'pino';
import { quoteIdentifier } from './database';
import { createStore, type CreateStoreOptions } from './index';
import type { PostgresStore } from './postgres-store';
import type { IssuedCard } from './store';

export interface TestBackend {
  name: 'pglite' | 'postgres';
  /** Set when the backend cannot run here, with the reason. */
  skip?: string;
  /** Opens a store in a fresh database (PGlite in memory) or a fresh schema (PostgreSQL). */
  open(overrides?: Partial<CreateStoreOptions>): Promise<OpenedStore>;
}

export interface OpenedStore {
  store: PostgresStore;
  schema?: string;
  /** Closes the store and drops its schema. */
  cleanup(): Promise<void>;
}

/** A small valid assessment for `patientId`, to store and read back. */
export function sampleAssessment(
  patientId: string,
  id = randomUUID(),
  assessedAt = '2025-03-03T10:00:00.000Z',
): Assessment {
  return {
    id,
    model: { name: 'rationale-knowledge-model', version: '1.0.0', knowledgeBaseHash: 'sha256-abc' },
    assessedAt,
    patient: { reference: `Patient/${patientId}`, ageYears: 61, sex: 'female' },
    hook: 'patient-view',
    findings: [],
    hypotheses: [],
    nextBestTests: [],
    scores: [],
    recommendations: [],
    safety: [],
    citations: [],
    dataGaps: ['No lipid panel in 5 years'],
  };
}

/** A patient-view card on `topic` issued at `issuedAt`, to a patient and hook call of its own. */
export function sampleIssuedCard(
  topic: string,
  issuedAt: Date,
  overrides: Partial<IssuedCard> = {},
): IssuedCard {
  return {
    cardUuid: randomUUID(),
    serviceId: 'rationale-patient-view',
    hook: 'patient-view',
    hookInstance: randomUUID(),
    patientId: `p-${randomUUID()}`,
    topic,
    indicator: 'info',
    suggestionUuids: [],
    silent: false,
    issuedAt,
    ...overrides,
  };
}

/** A logger whose output is kept in `lines`, to assert on what was (and was not) logged. */
export function captureLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString('utf8'));
      callback();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

export function randomSchemaName(): string {
  return `test_${randomBytes(6).toString('hex')}`;
}

/** Drops a test schema and everything in it. */
export async function dropSchema(databaseUrl: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`);
  } finally {
    await client.end();
  }
}

/** PGlite always; PostgreSQL when TEST_DATABASE_URL is set (skipped, with the reason, otherwise). */
export function testBackends(env: NodeJS.ProcessEnv = process.env): TestBackend[] {
  const databaseUrl = env.TEST_DATABASE_URL;
  return [
    {
      name: 'pglite',
      async open(overrides = {}) {
        const store = await createStore({
          dataDir: ':memory:',
          logger: pino({ level: 'silent' }),
          ...overrides,
        });
        return { store, cleanup: () => store.close() };
      },
    },
    {
      name: 'postgres',
      ...(databaseUrl ? {} : { skip: 'TEST_DATABASE_URL is not set' }),
      async open(overrides = {}) {
        if (!databaseUrl) throw new Error('TEST_DATABASE_URL is not set');
        const schema = overrides.schema ?? randomSchemaName();
        const store = await createStore({
          databaseUrl,
          dataDir: ':memory:',
          logger: pino({ level: 'silent' }),
          schema,
          ...overrides,
        });
        return {
          store,
          schema,
          cleanup: async () => {
            await store.close();
            await dropSchema(databaseUrl, schema);
          },
        };
      },
    },
  ];
}
