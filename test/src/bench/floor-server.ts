/**
 * The floor: the least a CDS Hooks service must do for a hook call, as its own process, so the
 * bench can measure the service against it in the same run on the same cores. Per POST it verifies
 * the caller's JWT with jose exactly as the service is configured to (the same TRUSTED_ISSUERS
 * inline JWKS, issuer, `aud` = the URL called, ES384/RS384/ES256/RS256, typ, clock skew, maximum
 * age, required claims), then reads the body, JSON.parses it, and answers `{"cards":[]}`. No
 * framework, no validation, no model, no store, no logging: whatever the service spends beyond this
 * is its own.
 *
 * Environment: PORT, PUBLIC_URL, TRUSTED_ISSUERS (`[{ iss, jwks }]`).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';

const BODY_LIMIT = 5 * 1024 * 1024;
const port = Number(process.env.PORT ?? 0);
const publicUrl = (process.env.PUBLIC_URL ?? `http://127.0.0.1:${port}`).replace(/\/$/, '');
const issuers = new Map<string, JWTVerifyGetKey>(
  (JSON.parse(process.env.TRUSTED_ISSUERS ?? '[]') as Array<{ iss: string; jwks: JSONWebKeySet }>).map(
    (i) => [i.iss, createLocalJWKSet(i.jwks)],
  ),
);
const EMPTY = Buffer.from('{"cards":[]}');

function answer(res: ServerResponse, status: number, body?: Buffer): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(body?.length ?? 0),
  });
  res.end(body);
}

async function verify(req: IncomingMessage): Promise<boolean> {
  const m = /^Bearer\s+([^\s]+)\s*$/i.exec(req.headers.authorization ?? '');
  if (!m?.[1]) return false;
  const token = m[1];
  // The issuer is read from the unverified payload to pick its keys, as the service does.
  const payload = token.split('.')[1] ?? '';
  let iss: unknown;
  try {
    iss = (JSON.parse(Buffer.from(payload, 'base64url').toString()) as { iss?: unknown }).iss;
  } catch {
    return false;
  }
  const keys = typeof iss === 'string' ? issuers.get(iss) : undefined;
  if (!keys) return false;
  const url = `${publicUrl}${(req.url ?? '/').split('?')[0]}`;
  try {
    await jwtVerify(token, keys, {
      algorithms: ['ES384', 'RS384', 'ES256', 'RS256'],
      issuer: iss as string,
      audience: [url, `${url}/`],
      typ: 'JWT',
      clockTolerance: 60,
      maxTokenAge: 3600,
      requiredClaims: ['iss', 'aud', 'exp', 'iat', 'jti'],
    });
    return true;
  } catch {
    return false;
  }
}

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > BODY_LIMIT) {
        req.destroy();
        resolve(undefined);
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks, size)));
    req.on('error', reject);
  });
}

const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/healthz') {
    answer(res, 200, Buffer.from('{"status":"ok"}'));
    return;
  }
  if (req.method !== 'POST') {
    answer(res, 404);
    return;
  }
  void (async () => {
    if (!(await verify(req))) {
      req.resume();
      answer(res, 401);
      return;
    }
    const body = await readBody(req);
    if (!body) return answer(res, 413);
    try {
      JSON.parse(body.toString('utf8'));
    } catch {
      return answer(res, 400);
    }
    answer(res, 200, EMPTY);
  })().catch(() => answer(res, 500));
});
server.keepAliveTimeout = 5000;
server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
