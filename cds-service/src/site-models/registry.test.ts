import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config';
import { validModel } from '../test-support/site-models';

const dir = mkdtempSync(join(tmpdir(), 'registry-'));
const BASE = { AUTH_REQUIRED: 'false' };

function load(models: unknown, env: NodeJS.ProcessEnv = {}) {
  const path = join(dir, `c-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify({ models }));
  return () => loadConfig({ ...BASE, ...env }, { configFile: path });
}

function withFeature(i: number, patch: Record<string, unknown>) {
  const m = validModel();
  const features = [...(m.features as Record<string, unknown>[])];
  features[i] = { ...features[i], ...patch };
  return [{ ...m, features }];
}

describe('the model registry at start-up', () => {
  it('accepts a valid entry and fills its defaults', () => {
    const config = load([validModel()])();
    expect(config.siteModels).toHaveLength(1);
    expect(config.siteModels[0]).toMatchObject({ id: 't2d-risk', mode: 'silent', budgetMs: 100 });
    expect(config.siteModels[0]?.outputs[0]?.index).toBe(0);
    expect(config.siteModels[0]?.baseDir).toBe(dir);
  });

  it.each([
    ['a window of no days', withFeature(2, { window: 0 }), 'models[0].features[2].window'],
    [
      'an unknown aggregation',
      withFeature(1, { aggregation: 'median' }),
      'models[0].features[1].aggregation',
    ],
    ['an unknown value set', withFeature(1, { valueSet: 'a1cc' }), 'models[0].features[1].valueSet'],
    ['two sources', withFeature(0, { loinc: ['4548-4'] }), 'models[0].features[0]: needs exactly one'],
    ['no missing value', withFeature(2, { missing: undefined }), 'models[0].features[2].missing'],
    ['a unit the analyte is not read in', withFeature(1, { unit: 'mmol/mol' }), 'models[0].features[1].unit'],
    ['a measured value with no unit', withFeature(2, { unit: undefined }), 'models[0].features[2].unit'],
    [
      'a mean of a concept group',
      withFeature(1, { valueSet: 't2d', unit: undefined }),
      'models[0].features[1].aggregation',
    ],
    ['a misspelt key', withFeature(1, { windw: 3 }), 'models[0].features[1]: Unrecognized key: "windw"'],
  ])('rejects %s, naming the field', (_what, models, field) => {
    expect(load(models)).toThrow(field);
  });

  it('rejects bad outputs, runtimes and duplicate ids, naming the field', () => {
    const m = validModel();
    const output = (m.outputs as Record<string, unknown>[])[0]!;
    expect(load([{ ...m, outputs: [{ ...output, thresholds: { info: 0.5, warning: 0.2 } }] }])).toThrow(
      'models[0].outputs[0].thresholds.warning: warning must be at or above info',
    );
    expect(load([{ ...m, outputs: [{ ...output, summary: 'risk {prob}' }] }])).toThrow(
      'models[0].outputs[0].summary: unknown placeholder {prob}',
    );
    expect(load([{ ...m, runtime: { kind: 'oip', url: 'ftp://x', model: 'm' } }])).toThrow(
      'models[0].runtime.url',
    );
    expect(load([m, m])).toThrow('models[1].id: model t2d-risk is listed twice');
    expect(load([{ ...m, linear: { weights: { bmi: 1 } } }])).toThrow(
      'models[0].linear.weights.bmi: bmi is not a feature',
    );
  });

  it('reads an OIP auth header from the variable the entry names, and fails when it is unset', () => {
    const oip = {
      ...validModel(),
      runtime: { kind: 'oip', url: 'https://ml.example', model: 'm', authHeaderEnv: 'ML_AUTH' },
    };
    expect(load([oip])).toThrow('models[0].runtime.authHeaderEnv: ML_AUTH is not set');
    expect(load([oip], { ML_AUTH: 'Bearer t' })().siteModels[0]?.authHeader).toBe('Bearer t');
  });
});
