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
import { assess } from '../model/assess';
import { recordFromResources } from '../fhir/record';
import { a1c } from '../test-support/fixtures';
import { main } from './main';

const dir = mkdtempSync(join(tmpdir(), 'calibrate-'));
const bundles = join(dir, 'bundles');

function bundle(
  id: string,
  birthDate: string,
  conditions: { system: string; code: string }[],
  more: Resource[] = [],
) {
  const resources: Resource[] = [
    { resourceType: 'Patient', id, birthDate, gender: 'female' },
    ...conditions.map((coding, i): Resource => ({
      resourceType: 'Condition',
      id: `${id}-c${i}`,
      subject: { reference: `Patient/${id}` },
      code: { coding: [coding] },
    })),
    ...more,
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

const E11 = { system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'E11.9' };

beforeAll(() => {
  mkdirSync(bundles);
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

  it("re-estimates a finding's likelihood ratios from a population, and the model uses them", async () => {
    // 15 adults with type 2 diabetes recorded (12 with an A1c ≥ 6.5%) and 15 without (1 with one):
    // for "A1c ≥ 6.5%", sensitivity 12/15 and specificity 14/15, so LR+ = 0.8 / (1/15) = 12.
    const population = join(dir, 'population');
    mkdirSync(population);
    for (let i = 0; i < 30; i++) {
      const isCase = i < 15;
      const high = isCase ? i < 12 : i === 15;
      const id = `p${i}`;
      writeFileSync(
        join(population, `${id}.json`),
        JSON.stringify(
          bundle(id, '1960-01-01', isCase ? [E11] : [], [a1c(`${id}-a1c`, high ? 8 : 5.4, '2025-06-01', id)]),
        ),
      );
    }
    const out = join(dir, 'population-calibration.json');
    const result = await run([
      'calibrate',
      '--bundles',
      population,
      '--out',
      out,
      '--as-of',
      '2026-01-01',
      '--lr-strength',
      '15',
    ]);
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    const file = calibrationFileSchema.parse(JSON.parse(readFileSync(out, 'utf8')));
    if (file.version !== 2) throw new Error('expected a version 2 file');
    expect(file.lrStrength).toBe(15);
    const a1cHigh = file.likelihoodRatios.t2d?.['a1c-ge-6.5'];
    expect(a1cHigh?.counts).toEqual({
      truePositive: 12,
      falsePositive: 1,
      falseNegative: 3,
      trueNegative: 14,
    });
    expect(a1cHigh?.positive?.published).toBe(20);
    expect(a1cHigh?.positive?.localEstimate).toBeCloseTo(12, 4);
    const se = Math.sqrt(1 / 12 - 1 / 15 + 1 / 1 - 1 / 15);
    expect(a1cHigh?.positive?.interval[0]).toBeCloseTo(12 * Math.exp(-1.959964 * se), 3);
    // 15 cases against a strength of 15: half way on the log scale, √(12 × 20).
    expect(a1cHigh?.positive?.weight).toBe(0.5);
    expect(a1cHigh?.positive?.calibrated).toBeCloseTo(Math.sqrt(240), 3);
    // LR−: (3/15) / (14/15) against the published 0.2.
    expect(a1cHigh?.negative?.localEstimate).toBeCloseTo(3 / 14, 4);
    // Never present twice in this population: "A1c ≥ 6.5% twice" keeps its published LR+.
    expect(file.likelihoodRatios.t2d?.['a1c-ge-6.5-twice']?.positive).toBeUndefined();

    // The service loads the file and the model applies the local LR.
    writeFileSync(
      join(dir, 'population-service.json'),
      JSON.stringify({ calibrationFile: 'population-calibration.json' }),
    );
    const settings = loadConfig(
      { AUTH_REQUIRED: 'false' },
      { configFile: join(dir, 'population-service.json') },
    ).modelSettings;
    expect(settings.lrCalibration?.t2d?.['a1c-ge-6.5']?.positive?.calibrated).toBe(
      a1cHigh?.positive?.calibrated,
    );
    const resources: Resource[] = [
      { resourceType: 'Patient', id: 'x', birthDate: '1960-01-01', gender: 'female' },
      a1c('x-a1c', 7, '2025-12-01', 'x'),
    ];
    const hypothesis = assess(
      recordFromResources(resources, 'x'),
      new Date('2026-01-01'),
      settings,
    ).hypotheses.find((h) => h.conditionId === 't2d');
    const contribution = hypothesis?.contributions.find((c) => c.findingCode === 'a1c-ge-6.5');
    expect(contribution?.likelihoodRatio).toBe(a1cHigh?.positive?.calibrated);
    expect(contribution?.lrCalibration).toMatchObject({ published: 20, cases: 15, nonCases: 15 });
  });

  it('reads each record as the hooks do (readRecord), by the Patient id its bundle holds, whatever the file is named: malformed resources are repaired or skipped, never a crash', async () => {
    const messy = join(dir, 'messy');
    mkdirSync(messy);
    // Malformed elements the hooks read liberally (issue 18): a coding that is not an array, a null
    // component, a Condition whose code is a number.
    const broken = [
      {
        resourceType: 'Observation',
        id: 'm-o1',
        status: 'final',
        code: { coding: 'nope' },
        component: [null],
      },
      { resourceType: 'Condition', id: 'm-c9', code: 5 },
    ] as unknown as Resource[];
    writeFileSync(join(messy, 'm.json'), JSON.stringify(bundle('m', '1960-01-01', [E11], broken)));
    // Named as Synthea names its files, not by the Patient's id.
    writeFileSync(join(messy, 'Given1_Family2_n.json'), JSON.stringify(bundle('n', '1970-01-01', [])));
    const out = join(dir, 'messy-calibration.json');
    const result = await run(['calibrate', '--bundles', messy, '--out', out, '--as-of', '2026-01-01']);
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    const file = JSON.parse(readFileSync(out, 'utf8')) as { source: { patients: number } };
    expect(file.source.patients).toBe(2);
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
