/**
 * Site models behind the patient-view hook over HTTP, with the real knowledge model and card
 * renderer: a live ONNX model's card answers beside the knowledge model's, and a stalled OIP
 * server is cut at its budget while the hook answers with the other cards.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { cdsResponseSchema, modelCardSchema, type Resource } from '@rationale/shared-types';
import type { SiteModel } from '../assessment/site-model-step';
import { renderCards } from '../cards';
import { loadConfig } from '../config';
import { assess } from '../model/assess';
import { searchset, FHIR_BASE } from '../test-support/fixtures';
import { buildHarness } from '../test-support/harness';
import { validModel } from '../test-support/site-models';
import { logisticRegressionOnnx } from './onnx-export';
import { onnxPool, onnxRuntime, type OnnxPool } from './onnx-runtime';
import { oipRuntime } from './oip-runtime';
import { testBackends } from '../store/testing';

jest.setTimeout(60_000);

const dir = mkdtempSync(join(tmpdir(), 'site-hook-'));
const TYPICAL = (
  JSON.parse(readFileSync(join(__dirname, '../cli/fixtures/patient-typical.json'), 'utf8')) as {
    entry: { resource: Resource }[];
  }
).entry.map((e) => e.resource);
const byType = (type: string) => TYPICAL.filter((r) => r.resourceType === type);
const PATIENT_ID = byType('Patient')[0]?.id ?? 'typical-1';
const NOW = new Date('2026-06-01T12:00:00Z');

function spec(patch: Record<string, unknown>) {
  const path = join(dir, `c-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify({ models: [{ ...validModel(), ...patch }] }));
  return loadConfig({ AUTH_REQUIRED: 'false' }, { configFile: path }).siteModels[0]!;
}

/** `encountersFrom`: leave encounters out of the prefetch and read them with this fetch. */
async function callHook(siteModels: SiteModel[], encountersFrom?: typeof fetch) {
  const h = await buildHarness({
    env: { AUTH_REQUIRED: 'false', SERVICES: '{"patient-view":{"cardBudget":8}}' },
    deps: {
      assess,
      renderCards,
      siteModels,
      clock: () => NOW,
      ...(encountersFrom ? { fetch: encountersFrom } : {}),
    },
  });
  const res = await request(h.app)
    .post('/cds-services/rationale-patient-view')
    .send({
      hook: 'patient-view',
      hookInstance: 'site-models-1',
      fhirServer: FHIR_BASE,
      context: { userId: 'Practitioner/doc1', patientId: PATIENT_ID },
      prefetch: {
        patient: byType('Patient')[0],
        conditions: searchset(byType('Condition')),
        observations: searchset(byType('Observation')),
        medications: searchset(byType('MedicationRequest')),
        allergies: null,
        ...(encountersFrom ? {} : { encounters: searchset([]) }),
      },
    });
  const stored = [...h.store.assessments.values()][0]?.assessment;
  return { res, stored };
}

describe('site models behind the patient-view hook', () => {
  let pool: OnnxPool;
  beforeAll(() => {
    // Always above the info threshold: a large intercept.
    writeFileSync(join(dir, 'model.onnx'), logisticRegressionOnnx({ weights: [0, 0, 0], intercept: 3 }));
    pool = onnxPool();
  });
  afterAll(() => pool.close());

  it("answers with a live ONNX model's card beside the knowledge model's cards", async () => {
    // A budget no busy machine runs out of: the budget counts from the hook's start, cold here.
    const s = spec({
      mode: 'live',
      budgetMs: 10_000,
      outputs: [
        { ...(validModel().outputs as object[])[0], recordedValueSet: undefined, conditionId: 't2d-ml' },
      ],
    });
    const { res, stored } = await callHook([{ spec: s, runtime: await onnxRuntime(s, pool) }]);
    expect(res.status).toBe(200);
    const cards = cdsResponseSchema.parse(res.body).cards;
    const topics = cards.map((c) => c.source.topic?.code);
    expect(topics).toContain('mlt2driskt2dml');
    expect(cards.length).toBeGreaterThan(1);
    expect(stored?.siteModels?.[0]).toMatchObject({ status: 'complete', mode: 'live' });
  });

  it("serves each site model's card with the knowledge model's at /api/model-card", async () => {
    const s = spec({});
    const h = await buildHarness({
      env: { AUTH_REQUIRED: 'false' },
      deps: { siteModels: [{ spec: s, runtime: await onnxRuntime(s, pool) }] },
    });
    const res = await request(h.app).get('/api/model-card');
    expect(res.status).toBe(200);
    const card = modelCardSchema.parse(res.body);
    expect(card.siteModels?.[0]).toMatchObject({
      id: 't2d-risk',
      mode: 'silent',
      runtime: 'onnx',
      sourceAttributes: { trainingData: 'Synthetic records', validation: 'AUROC on a held-out split' },
    });
    expect(card.siteModels?.[0]?.inputs[1]).toEqual({
      name: 'a1c',
      description: 'value set a1c, latest over 730 days (%); 5.4 when missing',
    });
  });

  it('keeps a silent model out of the answer but in the stored assessment', async () => {
    const s = spec({
      mode: 'silent',
      budgetMs: 10_000,
      outputs: [{ ...(validModel().outputs as object[])[0], recordedValueSet: undefined }],
    });
    const { res, stored } = await callHook([{ spec: s, runtime: await onnxRuntime(s, pool) }]);
    const topics = cdsResponseSchema.parse(res.body).cards.map((c) => c.source.topic?.code);
    expect(topics.some((t) => t?.startsWith('ml'))).toBe(false);
    expect(stored?.siteModels?.[0]?.predictions[0]?.level).toBe('warning');
  });

  for (const backend of testBackends()) {
    (backend.skip ? it.skip : it)(
      `cuts a stalled OIP server at the budget, answers with the other cards and stores a timeout call (${backend.name})`,
      async () => {
        const stalled: ServerResponse[] = [];
        const server = createServer((_req, res) => stalled.push(res));
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        // The calls go to a real store's write-behind batch, as main.ts wires them.
        const opened = await backend.open();
        try {
          const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
          const s = spec({ mode: 'live', budgetMs: 100, runtime: { kind: 'oip', url, model: 't2d' } });
          const without = await callHook([]);
          const { res, stored } = await callHook([
            { spec: s, runtime: oipRuntime(s), record: (c) => void opened.store.recordSiteModelCall(c) },
          ]);
          expect(res.status).toBe(200);
          expect(stored?.siteModels?.[0]).toMatchObject({ status: 'timeout', predictions: [] });
          // On a busy machine the request may not reach the server before the budget
          // runs out; either way the hook never waits for more than the one request.
          expect(stalled.length).toBeLessThanOrEqual(1);
          // The same cards as with no site model at all.
          const summaries = (r: typeof res) => cdsResponseSchema.parse(r.body).cards.map((c) => c.summary);
          expect(summaries(res)).toEqual(summaries(without.res));
          expect(summaries(res).length).toBeGreaterThan(0);
          // The monitoring page's read model has the timeout, from the stored row.
          const rows = await opened.store.siteModelPerformance({
            from: new Date(NOW.getTime() - 1),
            to: new Date(NOW.getTime() + 1),
            period: 'day',
          });
          expect(rows).toMatchObject([
            {
              modelId: 't2d-risk',
              runtime: 'oip',
              mode: 'live',
              calls: 1,
              byStatus: { timeout: 1 },
              lastFailure: { status: 'timeout', at: NOW.toISOString() },
            },
          ]);
        } finally {
          await opened.cleanup();
          server.closeAllConnections();
          await new Promise<void>((resolve) => server.close(() => resolve()));
        }
      },
    );
  }

  it('does not call a model whose budget the hook spent gathering the record', async () => {
    const reached: ServerResponse[] = [];
    const server = createServer((_req, res) => reached.push(res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const s = spec({ mode: 'live', budgetMs: 100, runtime: { kind: 'oip', url, model: 't2d' } });
      // The FHIR server answers the missing prefetch key only after the model's whole budget.
      const slowFhir: typeof fetch = async () => {
        await new Promise((resolve) => setTimeout(resolve, 150));
        return new Response(JSON.stringify(searchset([])), {
          headers: { 'content-type': 'application/fhir+json' },
        });
      };
      const { res, stored } = await callHook([{ spec: s, runtime: oipRuntime(s) }], slowFhir);
      expect(res.status).toBe(200);
      expect(cdsResponseSchema.parse(res.body).cards.length).toBeGreaterThan(0);
      expect(stored?.siteModels?.[0]).toMatchObject({ status: 'timeout', predictions: [] });
      // The budget counts from the hook's start: the server was never asked.
      expect(reached).toHaveLength(0);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
