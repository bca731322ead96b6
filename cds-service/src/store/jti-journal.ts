/**
 * The JWT ids an embedded store has accepted, journalled on disk beside PGlite (`<dataDir>/jti`).
 *
 * A token is answered only once its id would survive the process being killed: appended here with
 * one write(2) before the answer leaves, it is in the operating system's hands, which is what
 * PGlite's own writes give (`relaxedDurability: false`), at the cost of a system call instead of a
 * statement on the database's thread, where the id would wait behind other hooks' records.
 *
 * An id only matters until its token expires (the expiry check refuses it after that), so the
 * journal needs no compaction: it is a series of files, a new one every `rotateMs`, and a file is
 * deleted once every id in it has expired. A torn last line (killed mid-write) is skipped on load.
 * One process at a time: PGlite's lock on the data folder already ensures it.
 */
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

export interface JournalledJti {
  issuer: string;
  jti: string;
  /** Epoch ms. */
  expiresAt: number;
}

interface JournalFile {
  name: string;
  /** The latest expiry of the ids in it (epoch ms). */
  expiresBy: number;
}

const FILE = /^jti-(\d+)\.log$/;

export class JtiJournal {
  private fd: number | undefined;
  private current: JournalFile | undefined;
  private openedAt = 0;
  private readonly closed: JournalFile[] = [];

  constructor(
    private readonly dir: string,
    private readonly rotateMs = 60_000,
  ) {}

  /** The unexpired ids on disk (files of expired ids only are deleted). Call once, before `append`. */
  load(nowMs: number): JournalledJti[] {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const out: JournalledJti[] = [];
    for (const name of readdirSync(this.dir)
      .filter((n) => FILE.test(n))
      .sort()) {
      let expiresBy = 0;
      for (const line of readFileSync(path.join(this.dir, name), 'utf8').split('\n')) {
        const entry = parseLine(line);
        if (!entry) continue;
        expiresBy = Math.max(expiresBy, entry.expiresAt);
        if (entry.expiresAt > nowMs) out.push(entry);
      }
      this.closed.push({ name, expiresBy });
    }
    this.dropExpired(nowMs);
    return out;
  }

  /** Appends one id: on return it is written to the operating system. Throws when it could not be. */
  append(entry: JournalledJti, nowMs: number): void {
    if (this.fd === undefined || nowMs - this.openedAt >= this.rotateMs) this.rotate(nowMs);
    const line = `${JSON.stringify([entry.issuer, entry.jti, entry.expiresAt])}\n`;
    const bytes = Buffer.from(line, 'utf8');
    let written = 0;
    while (written < bytes.length) written += writeSync(this.fd!, bytes, written);
    this.current!.expiresBy = Math.max(this.current!.expiresBy, entry.expiresAt);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private rotate(nowMs: number): void {
    if (this.fd !== undefined) {
      closeSync(this.fd);
      this.closed.push(this.current!);
    }
    this.dropExpired(nowMs);
    let stamp = nowMs;
    const taken = new Set(this.closed.map((f) => f.name));
    while (taken.has(`jti-${stamp}.log`)) stamp++;
    const name = `jti-${stamp}.log`;
    this.fd = openSync(path.join(this.dir, name), 'a', 0o600);
    this.current = { name, expiresBy: 0 };
    this.openedAt = nowMs;
  }

  private dropExpired(nowMs: number): void {
    for (let i = this.closed.length - 1; i >= 0; i--) {
      const file = this.closed[i]!;
      if (file.expiresBy > nowMs) continue;
      rmSync(path.join(this.dir, file.name), { force: true });
      this.closed.splice(i, 1);
    }
  }
}

function parseLine(line: string): JournalledJti | undefined {
  if (!line) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    if (!Array.isArray(value) || value.length !== 3) return undefined;
    const [issuer, jti, expiresAt] = value as unknown[];
    if (typeof issuer !== 'string' || typeof jti !== 'string' || typeof expiresAt !== 'number')
      return undefined;
    return { issuer, jti, expiresAt };
  } catch {
    return undefined; // a line torn by a kill mid-write
  }
}
