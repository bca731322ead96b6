import { appendFileSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { JtiJournal } from './jti-journal';

const T0 = Date.parse('2026-12-07T04:00:00Z');
const MIN = 60_000;

describe('JWT id journal', () => {
  let dir: string;
  beforeEach(() => {
    dir = path.join(mkdtempSync(path.join(tmpdir(), 'jti-journal-')), 'jti');
  });
  afterEach(() => rmSync(path.dirname(dir), { recursive: true, force: true }));

  it('gives back after a restart every id appended that has not expired', () => {
    const a = new JtiJournal(dir);
    expect(a.load(T0)).toEqual([]);
    a.append({ issuer: 'https://ehr-a.example', jti: 'one', expiresAt: T0 + 5 * MIN }, T0);
    a.append({ issuer: 'https://ehr-b.example', jti: 'two', expiresAt: T0 + 10 * MIN }, T0 + 1);
    a.append({ issuer: 'https://ehr-a.example', jti: 'short', expiresAt: T0 + MIN }, T0 + 2);
    // No close: a killed process closes nothing; what was appended is on disk already.
    const b = new JtiJournal(dir);
    expect(b.load(T0 + 2 * MIN)).toEqual([
      { issuer: 'https://ehr-a.example', jti: 'one', expiresAt: T0 + 5 * MIN },
      { issuer: 'https://ehr-b.example', jti: 'two', expiresAt: T0 + 10 * MIN },
    ]);
  });

  it('skips a line torn by a kill mid-write and keeps the others', () => {
    const a = new JtiJournal(dir);
    a.load(T0);
    a.append({ issuer: 'i', jti: 'whole', expiresAt: T0 + 5 * MIN }, T0);
    a.close();
    const [file] = readdirSync(dir);
    appendFileSync(path.join(dir, file!), '["i","torn",1796');
    expect(new JtiJournal(dir).load(T0).map((e) => e.jti)).toEqual(['whole']);
  });

  it('starts a new file every rotation period and deletes a file once every id in it has expired', () => {
    const a = new JtiJournal(dir, MIN);
    a.load(T0);
    a.append({ issuer: 'i', jti: 'first', expiresAt: T0 + 5 * MIN }, T0);
    a.append({ issuer: 'i', jti: 'second', expiresAt: T0 + 20 * MIN }, T0 + 2 * MIN);
    expect(readdirSync(dir)).toHaveLength(2);
    // Past the first file's last expiry, the next rotation deletes it; the second stays.
    a.append({ issuer: 'i', jti: 'third', expiresAt: T0 + 30 * MIN }, T0 + 6 * MIN);
    expect(readdirSync(dir)).toHaveLength(2);
    expect(new JtiJournal(dir).load(T0 + 6 * MIN).map((e) => e.jti)).toEqual(['second', 'third']);
    // A load after everything expired leaves no file behind.
    const later = new JtiJournal(dir);
    expect(later.load(T0 + 31 * MIN)).toEqual([]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('keeps its files readable by the service alone', () => {
    const a = new JtiJournal(dir);
    a.load(T0);
    a.append({ issuer: 'i', jti: 'x', expiresAt: T0 + MIN }, T0);
    const [file] = readdirSync(dir);
    expect(statSync(path.join(dir, file!)).mode & 0o077).toBe(0);
    expect(statSync(dir).mode & 0o077).toBe(0);
  });
});
