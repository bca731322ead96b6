import { readdirSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { PgliteDatabase } from './database';

/** Nice values of this process's threads (Linux /proc; empty elsewhere). */
function threadNiceValues(): number[] {
  try {
    return readdirSync('/proc/self/task').map((tid) => {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
    });
  } catch {
    return [];
  }
}

// Opening PGlite compiles PostgreSQL's WASM and runs initdb: seconds on a busy machine.
jest.setTimeout(60_000);

describe('PgliteDatabase (PGlite on its own thread)', () => {
  let db: PgliteDatabase;
  beforeAll(async () => {
    db = await PgliteDatabase.open({ dataDir: ':memory:' });
    await db.query('CREATE TABLE t (v text PRIMARY KEY)');
  });
  afterAll(async () => {
    await db.close();
  });

  it('answers statements with rows and counts, and typed values come back typed', async () => {
    await expect(db.query('INSERT INTO t (v) VALUES ($1), ($2)', ['a', 'b'])).resolves.toEqual({
      rows: [],
      rowCount: 2,
    });
    const { rows } = await db.query<{ n: number; at: Date; doc: unknown }>(
      `SELECT count(*)::int AS n, '2025-01-02T03:04:05Z'::timestamptz AS at, '{"k":[1]}'::jsonb AS doc FROM t WHERE v = ANY($1)`,
      [['a', 'b']],
    );
    expect(rows).toEqual([{ n: 2, at: new Date('2025-01-02T03:04:05Z'), doc: { k: [1] } }]);
  });

  it('keeps statements from outside a transaction out of it: a rollback does not take them along', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const tx = db.transaction(async (t) => {
      await t.query("INSERT INTO t (v) VALUES ('inside')");
      await held;
      throw new Error('roll back');
    });
    // Issued while the transaction is open: it must wait and run after the rollback.
    const outside = db.query("INSERT INTO t (v) VALUES ('outside')");
    await new Promise((r) => setTimeout(r, 50));
    release();
    await expect(tx).rejects.toThrow('roll back');
    await outside;
    const { rows } = await db.query<{ v: string }>(
      "SELECT v FROM t WHERE v IN ('inside', 'outside') ORDER BY v",
    );
    expect(rows).toEqual([{ v: 'outside' }]);
  });

  it('commits a transaction and returns its value', async () => {
    const n = await db.transaction(async (t) => {
      await t.exec("INSERT INTO t (v) VALUES ('c1'); INSERT INTO t (v) VALUES ('c2');");
      const { rows } = await t.query<{ n: number }>("SELECT count(*)::int AS n FROM t WHERE v LIKE 'c%'");
      return rows[0]?.n;
    });
    expect(n).toBe(2);
  });

  it('hands back an error as its SQLSTATE and severity', async () => {
    await expect(db.query('SELECT $1::uuid', ['not-a-uuid'])).rejects.toMatchObject({
      code: '22P02',
      severity: 'ERROR',
    });
    await expect(db.query("INSERT INTO t (v) VALUES ('a')")).rejects.toMatchObject({ code: '23505' });
    // The session is usable after a failed statement.
    await expect(db.query('SELECT 1 AS one')).resolves.toMatchObject({ rows: [{ one: 1 }] });
  });

  (process.platform === 'linux' ? it : it.skip)(
    'runs the database thread at a lower priority (nice 10) than the rest',
    () => {
      const nice = threadNiceValues();
      expect(nice).toContain(10);
      expect(nice.filter((n) => n === 10)).toHaveLength(1);
    },
  );

  it('compresses texts on its own thread: gzip, base64, one per text, in order', async () => {
    const texts = [JSON.stringify({ id: 'a', findings: Array(50).fill('eGFR 52') }), '', 'ünïcode ✓'];
    const out = await db.gzipBase64(texts);
    expect(out).toHaveLength(3);
    expect(out.map((b) => gunzipSync(Buffer.from(b, 'base64')).toString('utf8'))).toEqual(texts);
    expect(Buffer.from(out[0] as string, 'base64').length).toBeLessThan((texts[0] as string).length / 4);
  });

  it('refuses statements once closed', async () => {
    const other = await PgliteDatabase.open({ dataDir: ':memory:' });
    await other.close();
    await expect(other.query('SELECT 1')).rejects.toThrow('PGlite is closed');
    await expect(other.close()).resolves.toBeUndefined();
  });
});
