/**
 * The two runtimes end to end: a real ONNX file through onnxruntime-node in a worker thread, and a
 * real Open Inference Protocol v2 server (node:http) started here, including one that stalls (cut
 * at the budget while the knowledge model still answers), one that fails (the circuit breaker
 * opens) and one that answers in the wrong shape.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assessPatient } from '../assessment/assess-patient';
import type { SiteModel } from '../assessment/site-model-step';
import { loadConfig, type SiteModelConfig } from '../config';
import { DEFAULT_MODEL_SETTINGS } from '../model/settings';
import { fakeAssess } from '../test-support/fake-model';
import { a1c, patient } from '../test-support/fixtures';
import { validModel } from '../test-support/site-models';
import { logisticRegressionOnnx } from './onnx-export';
import { onnxPool, onnxRuntime, type OnnxPool } from './onnx-runtime';
import { oipRuntime } from './oip-runtime';

jest.setTimeout(30_000);

const dir = mkdtempSync(join(tmpdir(), 'site-models-'));
const NOW = new Date('2026-05-01T12:00:00Z');
const WEIGHTS = [0.03, 0.9, 0.01];
const INTERCEPT = -9;
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const DATA = {
  patientId: 'Patient/p1',
  resources: [patient('p1'), a1c('a1', 7.2, '2026-01-10'), a1c('a2', 7.4, '2026-04-12')],
};
/** The registry's features on DATA: age 65 (born 1961-04-02), latest A1c 7.4, glucose missing (95). */
const ROW = [65, 7.4, 95];

function config(patch: Record<string, unknown>): SiteModelConfig {
  const path = join(dir, `c-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify({ models: [{ ...validModel(), ...patch }] }));
  const c = loadConfig({ AUTH_REQUIRED: 'false', ML_TOKEN: 'Bearer oip-secret-token' }, { configFile: path });
  return c.siteModels[0]!;
}

const pipeline = (siteModels: SiteModel[]) => ({
  assess: fakeAssess,
  settings: DEFAULT_MODEL_SETTINGS,
  newId: () => 'a-1',
  siteModels,
});

describe('ONNX runtime', () => {
  let pool: OnnxPool;
  const bytes = logisticRegressionOnnx({ weights: WEIGHTS, intercept: INTERCEPT });
  beforeAll(() => {
    writeFileSync(join(dir, 'model.onnx'), bytes);
    pool = onnxPool();
  });
  afterAll(() => pool.close());

  it('runs a logistic regression file through onnxruntime-node and hashes the file', async () => {
    const runtime = await onnxRuntime(config({}), pool);
    const out = await runtime.infer(ROW, AbortSignal.timeout(5_000));
    const expected = sigmoid(ROW.reduce((s, x, i) => s + x * WEIGHTS[i]!, INTERCEPT));
    expect(out.probability?.[0]).toBeCloseTo(expected, 5);
    expect(runtime.provenance()).toEqual({
      runtime: 'onnx',
      sha256: createHash('sha256').update(bytes).digest('hex'),
    });
  });

  it('puts the prediction, its features and their resources into the Assessment', async () => {
    const spec = config({ budgetMs: 10_000, linear: { weights: { a1c: 0.9 }, reference: { a1c: 5.5 } } });
    const runtime = await onnxRuntime(spec, pool);
    const { assessment } = await assessPatient(
      { data: DATA, now: NOW, hook: 'patient-view' },
      pipeline([{ spec, runtime }]),
    );
    const [result] = assessment.siteModels ?? [];
    expect(result).toMatchObject({
      modelId: 't2d-risk',
      version: '1.0.0',
      status: 'complete',
      mode: 'silent',
    });
    expect(result?.provenance.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(result?.features.map((f) => [f.name, f.value, f.missing])).toEqual([
      ['age', 65, false],
      ['a1c', 7.4, false],
      ['glucose', 95, true],
    ]);
    expect(result?.features[1]?.sources).toEqual([{ reference: 'Observation/a2' }]);
    expect(result?.features[1]?.contribution).toBeCloseTo(0.9 * (7.4 - 5.5), 6);
    const p = sigmoid(ROW.reduce((s, x, i) => s + x * WEIGHTS[i]!, INTERCEPT));
    expect(result?.predictions[0]?.probability).toBeCloseTo(p, 5);
    expect(result?.predictions[0]?.level).toBe(p >= 0.6 ? 'warning' : p >= 0.3 ? 'info' : 'none');
    expect(result?.predictions[0]?.summary).toBe(`Type 2 diabetes risk ${Math.round(p * 100)}% (a1c 7.4 %)`);
    // The knowledge model answered beside it.
    expect(assessment.hypotheses[0]?.conditionId).toBe('t2d');
  });

  it('stops start-up when the file is missing or lacks a declared output, naming the model', async () => {
    await expect(
      onnxRuntime(config({ runtime: { kind: 'onnx', file: 'absent.onnx' } }), pool),
    ).rejects.toThrow(/models t2d-risk: runtime.file: cannot read .*absent.onnx/);
    const outputs = [{ ...(validModel().outputs as object[])[0], output: 'risk' }];
    await expect(onnxRuntime(config({ outputs }), pool)).rejects.toThrow(
      'models t2d-risk: output risk is not an output of the model (probability)',
    );
  });
});

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

async function oipServer(handler: Handler): Promise<{ url: string; server: Server; calls: string[] }> {
  const calls: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      calls.push(`${req.method} ${req.url}`);
      handler(req, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, calls };
}

const closeServer = (s: Server) =>
  new Promise<void>((resolve) => {
    s.closeAllConnections();
    s.close(() => resolve());
  });

/** A KServe-style server computing the same logistic regression. */
const answering: Handler = (req, body, res) => {
  res.setHeader('content-type', 'application/json');
  if (req.headers.authorization !== 'Bearer oip-secret-token') {
    res.statusCode = 401;
    res.end('{}');
    return;
  }
  if (req.method === 'GET') {
    res.end(
      JSON.stringify({ name: 't2d', versions: ['3'], platform: 'onnxruntime', inputs: [], outputs: [] }),
    );
    return;
  }
  const request = JSON.parse(body) as {
    inputs: { name: string; shape: number[]; datatype: string; data: number[] }[];
  };
  const input = request.inputs[0]!;
  const p = sigmoid(input.data.reduce((s, x, i) => s + x * WEIGHTS[i]!, INTERCEPT));
  res.end(
    JSON.stringify({
      model_name: 't2d',
      outputs: [{ name: 'probability', shape: [1, 1], datatype: 'FP32', data: [p] }],
      echo: { name: input.name, shape: input.shape, datatype: input.datatype },
    }),
  );
};

// A budget no busy CI machine runs out of, except where a test is about the budget.
const oip = (url: string, extra: Record<string, unknown> = {}, budgetMs = 10_000) =>
  config({
    budgetMs,
    runtime: { kind: 'oip', url, model: 't2d', version: '3', authHeaderEnv: 'ML_TOKEN', ...extra },
  });

describe('Open Inference Protocol v2 runtime', () => {
  it('posts FP32 tensors to /v2/models/{name}/versions/{v}/infer with the auth header and reads the answer', async () => {
    const { url, server, calls } = await oipServer(answering);
    try {
      const spec = oip(url);
      const runtime = oipRuntime(spec);
      const { assessment } = await assessPatient(
        { data: DATA, now: NOW, hook: 'patient-view' },
        pipeline([{ spec, runtime }]),
      );
      const [result] = assessment.siteModels ?? [];
      expect(result?.status).toBe('complete');
      const p = sigmoid(ROW.reduce((s, x, i) => s + x * WEIGHTS[i]!, INTERCEPT));
      expect(result?.predictions[0]?.probability).toBeCloseTo(p, 10);
      expect(calls[0]).toBe('POST /v2/models/t2d/versions/3/infer');
      // The metadata is read after the first answer, for the provenance of the next.
      for (let i = 0; i < 100 && !runtime.provenance().server?.metadataSha256; i++)
        await new Promise((r) => setTimeout(r, 50));
      expect(calls).toContain('GET /v2/models/t2d/versions/3');
      expect(runtime.provenance()).toMatchObject({
        runtime: 'oip',
        server: {
          model: 't2d',
          version: '3',
          platform: 'onnxruntime',
          metadataSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        },
      });
    } finally {
      await closeServer(server);
    }
  });

  it('cuts a stalled server at the budget; the knowledge model answers and the result says timeout', async () => {
    const stalled: ServerResponse[] = [];
    const { url, server } = await oipServer((_req, _body, res) => stalled.push(res));
    try {
      const spec = oip(url, {}, 150);
      const { assessment } = await assessPatient(
        { data: DATA, now: NOW, hook: 'patient-view' },
        pipeline([{ spec, runtime: oipRuntime(spec) }]),
      );
      expect(assessment.siteModels?.[0]).toMatchObject({ status: 'timeout', predictions: [] });
      expect(assessment.hypotheses[0]?.conditionId).toBe('t2d');
      // A busy machine may cut the request before the server sees it; never more than one.
      expect(stalled.length).toBeLessThanOrEqual(1);
    } finally {
      await closeServer(server);
    }
  });

  it('opens the circuit after consecutive failures and stops calling the server until it half-opens', async () => {
    let now = 0;
    const { url, server, calls } = await oipServer((_req, _body, res) => {
      res.statusCode = 503;
      res.end('{}');
    });
    try {
      const spec = oip(url, { failureThreshold: 2, openSeconds: 30 });
      const runtime = oipRuntime(spec, { now: () => now });
      const run = async () =>
        (await assessPatient({ data: DATA, now: NOW }, pipeline([{ spec, runtime }]))).assessment
          .siteModels?.[0]?.status;
      expect(await run()).toBe('unavailable');
      expect(await run()).toBe('unavailable');
      expect(await run()).toBe('circuit-open');
      expect(calls).toHaveLength(2);
      now = 31_000;
      expect(await run()).toBe('unavailable');
      expect(calls).toHaveLength(3);
    } finally {
      await closeServer(server);
    }
  });

  it('reports a wrong-shaped answer as bad-response, never a probability', async () => {
    const shapes = [
      { outputs: [{ name: 'probability', shape: [1, 2], datatype: 'FP32', data: [0.5] }] },
      { outputs: [{ name: 'probability', shape: [1, 1], datatype: 'FP32', data: [3.5] }] },
      { outputs: [{ name: 'logit', shape: [1, 1], datatype: 'FP32', data: [0.5] }] },
      { predictions: [0.5] },
    ];
    let i = 0;
    const { url, server } = await oipServer((_req, _body, res) => res.end(JSON.stringify(shapes[i++])));
    try {
      const spec = oip(url, { failureThreshold: 10 });
      const runtime = oipRuntime(spec);
      for (const _ of shapes) {
        const { assessment } = await assessPatient({ data: DATA, now: NOW }, pipeline([{ spec, runtime }]));
        expect(assessment.siteModels?.[0]).toMatchObject({ status: 'bad-response', predictions: [] });
      }
    } finally {
      await closeServer(server);
    }
  });
});
