/**
 * `rationale calibrate` through the real CLI on a folder of bundles: local prevalences, the
 * calibration file, and the service loading it (configuration `calibrationFile`) so the model's
 * priors change.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Resource } from '@rationale/shared-types';
import { loadConfig } from '../config';
import { calibrationFileSchema } from '../model/calibration';
import { DIAGNOSTIC_KB } from '../model/knowledge/conditions';
import { main } from './main';

const dir = mkdtempSync(join(tmpdir(), 'calibrate-'));
const bundles = join(dir, 'bundles');

function bundle(id: string, birthDate: string, conditions: { system: string; code: string }[]) {
  const resources: Resource[] = [
    { resourceType: 'Patient', id, birthDate, gender: 'female' },
    ...conditions.map((coding, i): Resource => ({
      resourceType: 'Condition',
      id: `${id}-c${i}`,
      subject: { reference: `Patient/${id}` },
      code: { coding: [coding] },
    })),
  ];
  return { resourceType: 'Bundle', type: 'collection', entry: resources.map((resource) => ({ resource })) };
}

function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  return main(args, { stdout: (t) => out.push(t), stderr: (t) => err.push(t), env: {} }).then((code) => ({
    code,
    out: out.join(''),
    err: err.join(''),
  }));
}

beforeAll(() => {
  mkdirSync(bundles);
  const E11 = { system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'E11.9' };
  writeFileSync(join(bundles, 'a.json'), JSON.stringify(bundle('a', '1960-01-01', [E11])));
  writeFileSync(join(bundles, 'b.json'), JSON.stringify(bundle('b', '1970-01-01', [])));
  writeFileSync(join(bundles, 'c.json'), JSON.stringify(bundle('c', '1980-01-01', [E11])));
  writeFileSync(join(bundles, 'd.json'), JSON.stringify(bundle('d', '1990-01-01', [])));
  // A child: not counted.
  writeFileSync(join(bundles, 'e.json'), JSON.stringify(bundle('e', '2020-01-01', [E11])));
});

describe('rationale calibrate', () => {
  it('writes local prevalences with intervals and shrunk priors, and the service loads them', async () => {
    const out = join(dir, 'calibration.json');
    const result = await run([
      'calibrate',
      '--bundles',
      bundles,
      '--out',
      out,
      '--as-of',
      '2026-01-01',
      '--strength',
      '100',
    ]);
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    const file = calibrationFileSchema.parse(JSON.parse(readFileSync(out, 'utf8')));
    expect(file.source).toEqual({ name: 'bundles', patients: 4 });
    const published = DIAGNOSTIC_KB.conditions.find((c) => c.id === 't2d')!.prior.value;
    expect(file.priors.t2d).toMatchObject({ published, localCases: 2, localPatients: 4, localEstimate: 0.5 });
    expect(file.priors.t2d?.calibrated).toBeCloseTo((2 + 100 * published) / 104, 5);
    expect(file.priors.t2d?.interval[0]).toBeLessThan(0.5);
    expect(file.priors.ckd).toMatchObject({ localCases: 0 });

    const config = join(dir, 'service.json');
    writeFileSync(config, JSON.stringify({ calibrationFile: 'calibration.json' }));
    const settings = loadConfig({ AUTH_REQUIRED: 'false' }, { configFile: config }).modelSettings;
    expect(settings.priorCalibration?.t2d?.calibrated).toBe(file.priors.t2d?.calibrated);
  });

  it('fails start-up on a calibration file that is not one, naming the setting', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ kind: 'something-else' }));
    writeFileSync(join(dir, 'bad-service.json'), JSON.stringify({ calibrationFile: 'bad.json' }));
    expect(() =>
      loadConfig({ AUTH_REQUIRED: 'false' }, { configFile: join(dir, 'bad-service.json') }),
    ).toThrow(/calibrationFile: .*bad\.json: kind/);
  });

  it('asks for its input and output', async () => {
    expect((await run(['calibrate', '--out', join(dir, 'x.json')])).code).toBe(2);
  });
});
