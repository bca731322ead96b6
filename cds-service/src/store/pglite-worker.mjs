// PGlite on its own thread (see PgliteDatabase in database.ts): PostgreSQL compiled to WebAssembly
// runs synchronously while a statement executes, so on the service's thread it would stall every
// request behind every statement. Here it runs beside the event loop; the service thread sends
// statements and receives rows.
//
// Plain JavaScript, so the same file loads under tsx, under jest and in a built image. Messages in:
// { id, kind: 'query', sql, params } | { id, kind: 'exec', sql } | { id, kind: 'gzip', texts } |
// { id, kind: 'close' }. Messages
// out: { ready: true } | { startupError } | { id, rows, affectedRows } | { id, error }. An error
// crosses the thread as its SQLSTATE code, severity and message only: PGlite attaches the
// statement's parameters to its errors, and those never leave this thread.
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { constants as zlibConstants, gzipSync } from 'node:zlib';
import { PGlite } from '@electric-sql/pglite';

/** @param {unknown} error */
function portable(error) {
  const e = /** @type {{ code?: unknown, severity?: unknown, message?: unknown } | undefined} */ (error);
  return {
    code: typeof e?.code === 'string' ? e.code : undefined,
    severity: typeof e?.severity === 'string' ? e.severity : undefined,
    message: typeof e?.message === 'string' ? e.message : 'PGlite failed',
  };
}

// The database thread yields to the request thread: on Linux a thread has its own nice value
// (/proc/thread-self names it), and the writes here are behind the answers, never in front of them.
try {
  const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
  if (Number.isInteger(tid) && tid > 0) setPriority(tid, 10);
} catch {
  // Not Linux, or not allowed: the thread keeps the process's priority.
}

const port = parentPort;
if (!port) throw new Error('pglite-worker.mjs runs as a worker thread');
const { dataDir, schema } = /** @type {{ dataDir?: string, schema?: string }} */ (workerData);

/** @type {PGlite} */
let db;
try {
  // relaxedDurability false: a statement's promise resolves only after its writes reached the OS.
  db = new PGlite({ ...(dataDir ? { dataDir } : {}), relaxedDurability: false });
  await db.waitReady;
  // The schema name was checked on the service's side (checkSchemaName): lower-case, no quoting issues.
  if (schema) await db.exec(`CREATE SCHEMA IF NOT EXISTS "${schema}"; SET search_path TO "${schema}";`);
  port.postMessage({ ready: true });
} catch (error) {
  port.postMessage({ startupError: portable(error) });
  process.exit(1);
}

// PGlite runs one statement at a time in the order they are called: messages are answered in order.
port.on(
  'message',
  async (/** @type {{ id: number, kind: string, sql?: string, params?: unknown[] }} */ msg) => {
    try {
      if (msg.kind === 'query') {
        const result = await db.query(/** @type {string} */ (msg.sql), msg.params ?? []);
        port.postMessage({ id: msg.id, rows: result.rows, affectedRows: result.affectedRows ?? 0 });
      } else if (msg.kind === 'gzip') {
        // Assessment snapshots, compressed here rather than on the request thread (gzip, base64).
        const texts = /** @type {{ texts?: string[] }} */ (msg).texts ?? [];
        const rows = texts.map((t) => gzipSync(t, { level: zlibConstants.Z_BEST_SPEED }).toString('base64'));
        port.postMessage({ id: msg.id, rows, affectedRows: 0 });
      } else if (msg.kind === 'exec') {
        await db.exec(/** @type {string} */ (msg.sql));
        port.postMessage({ id: msg.id, rows: [], affectedRows: 0 });
      } else if (msg.kind === 'close') {
        if (!db.closed) await db.close();
        port.postMessage({ id: msg.id, rows: [], affectedRows: 0 });
        port.close();
      } else {
        port.postMessage({ id: msg.id, error: { message: `unknown message kind ${msg.kind}` } });
      }
    } catch (error) {
      port.postMessage({ id: msg.id, error: portable(error) });
    }
  },
);
