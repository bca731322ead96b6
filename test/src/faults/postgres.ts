/**
 * A PostgreSQL server for the database-fault tests: TEST_DATABASE_URL when set (CI starts one),
 * else a throwaway cluster started here from the Debian postgresql binaries (as .ci/run does), on a
 * free loopback port. Each test gets a fresh database, dropped afterwards. A TCP proxy in front of
 * it lets a test cut the database off (refuse and drop every connection) and restore it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from '../bench/lib/net';

export interface Postgres {
  /** postgres://… of a fresh database. */
  url: string;
  /** Why no server is available (the test is skipped with this reason). */
  unavailable?: string;
  close(): Promise<void>;
}

function pgBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).sort((a, b) => Number(a) - Number(b));
  const v = versions[versions.length - 1];
  return v && existsSync(path.join(root, v, 'bin', 'initdb')) ? path.join(root, v, 'bin') : undefined;
}

/**
 * Why no PostgreSQL server can be had here, known before any test runs (so a suite is skipped, out
 * loud, at collection), or undefined when TEST_DATABASE_URL is set or a local cluster can be started.
 */
export function postgresUnavailable(): string | undefined {
  if (process.env.TEST_DATABASE_URL) return undefined;
  if (!pgBin()) return 'TEST_DATABASE_URL is not set and no PostgreSQL binaries are installed';
  if (process.getuid?.() !== 0)
    return 'TEST_DATABASE_URL is not set (a local cluster needs root to run as postgres)';
  return undefined;
}

async function serverUrl(): Promise<{ url: string; stop: () => void } | { unavailable: string }> {
  if (process.env.TEST_DATABASE_URL) return { url: process.env.TEST_DATABASE_URL, stop: () => undefined };
  const unavailable = postgresUnavailable();
  if (unavailable) return { unavailable };
  const bin = pgBin() as string;
  const dir = mkdtempSync(path.join(tmpdir(), 'rationale-pg-'));
  chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString().trim()), 0);
  const port = await freePort();
  const asPostgres = (cmd: string) =>
    spawnSync('su', ['postgres', '-s', '/bin/sh', '-c', cmd], { encoding: 'utf8' });
  const init = asPostgres(`'${bin}/initdb' -D '${dir}/data' -A trust -U postgres >/dev/null`);
  if (init.status !== 0) return { unavailable: `initdb failed: ${init.stderr}` };
  const start = asPostgres(
    `'${bin}/pg_ctl' -D '${dir}/data' -o '-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off' -l '${dir}/log' -w start >/dev/null`,
  );
  if (start.status !== 0) return { unavailable: `pg_ctl start failed: ${start.stderr}` };
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: () => {
      asPostgres(`'${bin}/pg_ctl' -D '${dir}/data' -m immediate stop >/dev/null`);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A fresh database on the test server. */
export async function freshDatabase(): Promise<Postgres> {
  const server = await serverUrl();
  if ('unavailable' in server)
    return { url: '', unavailable: server.unavailable, close: async () => undefined };
  const name = `rationale_fault_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(server.url);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    close: async () => {
      const c = new pg.Client({ connectionString: server.url });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
      await c.end();
      server.stop();
    },
  };
}

/** A TCP proxy to `target` (host:port) that can cut every connection and refuse new ones. */
export interface CuttableProxy {
  port: number;
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startProxy(targetUrl: string): Promise<CuttableProxy> {
  const target = new URL(targetUrl);
  const sockets = new Set<Socket>();
  let open = true;
  const server: Server = createServer((client) => {
    if (!open) {
      client.destroy();
      return;
    }
    const upstream = createConnection({ host: target.hostname, port: Number(target.port || 5432) });
    sockets.add(client).add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    cut: () => {
      open = false;
      for (const s of sockets) s.destroy();
      sockets.clear();
    },
    restore: () => {
      open = true;
    },
    close: async () => {
      open = false;
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}
