import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LlmAdditions } from '@rationale/shared-types';
import { loadConfig } from '../config';
import { validModel } from '../test-support/site-models';
import type { LlmEnricher } from '../llm/types';
import { DEFAULT_MODEL_SETTINGS } from '../model/settings';
import { fakeAssess } from '../test-support/fake-model';
import { a1c, patient } from '../test-support/fixtures';
import { assessPatient } from './assess-patient';
import type { SiteModel } from './site-model-step';

const NOW = new Date('2026-05-01T12:00:00Z');
const data = {
  patientId: 'Patient/p1',
  resources: [patient('p1'), a1c('a1', 7.2, '2026-01-10'), a1c('a2', 7.4, '2026-04-12')],
};
const pipeline = { assess: fakeAssess, settings: DEFAULT_MODEL_SETTINGS, newId: () => 'a-1' };

function reasoner(answer: Promise<LlmAdditions>, budgetMs: number): LlmEnricher {
  return {
    budgetMs,
    describe: () => ({ model: 'test-llm', promptVersion: 'p1' }),
    enrich: () => answer,
  };
}

const additions: LlmAdditions = {
  status: 'complete',
  hypotheses: [],
  recommendations: [],
  reasoning: [],
  dropped: {},
};

describe('assessPatient', () => {
  it('returns a frozen assessment with its id, hook and the time it was made at', async () => {
    const { assessment, record } = await assessPatient(
      { data, now: NOW, hook: 'patient-view', hookInstance: 'h-1' },
      pipeline,
    );
    expect(Object.isFrozen(assessment)).toBe(true);
    expect(assessment).toMatchObject({ id: 'a-1', hook: 'patient-view', hookInstance: 'h-1' });
    expect(assessment.assessedAt).toBe(NOW.toISOString());
    expect(assessment.hypotheses[0]?.conditionId).toBe('t2d');
    expect(record.patient.id).toBe('p1');
    expect(record.observations).toHaveLength(2);
  });

  it('puts LLM additions that arrive within the budget into the assessment', async () => {
    const result = await assessPatient(
      { data, now: NOW },
      { ...pipeline, llm: reasoner(Promise.resolve(additions), 1_000) },
    );
    expect(result.assessment.llm?.status).toBe('complete');
    expect(result.lateLlm).toBeUndefined();
  });

  it('marks the LLM part pending and hands back the late additions when the budget runs out', async () => {
    let arrive: (a: LlmAdditions) => void = () => undefined;
    const late = new Promise<LlmAdditions>((resolve) => (arrive = resolve));
    const result = await assessPatient({ data, now: NOW }, { ...pipeline, llm: reasoner(late, 0) });
    expect(result.assessment.llm).toMatchObject({ status: 'pending', model: 'test-llm' });
    arrive(additions);
    await expect(result.lateLlm).resolves.toMatchObject({ status: 'complete' });
    // The assessment handed out is not changed by what arrives later.
    expect(result.assessment.llm?.status).toBe('pending');
  });

  it('runs the reasoner while the site models finish, not after them', async () => {
    // An OIP model (never called over the network here) with a budget no busy machine runs out of.
    const path = join(mkdtempSync(join(tmpdir(), 'assess-llm-')), 'config.json');
    const runtime = { kind: 'oip', url: 'http://127.0.0.1:9', model: 't2d' };
    writeFileSync(path, JSON.stringify({ models: [{ ...validModel(), budgetMs: 10_000, runtime }] }));
    const spec = loadConfig({ AUTH_REQUIRED: 'false' }, { configFile: path }).siteModels[0]!;
    let llmAsked!: () => void;
    const asked = new Promise<void>((resolve) => (llmAsked = resolve));
    // The site model answers only once the reasoner has been asked: one after the other, it
    // would wait out its whole budget.
    const siteModel: SiteModel = {
      spec,
      runtime: {
        infer: async () => {
          await asked;
          return { probability: [0.9] };
        },
        provenance: () => ({ runtime: 'oip' }),
        close: async () => undefined,
      },
    };
    const llm: LlmEnricher = {
      budgetMs: 10_000,
      describe: () => ({ model: 'test-llm', promptVersion: 'p1' }),
      enrich: (assessment) => {
        llmAsked();
        expect(assessment.id).toBe('a-1');
        return Promise.resolve(additions);
      },
    };
    const started = performance.now();
    const { assessment } = await assessPatient(
      { data, now: NOW },
      { ...pipeline, llm, siteModels: [siteModel] },
    );
    expect(assessment.siteModels?.[0]?.status).toBe('complete');
    expect(assessment.llm?.status).toBe('complete');
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('records a failing reasoner as failed and still answers with the knowledge model', async () => {
    const result = await assessPatient(
      { data, now: NOW },
      { ...pipeline, llm: reasoner(Promise.reject(new Error('boom')), 1_000) },
    );
    expect(result.assessment.llm?.status).toBe('failed');
    expect(result.assessment.hypotheses).toHaveLength(1);
  });

  it('skips a resource it cannot read and lists it in dataQuality, naming the element', async () => {
    const bad = { resourceType: 'Observation', id: 'x', code: { coding: 'nope' } };
    const result = await assessPatient(
      { data: { ...data, resources: [...data.resources, bad] }, now: NOW },
      pipeline,
    );
    expect(result.assessment.dataQuality).toEqual([
      { kind: 'resource-skipped', where: 'Observation/x', problem: 'code.coding must be a JSON object' },
    ]);
    expect(result.record.observations.map((o) => o.id)).not.toContain('x');
  });
});
