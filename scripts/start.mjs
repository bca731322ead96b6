#!/usr/bin/env node
/**
 * `npm start`: the whole Rationale loop on one machine. Builds what is stale (the SMART app, the
 * EHR page and the CDS service's compiled file), starts the sandbox (EHR simulator, FHIR server,
 * SMART auth server) and the CDS service as child processes, wired so the service trusts the sandbox's hook JWTs, may read its FHIR server
 * and may be framed by its EHR page; turns monitoring on with a generated token (unless
 * ADMIN_TOKEN is set); waits until both answer, prints every URL a user needs, and exits
 * non-zero when a child dies. Each child is one node process (the service from its compiled file,
 * the sandbox with tsx loaded as a module hook, not through its CLI, which would add a second
 * process per child), so SIGTERM, SIGINT or SIGHUP reaches every process this script started and
 * nothing is left behind.
 * Logs are human-readable when this script's output is a terminal, JSON lines otherwise.
 * See docs/sandbox.md.
 *
 * Flags:  --no-build       never build (use the dist folders as they are)
 *         --build-missing  build only what has no dist at all (the e2e test support uses this); the
 *                          service is still rebuilt when its sources are newer
 *         --no-cds         do not start the local CDS service (use SANDBOX_CDS_SERVICES instead)
 *         --build-only     build what is stale, then exit (the e2e test support uses this)
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const env = process.env;

function fail(message) {
  process.stderr.write(`start: ${message}\n`);
  process.exit(2);
}

function port(name, fallback) {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 65535)
    fail(`${name} must be a port number (1-65535), got "${raw}"`);
  return n;
}

function list(name) {
  return (env[name] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

const sandboxPort = port('SANDBOX_PORT', 8080);
const cdsPort = port('CDS_PORT', 8081);
const startCds = !args.has('--no-cds') && env.START_CDS !== 'false';
// The EHR on localhost and the app on 127.0.0.1: two sites, so the browser partitions the app's
// storage as it does inside a real EHR (smart-app-launch.md §12).
const sandboxUrl = (env.SANDBOX_BASE_URL ?? `http://localhost:${sandboxPort}`).replace(/\/+$/, '');
const cdsUrl = (env.PUBLIC_URL ?? `http://127.0.0.1:${cdsPort}`).replace(/\/+$/, '');
const fhirUrl = `${sandboxUrl}/fhir`;
const appLaunchUrl = env.SMART_APP_LAUNCH_URL ?? `${cdsUrl}/app/launch.html`;
const cdsDiscovery = [...(startCds ? [`${cdsUrl}/cds-services`] : []), ...list('SANDBOX_CDS_SERVICES')];
if (cdsDiscovery.length === 0) fail('--no-cds needs SANDBOX_CDS_SERVICES (comma-separated discovery URLs)');

// ---------------------------------------------------------------------------------------------
// Build what is stale
// ---------------------------------------------------------------------------------------------

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    newest = Math.max(newest, newestMtime(join(path, entry.name)));
  }
  return newest;
}

const CDS_BUNDLE = join(ROOT, 'cds-service/dist/service.cjs');

const BUILDS = [
  {
    name: 'SMART app',
    workspace: '@rationale/smart-app',
    output: join(ROOT, 'smart-app/dist/index.html'),
    sources: [
      'smart-app/src',
      'smart-app/index.html',
      'smart-app/launch.html',
      'smart-app/vite.config.ts',
      'smart-app/package.json',
      'shared-types/src',
    ],
  },
  {
    name: 'EHR page',
    workspace: '@rationale/sandbox',
    output: join(ROOT, 'sandbox/web/dist/index.html'),
    sources: [
      'sandbox/web/src',
      'sandbox/web/index.html',
      'sandbox/web/vite.config.mts',
      'sandbox/src/ehr/order-catalog.ts',
    ],
  },
  {
    // The service runs compiled to one file (cds-service/src/bundle.ts), as in production. It takes
    // a second to build, so it is rebuilt whenever its sources are newer, even with --build-missing:
    // a stale file would run old code.
    name: 'CDS service',
    always: true,
    workspace: '@rationale/cds-service',
    output: CDS_BUNDLE,
    sources: ['cds-service/src', 'cds-service/package.json', 'shared-types/src'],
  },
];

if (!args.has('--no-build')) {
  for (const build of BUILDS) {
    const built = existsSync(build.output) ? statSync(build.output).mtimeMs : 0;
    const stale =
      built === 0 ||
      ((!args.has('--build-missing') || build.always) &&
        build.sources.some((s) => newestMtime(join(ROOT, s)) > built));
    if (!stale) {
      process.stdout.write(`start: ${build.name} is up to date\n`);
      continue;
    }
    process.stdout.write(`start: building the ${build.name}…\n`);
    // A production build whoever calls it (jest sets NODE_ENV=test, which would bundle React's
    // development build and break the app's size budget).
    const result = spawnSync('npm', ['run', 'build', '--workspace', build.workspace], {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, NODE_ENV: 'production' },
    });
    if (result.status !== 0) fail(`building the ${build.name} failed (npm run build -w ${build.workspace})`);
  }
}

if (args.has('--build-only')) process.exit(0);

// ---------------------------------------------------------------------------------------------
// Children
// ---------------------------------------------------------------------------------------------

/** Merges the sandbox's issuer into a user-given TRUSTED_ISSUERS (JSON array). */
function trustedIssuers() {
  // The sandbox names its JWKS in the JWT's `jku` header, which the service accepts only from an
  // allowlist (CDS Hooks STU2 L1005-1012), so the same URL goes in both places.
  const jwksUri = `${sandboxUrl}/.well-known/jwks.json`;
  const sandbox = { iss: sandboxUrl, jwksUri, jku: [jwksUri] };
  if (!env.TRUSTED_ISSUERS) return JSON.stringify([sandbox]);
  let extra;
  try {
    extra = JSON.parse(env.TRUSTED_ISSUERS);
  } catch {
    fail('TRUSTED_ISSUERS must be a JSON array of {"iss", "jwksUri"} or {"iss", "jwks"}');
  }
  if (!Array.isArray(extra)) fail('TRUSTED_ISSUERS must be a JSON array');
  return JSON.stringify([sandbox, ...extra.filter((i) => i?.iss !== sandbox.iss)]);
}

const uniq = (values) => [...new Set(values)];
const sandboxOrigins = uniq([
  new URL(sandboxUrl).origin,
  `http://localhost:${sandboxPort}`,
  `http://127.0.0.1:${sandboxPort}`,
]);

const sandboxEnv = {
  ...env,
  SANDBOX_PORT: String(sandboxPort),
  SANDBOX_BASE_URL: sandboxUrl,
  SANDBOX_APP_LAUNCH_URL: env.SANDBOX_APP_LAUNCH_URL ?? appLaunchUrl,
  SANDBOX_APP_REDIRECT_URIS:
    env.SANDBOX_APP_REDIRECT_URIS ??
    uniq([`${cdsUrl}/app/`, `http://127.0.0.1:${cdsPort}/app/`, `http://localhost:${cdsPort}/app/`]).join(
      ',',
    ),
  SANDBOX_WEB_DIST: env.SANDBOX_WEB_DIST ?? join(ROOT, 'sandbox/web/dist'),
};

// Monitoring is on in the sandbox: a fresh token per start unless one is given (production stays
// off until ADMIN_TOKEN is configured; see docs/deployment.md).
const adminToken = env.ADMIN_TOKEN || randomBytes(32).toString('base64url');
// Children write to pipes, so they cannot see the terminal themselves.
const logFormat = env.LOG_FORMAT ?? (process.stdout.isTTY ? 'pretty' : 'json');

const dataDir = resolve(ROOT, env.DATA_DIR ?? '.data/cds');
mkdirSync(dataDir, { recursive: true });
const cdsEnv = {
  // The sandbox's configuration file: the example site model (cds-service/site-models), silent.
  CDS_CONFIG_FILE: join(ROOT, 'sandbox/cds-config.json'),
  ...env,
  PORT: String(cdsPort),
  PUBLIC_URL: cdsUrl,
  SMART_APP_LAUNCH_URL: appLaunchUrl,
  TRUSTED_ISSUERS: trustedIssuers(),
  FHIR_SERVER_ALLOWLIST: uniq([fhirUrl, ...list('FHIR_SERVER_ALLOWLIST')]).join(','),
  FRAME_ANCESTORS: uniq(["'self'", ...sandboxOrigins, ...list('FRAME_ANCESTORS')]).join(','),
  DATA_DIR: dataDir,
  ADMIN_TOKEN: adminToken,
  LOG_FORMAT: logFormat,
};

const TSX = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
const children = [];
let stopping = false;

function prefixLines(stream, label, target) {
  let buffer = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    buffer += chunk;
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines) target.write(`[${label}] ${line}\n`);
  });
  stream.on('end', () => buffer && target.write(`[${label}] ${buffer}\n`));
}

/** A child running `entry`: TypeScript through tsx's module hook, JavaScript as it is. */
function start(label, entry, childEnv) {
  const child = spawn(process.execPath, [...(entry.endsWith('.ts') ? ['--import', TSX] : []), entry], {
    cwd: ROOT,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  prefixLines(child.stdout, label, process.stdout);
  prefixLines(child.stderr, label, process.stderr);
  child.on('exit', (code, signal) => {
    child.exited = true;
    if (stopping) return;
    process.stderr.write(
      `start: the ${label} stopped (${signal ?? `exit code ${code}`}); stopping everything\n`,
    );
    shutdown(1);
  });
  children.push(child);
  return child;
}

function shutdown(exitCode) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (!child.exited) child.kill('SIGTERM');
  const force = setTimeout(() => {
    for (const child of children) if (!child.exited) child.kill('SIGKILL');
    process.exit(exitCode);
  }, 8000);
  force.unref();
  const waitAll = () => {
    if (children.every((c) => c.exited)) process.exit(exitCode);
    else setTimeout(waitAll, 50);
  };
  waitAll();
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => shutdown(0));
// npm does not pass SIGTERM on to the script it runs (it exits, and this script is re-parented):
// a changed parent means whoever started us has gone, so stop as if signalled.
const parentPid = process.ppid;
setInterval(() => {
  if (process.ppid !== parentPid) shutdown(0);
}, 250).unref();
// A crash of this script must not orphan its children either.
process.on('exit', () => {
  for (const child of children) if (!child.exited) child.kill('SIGKILL');
});

/** Fails early when a port is taken: otherwise the health checks would find the other process. */
function checkPortFree(portNumber, name) {
  return new Promise((resolvePort) => {
    const probe = createServer();
    probe.once('error', () =>
      fail(`port ${portNumber} (${name}) is already in use; stop what uses it or set ${name}`),
    );
    probe.listen(portNumber, () => probe.close(resolvePort));
  });
}
await checkPortFree(sandboxPort, 'SANDBOX_PORT');
if (startCds) await checkPortFree(cdsPort, 'CDS_PORT');

start('sandbox', 'sandbox/src/main.ts', sandboxEnv);
// With --no-build and nothing built, the service runs from its sources.
if (startCds) start('cds', existsSync(CDS_BUNDLE) ? CDS_BUNDLE : 'cds-service/src/main.ts', cdsEnv);

async function waitFor(url, label, timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (stopping) return;
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  process.stderr.write(`start: the ${label} did not become healthy at ${url} within ${timeoutMs / 1000} s\n`);
  shutdown(1);
}

const started = Date.now();
await Promise.all([
  waitFor(`${sandboxUrl}/healthz`, 'sandbox'),
  ...(startCds ? [waitFor(`${cdsUrl}/healthz`, 'CDS service')] : []),
]);
if (!stopping) {
  const ehr = `${sandboxUrl}/${cdsDiscovery.length === 1 && startCds && cdsDiscovery[0] === 'http://127.0.0.1:8081/cds-services' ? '' : `?cds=${encodeURIComponent(cdsDiscovery.join(','))}`}`;
  const lines = [
    '',
    `Rationale is running (ready in ${((Date.now() - started) / 1000).toFixed(1)} s). Ctrl-C stops everything.`,
    `  EHR simulator   ${ehr}   (open this: pick a patient, read the cards)`,
    ...(startCds
      ? [
          `  SMART app       ${appLaunchUrl}   (launched from a card; standalone: ${cdsUrl}/app/launch.html?iss=${encodeURIComponent(fhirUrl)})`,
          `  Monitoring      ${cdsUrl}/admin/#token=${adminToken}`,
          `                  (token ${env.ADMIN_TOKEN ? 'from ADMIN_TOKEN' : 'generated for this run'}; send it as "Authorization: Bearer <token>" to ${cdsUrl}/admin/monitoring)`,
        ]
      : []),
    `  CDS discovery   ${cdsDiscovery.join('  ')}   (needs a hook JWT from a trusted issuer: the EHR simulator sends one)`,
    `  FHIR R4         ${fhirUrl}   (token required; SMART config at ${fhirUrl}/.well-known/smart-configuration)`,
    `  JWKS            ${sandboxUrl}/.well-known/jwks.json   (hook JWT iss ${sandboxUrl})`,
    '',
    'READY',
    '',
  ];
  process.stdout.write(lines.join('\n'));
}
