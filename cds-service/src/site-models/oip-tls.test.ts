/**
 * An Open Inference Protocol v2 server behind TLS with a private CA (`runtime.caFile`): a real
 * node:https server with a certificate made here by openssl (node:crypto cannot issue X.509
 * certificates). Trusted through the CA file, the model answers; without it, the same server is
 * unavailable; a CA file that is missing, not PEM or set on an http url stops start-up naming it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type SiteModelConfig } from '../config';
import { ConfigError } from '../errors';
import { validModel } from '../test-support/site-models';
import { oipRuntime } from './oip-runtime';
import { SiteModelError } from './runtime';

jest.setTimeout(30_000);

const dir = mkdtempSync(join(tmpdir(), 'oip-tls-'));
const ROW = [65, 7.4, 95];

function config(runtime: Record<string, unknown>): SiteModelConfig {
  const path = join(dir, `c-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify({ models: [{ ...validModel(), runtime }] }));
  return loadConfig({ AUTH_REQUIRED: 'false' }, { configFile: path }).siteModels[0]!;
}

describe('OIP v2 over TLS with a private CA', () => {
  let server: Server;
  let url: string;
  const requests: string[] = [];

  beforeAll(async () => {
    // A self-signed certificate for 127.0.0.1: it is its own CA.
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'ca.pem'),
        '-days',
        '2',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    server = createServer(
      { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'ca.pem')) },
      (req, res) => {
        requests.push(`${req.method} ${req.url}`);
        req.resume();
        req.on('end', () => {
          res.setHeader('content-type', 'application/json');
          res.end(
            req.method === 'GET'
              ? JSON.stringify({ name: 't2d', versions: ['1'] })
              : JSON.stringify({
                  outputs: [{ name: 'probability', shape: [1, 1], datatype: 'FP32', data: [0.42] }],
                }),
          );
        });
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    writeFileSync(join(dir, 'not-a-cert.pem'), 'hello\n');
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('calls the server when its certificate is signed by the configured CA file', async () => {
    // Relative to the configuration file's directory.
    const runtime = oipRuntime(config({ kind: 'oip', url, model: 't2d', caFile: 'ca.pem' }));
    try {
      const out = await runtime.infer(ROW, AbortSignal.timeout(10_000));
      expect(out.probability).toEqual([0.42]);
      expect(requests).toContain('POST /v2/models/t2d/infer');
    } finally {
      await runtime.close();
    }
  });

  it('refuses the same server without the CA file: its certificate is not trusted', async () => {
    const before = requests.filter((r) => r.startsWith('POST')).length;
    const runtime = oipRuntime(config({ kind: 'oip', url, model: 't2d' }));
    try {
      const call = runtime.infer(ROW, AbortSignal.timeout(10_000));
      await expect(call).rejects.toBeInstanceOf(SiteModelError);
      await expect(call).rejects.toMatchObject({ code: 'unavailable' });
      expect(requests.filter((r) => r.startsWith('POST')).length).toBe(before);
    } finally {
      await runtime.close();
    }
  });

  it('stops start-up on a CA file that is missing or holds no certificate, naming the field', () => {
    expect(() => oipRuntime(config({ kind: 'oip', url, model: 't2d', caFile: 'absent.pem' }))).toThrow(
      ConfigError,
    );
    expect(() => oipRuntime(config({ kind: 'oip', url, model: 't2d', caFile: 'absent.pem' }))).toThrow(
      /models t2d-risk: runtime\.caFile: cannot read .*absent\.pem \(ENOENT\)/,
    );
    expect(() => oipRuntime(config({ kind: 'oip', url, model: 't2d', caFile: 'not-a-cert.pem' }))).toThrow(
      /models t2d-risk: runtime\.caFile: .*not-a-cert\.pem holds no PEM certificate/,
    );
  });

  it('rejects a CA file on a plain http url at start-up', () => {
    expect(() => config({ kind: 'oip', url: 'http://127.0.0.1:1', model: 't2d', caFile: 'ca.pem' })).toThrow(
      /models\[0\]\.runtime\.caFile: a CA file is for an https url/,
    );
  });
});
