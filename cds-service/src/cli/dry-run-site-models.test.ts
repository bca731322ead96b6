/**
 * The dry run shows what the hook would, site models included: `rationale dry-run --config FILE`
 * opens the configuration's models and runs them in the one pipeline.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cdsResponseSchema } from '@rationale/shared-types';
import { logisticRegressionOnnx } from '../site-models/onnx-export';
import { validModel } from '../test-support/site-models';
import { main } from './main';

jest.setTimeout(60_000);

const dir = mkdtempSync(join(tmpdir(), 'dry-run-site-'));

it("runs the configuration's site models in a dry run, as the hook would", async () => {
  writeFileSync(join(dir, 'model.onnx'), logisticRegressionOnnx({ weights: [0, 0, 0], intercept: 3 }));
  const model = validModel();
  const output = { ...(model.outputs as object[])[0], conditionId: 't2d-ml', recordedValueSet: undefined };
  writeFileSync(
    join(dir, 'config.json'),
    JSON.stringify({ models: [{ ...model, mode: 'live', outputs: [output] }] }),
  );
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(
    [
      'dry-run',
      '--bundle',
      join(__dirname, 'fixtures/patient-typical.json'),
      '--config',
      join(dir, 'config.json'),
      '--now',
      '2026-06-01T00:00:00Z',
      '--budget',
      '10',
      '--format',
      'json',
    ],
    { stdout: (t) => out.push(t), stderr: (t) => err.push(t), env: {} },
  );
  expect(err.join('')).toBe('');
  expect(code).toBe(0);
  const topics = cdsResponseSchema.parse(JSON.parse(out.join(''))).cards.map((c) => c.source.topic?.code);
  expect(topics).toContain('mlt2driskt2dml');
});
