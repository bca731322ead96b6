import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import pino from 'pino';
import { CdsError } from '../errors';
import { createStore } from './index';
import { MIGRATIONS } from './migrations';
import { sampleAssessment } from './testing';

const WRITER = path.join(__dirname, 'fixtures', 'durability-writer.ts');
const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/** Acks to wait for before the kill: enough that the kill lands in the middle of a burst. */
const KILL_AFTER_ACKS = 60;

describe('PGlite on disk', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = path.join(mkdtempSync(path.join(tmpdir(), 'rationale-durability-')), 'pgdata');
  });
  afterEach(() => {
    rmSync(path.dirname(dataDir), { recursive: true, force: true });
  });

  it('keeps every acknowledged feedback entry when the process is killed with SIGKILL mid-burst', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dataDir, '100000'], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const acked: string[] = [];
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
      child.on('exit', (code, signal) => resolve(signal ?? code)),
    );
    // Every line the child printed before it died is read, including those still in the pipe.
    const lines = createInterface({ input: child.stdout });
    for await (const line of lines) {
      if (line.startsWith('ack ')) {
        acked.push(line.slice(4));
        if (acked.length === KILL_AFTER_ACKS) child.kill('SIGKILL');
      }
    }
    const ending = await exited;
    expect({ ending, stderr }).toEqual({ ending: 'SIGKILL', stderr: '' });
    expect(acked.length).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);

    const reopened = await createStore({ dataDir, logger: pino({ level: 'silent' }) });
    try {
      const stored = await reopened.feedbackFor(acked);
      const storedCards = new Set(stored.map((f) => f.cardUuid));
      expect(acked.filter((card) => !storedCards.has(card))).toEqual([]);
      // The database is usable after recovery: the next write lands and a repeat is still a duplicate.
      await expect(
        reopened.saveFeedback(
          'rationale-patient-view',
          [{ card: acked[0] ?? '', outcome: 'overridden', outcomeTimestamp: '2025-01-01T00:00:00Z' }],
          new Date(),
        ),
      ).resolves.toEqual({ stored: 0, duplicates: 1 });
    } finally {
      await reopened.close();
    }
  }, 120_000);

  it('keeps data across a clean close and reopen', async () => {
    // A long write-behind delay: what is still queued at close must be written by close.
    const first = await createStore({ dataDir, logger: pino({ level: 'silent' }), writeDelayMs: 60_000 });
    await first.snooze({
      patientId: 'p-disk',
      topic: 'dxckd',
      until: new Date('2100-01-01T00:00:00Z'),
      reason: 'overridden',
      createdAt: new Date(),
    });
    const tokenExpires = new Date(Date.now() + 300_000);
    // A jti is acknowledged once it is in the journal beside the database (jti-journal.ts).
    const jtiRemembered = first.rememberJti('https://ehr.example', 'jti-before-restart', tokenExpires);
    const assessmentId = randomUUID();
    const hookWritten = first.recordHook({
      assessment: {
        assessment: sampleAssessment('p-disk', assessmentId),
        patientId: 'p-disk',
        createdAt: new Date(),
      },
      keepSnapshot: true,
      cards: [],
      audit: { at: new Date(), action: 'hook', patientId: 'p-disk', assessmentId, outcome: 'ok' },
    });
    await first.close();
    await expect(hookWritten).resolves.toBeUndefined();
    await expect(jtiRemembered).resolves.toBe(true);
    const second = await createStore({ dataDir, logger: pino({ level: 'silent' }) });
    try {
      expect(await second.activeSnoozes('p-disk', new Date('2099-01-01T00:00:00Z'))).toEqual(
        new Set(['dxckd']),
      );
      await expect(second.appliedMigrations()).resolves.toEqual(MIGRATIONS.map((m) => m.id));
      // A token seen before the restart is still a replay after it.
      await expect(
        second.rememberJti('https://ehr.example', 'jti-before-restart', tokenExpires),
      ).resolves.toBe(false);
      await expect(second.getAssessment(assessmentId)).resolves.toMatchObject({ patientId: 'p-disk' });
    } finally {
      await second.close();
    }
  }, 60_000);

  it('answers a JWT id once its journal line is written, without waiting for a statement, and refuses it after a restart', async () => {
    const first = await createStore({ dataDir, logger: pino({ level: 'silent' }), writeDelayMs: 60_000 });
    const expires = new Date(Date.now() + 300_000);
    const claim = await first.claimJti('https://ehr.example', 'jti-journalled', expires, new Date());
    expect(claim.fresh).toBe(true);
    // Settled at once: with a minute's write-behind delay, a database write would still be queued.
    await expect(
      Promise.race([claim.stored.then(() => 'stored'), new Promise((r) => setImmediate(r, 'waiting'))]),
    ).resolves.toBe('stored');
    await first.close();
    const second = await createStore({ dataDir, logger: pino({ level: 'silent' }) });
    try {
      await expect(second.jtiCount()).resolves.toBe(0); // not in the table: the journal refuses it
      await expect(second.rememberJti('https://ehr.example', 'jti-journalled', expires)).resolves.toBe(false);
      await expect(second.rememberJti('https://ehr.example', 'jti-new', expires)).resolves.toBe(true);
    } finally {
      await second.close();
    }
  }, 60_000);

  it('stores JWT ids in the database when the journal folder cannot be used, and still refuses a replay after a restart', async () => {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(path.join(dataDir, 'jti'), 'not a folder\n');
    const first = await createStore({ dataDir, logger: pino({ level: 'silent' }) });
    const expires = new Date(Date.now() + 300_000);
    await expect(first.rememberJti('https://ehr.example', 'jti-in-table', expires)).resolves.toBe(true);
    await expect(first.jtiCount()).resolves.toBe(1);
    await first.close();
    const second = await createStore({ dataDir, logger: pino({ level: 'silent' }) });
    try {
      await expect(second.rememberJti('https://ehr.example', 'jti-in-table', expires)).resolves.toBe(false);
    } finally {
      await second.close();
    }
  }, 60_000);

  it('refuses a data directory another running process holds, and takes over one left by a dead process', async () => {
    const lockFile = path.join(dataDir, 'pglite.lock');
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(lockFile, `${process.ppid}\n`); // a live process that is not this one
    const refused = createStore({ dataDir, logger: pino({ level: 'silent' }) });
    await expect(refused).rejects.toBeInstanceOf(CdsError);
    await expect(refused).rejects.toMatchObject({
      code: 'store-unavailable',
      message: expect.stringContaining('in use by process'),
    });

    const dead = spawn(process.execPath, ['-e', '']);
    const deadPid = dead.pid;
    await new Promise((resolve) => dead.on('exit', resolve));
    writeFileSync(lockFile, `${deadPid}\n`);
    const store = await createStore({ dataDir, logger: pino({ level: 'silent' }) });
    await store.close();
    expect(existsSync(lockFile)).toBe(false);
  }, 60_000);
});
