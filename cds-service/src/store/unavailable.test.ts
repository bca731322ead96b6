import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { CdsError } from '../errors';
import { PgDatabase, toDatabaseFailure } from './database';
import { createStore } from './index';
import { describeUnless } from '../test-support/skip';
import { captureLogger, testBackends } from './testing';

// Opening PGlite compiles PostgreSQL's WASM and runs initdb: seconds on a busy machine.
jest.setTimeout(60_000);

/** A port with nothing listening: bind, note the port, close. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('a database that does not answer', () => {
  it('maps a refused connection to store-unavailable on every call, and reports unhealthy', async () => {
    const port = await closedPort();
    const store = await createStore({
      databaseUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
      dataDir: ':memory:',
      logger: pino({ level: 'silent' }),
      migrate: false,
      connectionTimeoutMs: 1_000,
    });
    try {
      await expect(store.healthy()).resolves.toBe(false);
      const saving = store.saveFeedback(
        'rationale-patient-view',
        [{ card: 'c-1', outcome: 'overridden', outcomeTimestamp: '2025-01-01T00:00:00Z' }],
        new Date(),
      );
      await expect(saving).rejects.toBeInstanceOf(CdsError);
      await expect(saving).rejects.toMatchObject({ code: 'store-unavailable' });
      await expect(store.rememberJti('iss', 'jti', new Date())).rejects.toMatchObject({
        code: 'store-unavailable',
      });
      await expect(store.getAssessment('7d444840-9dc0-11d1-b245-5ffdce74fad2')).rejects.toMatchObject({
        code: 'store-unavailable',
      });
      await expect(store.activeSnoozes('p', new Date())).rejects.toMatchObject({ code: 'store-unavailable' });
    } finally {
      await store.close();
    }
  });

  it('fails start-up with store-unavailable when the migrations cannot run', async () => {
    const port = await closedPort();
    await expect(
      createStore({
        databaseUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
        dataDir: ':memory:',
        logger: pino({ level: 'silent' }),
      }),
    ).rejects.toMatchObject({ code: 'store-unavailable' });
  });

  describe('a server that accepts the connection and then says nothing', () => {
    let server: Server;
    const sockets = new Set<Socket>();
    let port: number;
    beforeAll(async () => {
      server = createServer((socket) => {
        sockets.add(socket); // held open, never answered
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    });

    it('gives up after the connection timeout instead of hanging the request', async () => {
      const store = await createStore({
        databaseUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
        dataDir: ':memory:',
        logger: pino({ level: 'silent' }),
        migrate: false,
        connectionTimeoutMs: 200,
      });
      try {
        await expect(store.rememberJti('iss', 'jti-1', new Date())).rejects.toMatchObject({
          code: 'store-unavailable',
        });
        await expect(store.healthy()).resolves.toBe(false);
      } finally {
        await store.close();
      }
    });
  });
});

const postgres = testBackends().find((b) => b.name === 'postgres');
describeUnless(postgres?.skip, 'statement timeout on a PostgreSQL server', () => {
  it('cancels a statement that runs past the timeout, as an unavailable database', async () => {
    const db = new PgDatabase({
      connectionString: process.env.TEST_DATABASE_URL ?? '',
      logger: pino({ level: 'silent' }),
      statementTimeoutMs: 100,
    });
    try {
      const error = await db.query('SELECT pg_sleep(10)').then(
        () => undefined,
        (e: unknown) => e,
      );
      const failure = toDatabaseFailure('sleep', error);
      expect(failure.code).toBe('57014'); // query_canceled
      expect(failure.message).toContain('database unavailable');
    } finally {
      await db.close();
    }
  });
});

for (const backend of testBackends()) {
  describeUnless(backend.skip, `failures on ${backend.name} leak no values`, () => {
    const CANARY = 'CANARY-7f3a comment typed by a clinician';

    it('rejects bad input as invalid-request (not an outage) whose message, cause and logs hold no parameter', async () => {
      const { logger, lines } = captureLogger();
      const opened = await backend.open({ logger });
      try {
        const failing = opened.store.saveFeedback(
          'rationale-patient-view',
          [
            {
              card: 'c-1',
              outcome: 'overridden',
              outcomeTimestamp: `not a time ${CANARY}`,
              overrideReason: { userComment: CANARY },
            },
          ],
          new Date(),
        );
        const error = await failing.then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(CdsError);
        expect(error).toMatchObject({ code: 'invalid-request' });
        const cause = (error as CdsError).cause as Error & { code?: string };
        expect(cause.code).toBe('22007'); // invalid_datetime_format
        expect(`${(error as Error).message} ${cause.message} ${JSON.stringify(cause)}`).not.toContain(
          'CANARY',
        );
        expect(lines.join('')).toContain('database operation failed');
        expect(lines.join('')).not.toContain('CANARY');
      } finally {
        await opened.cleanup();
      }
    });

    it('answers store-unavailable once closed', async () => {
      const opened = await backend.open();
      await opened.cleanup();
      await expect(opened.store.activeSnoozes('p', new Date())).rejects.toMatchObject({
        code: 'store-unavailable',
      });
      await expect(opened.store.healthy()).resolves.toBe(false);
    });
  });
}
