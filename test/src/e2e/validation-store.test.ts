/**
 * `rationale validate --store`: the report carries the service's own figures from its store
 * (silent-mode volume, acceptance and override rates with the override reasons), read from the
 * same database the service uses: a PostgreSQL server (DATABASE_URL, TEST_DATABASE_URL here) and
 * the embedded database under DATA_DIR. Cards and feedback are written through the store as the
 * service writes them; the real CLI reads them back into report.json, store.csv and report.html.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import pino from 'pino';
import { createStore } from '../../../cds-service/src/store';
import { sampleIssuedCard } from '../../../cds-service/src/store/testing';
import type { IssuedCard } from '../../../cds-service/src/store/store';
import { rationale, readReport, type CliOptions } from '../support/rationale-cli';
import { linkSyntheaBundles, SYNTHEA } from '../support/synthea';

const DATABASE_URL = process.env.TEST_DATABASE_URL;
const PATIENTS = 4;
const DAY = (n: number) => new Date(Date.UTC(2026, 2, 2 + n, 10));

const describeWithData = existsSync(SYNTHEA) ? describe : describe.skip;
const itWithDb = DATABASE_URL ? it : it.skip;

interface StoreRow {
  topic: string;
  shown: number;
  silent: number;
  accepted: number;
  overridden: number;
  acceptanceRate: number | null;
  overrideRate: number | null;
  overrideReasons: Record<string, number>;
}

const card = (topic: string, issuedAt: Date, silent = false) => sampleIssuedCard(topic, issuedAt, { silent });

/** What a month of service leaves in the store: 4 CKD cards shown, 2 withheld, 1 AF card shown. */
async function seed(store: Awaited<ReturnType<typeof createStore>>): Promise<void> {
  const ckd = [card('dxckd', DAY(0)), card('dxckd', DAY(1)), card('dxckd', DAY(2)), card('dxckd', DAY(3))];
  const af = card('rxafanticoagulation', DAY(4));
  const silent = [card('dxckd', DAY(5), true), card('dxckd', DAY(6), true)];
  // Outside the range the report asks for: not counted.
  const late = card('dxckd', new Date(Date.UTC(2026, 5, 1)));
  await store.recordIssuedCards([...ckd, af, ...silent, late]);
  const outcome = (c: IssuedCard, o: 'accepted' | 'overridden', reason?: string) => ({
    card: c.cardUuid,
    outcome: o,
    outcomeTimestamp: new Date(c.issuedAt.getTime() + 3_600_000).toISOString(),
    ...(o === 'accepted' ? { acceptedSuggestions: [{ id: 's' }] } : {}),
    ...(reason ? { overrideReason: { reason: { code: reason } } } : {}),
  });
  await store.saveFeedback(
    'rationale-patient-view',
    [
      outcome(ckd[0]!, 'accepted'),
      outcome(ckd[1]!, 'overridden', 'patient-declined'),
      outcome(ckd[2]!, 'overridden', 'patient-declined'),
      outcome(af, 'overridden', 'contraindicated'),
    ],
    DAY(7),
  );
}

const EXPECTED: StoreRow[] = [
  {
    topic: 'dxckd',
    shown: 4,
    silent: 2,
    accepted: 1,
    overridden: 2,
    acceptanceRate: 0.25,
    overrideRate: 0.5,
    overrideReasons: { 'patient-declined': 2 },
  },
  {
    topic: 'rxafanticoagulation',
    shown: 1,
    silent: 0,
    accepted: 0,
    overridden: 1,
    acceptanceRate: 0,
    overrideRate: 1,
    overrideReasons: { contraindicated: 1 },
  },
];

describeWithData('rationale validate --store', () => {
  let dir: string;
  const schema = `vs_${randomBytes(6).toString('hex')}`;
  const baseEnv = () => {
    const env = { ...process.env };
    delete env['DATABASE_URL'];
    delete env['DATA_DIR'];
    return env;
  };
  const validate = (options: CliOptions, env: NodeJS.ProcessEnv) =>
    rationale(
      'validate',
      { bundles: join(dir, 'bundles'), mode: 'cross-sectional', threads: 1, replicates: 20, ...options },
      { env, timeoutMs: 300_000 },
    );
  const reportOf = (name: string) =>
    readReport<{ store?: { from: string; to: string; rows: StoreRow[] } }>(dir, name);
  const range = { storeFrom: '2026-03-01', storeTo: '2026-03-31' };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'validation-store-'));
    linkSyntheaBundles(join(dir, 'bundles'), PATIENTS);
  });

  afterAll(async () => {
    if (DATABASE_URL) {
      const db = new pg.Client({ connectionString: DATABASE_URL });
      await db.connect();
      await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await db.end();
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  itWithDb(
    'reads silent-mode volume, acceptance and override rates with reasons from PostgreSQL',
    async () => {
      const store = await createStore({
        databaseUrl: DATABASE_URL,
        dataDir: ':memory:',
        schema,
        logger: pino({ level: 'silent' }),
      });
      try {
        await seed(store);
      } finally {
        await store.close();
      }
      // The service's tables in their own schema: the connection's search_path finds them.
      const url = `${DATABASE_URL}${DATABASE_URL!.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
      await validate({ store: true, ...range, out: join(dir, 'pg') }, { ...baseEnv(), DATABASE_URL: url });

      const report = reportOf('pg');
      expect(report.store).toEqual({
        from: '2026-03-01T00:00:00.000Z',
        to: '2026-04-01T00:00:00.000Z',
        rows: EXPECTED,
      });
      const csv = readFileSync(join(dir, 'pg', 'store.csv'), 'utf8')
        .trim()
        .split('\n');
      expect(csv).toEqual([
        'topic,shown,silent,accepted,overridden,acceptance_rate,override_rate,override_reasons',
        'dxckd,4,2,1,2,0.25,0.5,patient-declined:2',
        'rxafanticoagulation,1,0,0,1,0,1,contraindicated:1',
      ]);
      const html = readFileSync(join(dir, 'pg', 'report.html'), 'utf8');
      const section = /<section id="store">([\s\S]*?)<\/section>/.exec(html)?.[1] ?? '';
      expect(section).toContain('silent mode, acceptance and overrides');
      expect(section).toContain('<th>dxckd</th><td>4</td><td>2</td><td>1</td><td>2</td>');
      expect(section).toContain('patient-declined 2');
      expect(section).toContain('contraindicated 1');
    },
    300_000,
  );

  it('reads the embedded database under DATA_DIR, as the service keeps it', async () => {
    const dataDir = join(dir, 'data');
    const store = await createStore({ dataDir, logger: pino({ level: 'silent' }) });
    try {
      await seed(store);
    } finally {
      await store.close();
    }
    await validate({ store: true, ...range, out: join(dir, 'pglite') }, { ...baseEnv(), DATA_DIR: dataDir });
    expect(reportOf('pglite').store?.rows).toEqual(EXPECTED);
  }, 300_000);

  it('leaves the store out without --store, and refuses a store that is not there', async () => {
    await validate({ out: join(dir, 'none') }, baseEnv());
    expect(reportOf('none').store).toBeUndefined();
    expect(readdirSync(join(dir, 'none'))).not.toContain('store.csv');
    const missing = join(dir, 'no-such-data');
    await expect(
      validate({ store: true, out: join(dir, 'missing') }, { ...baseEnv(), DATA_DIR: missing }),
    ).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('--store: there is no store') });
    expect(existsSync(missing)).toBe(false);
  }, 300_000);
});
