/**
 * `npm run bench:model`: assess() latency per patient over the shared Synthea set (p50/p99) and
 * over synthetic records of 100, 1,000 and 10,000 resources (growth with record size).
 */
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Observation, PatientRecord } from '@rationale/shared-types';
import { emptyRecord } from '@rationale/shared-types';
import { loadBundles, recordEnd } from '../src/eval/load';
import { assess } from '../src/model/assess';

// The shared Synthea set sits beside the repository (../shared/data/synthea-r4); --data overrides.
const dataDir = process.argv.includes('--data')
  ? (process.argv[process.argv.indexOf('--data') + 1] as string)
  : resolve(__dirname, '../../../shared/data/synthea-r4');

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? NaN;
}

function time(fn: () => void, repeat: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const t0 = performance.now();
    fn();
    out.push(performance.now() - t0);
  }
  return out;
}

const LOINCS: Array<[string, number, string]> = [
  ['4548-4', 6.1, '%'],
  ['33914-3', 72, 'mL/min/{1.73_m2}'],
  ['2160-0', 1.0, 'mg/dL'],
  ['2093-3', 210, 'mg/dL'],
  ['2085-9', 48, 'mg/dL'],
  ['18262-6', 130, 'mg/dL'],
  ['2823-3', 4.4, 'mmol/L'],
  ['2951-2', 139, 'mmol/L'],
  ['39156-5', 29, 'kg/m2'],
  ['29463-7', 85, 'kg'],
  ['718-7', 13.5, 'g/dL'],
  ['14959-1', 12, 'mg/g'],
];

/** A synthetic adult record with `n` resources: observations, BP panels and a few conditions. */
export function syntheticRecord(n: number): PatientRecord {
  const record = emptyRecord({
    resourceType: 'Patient',
    id: 'bench',
    gender: 'female',
    birthDate: '1960-04-02',
  });
  const start = Date.parse('2016-01-01');
  for (let i = 0; i < n; i++) {
    const date = new Date(start + i * ((10 * 365 * 86_400_000) / n)).toISOString();
    if (i % 50 === 0) {
      record.conditions.push({
        resourceType: 'Condition',
        id: `c${i}`,
        subject: { reference: 'Patient/bench' },
        clinicalStatus: {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
              code: i % 100 === 0 ? 'active' : 'resolved',
            },
          ],
        },
        code: {
          coding: [
            {
              system: 'http://snomed.info/sct',
              code: ['38341003', '15777000', '444814009', '55822004'][i % 4],
            },
          ],
        },
        onsetDateTime: date,
      });
      continue;
    }
    if (i % 7 === 0) {
      const o: Observation = {
        resourceType: 'Observation',
        id: `bp${i}`,
        status: 'final',
        code: { coding: [{ system: 'http://loinc.org', code: '85354-9' }] },
        effectiveDateTime: date,
        component: [
          {
            code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] },
            valueQuantity: { value: 120 + (i % 30), unit: 'mm[Hg]' },
          },
          {
            code: { coding: [{ system: 'http://loinc.org', code: '8462-4' }] },
            valueQuantity: { value: 75 + (i % 12), unit: 'mm[Hg]' },
          },
        ],
      };
      record.observations.push(o);
      continue;
    }
    const [code, value, unit] = LOINCS[i % LOINCS.length] as [string, number, string];
    record.observations.push({
      resourceType: 'Observation',
      id: `o${i}`,
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code }] },
      effectiveDateTime: date,
      valueQuantity: { value: value * (0.9 + ((i * 37) % 20) / 100), unit, code: unit },
    });
  }
  return record;
}

const bundles = loadBundles(dataDir);
const inputs = bundles.map(({ record }) => ({ record, now: recordEnd(record) }));
for (const { record, now } of inputs) assess(record, now); // warm-up
const perPatient: number[] = [];
for (let round = 0; round < 5; round++)
  for (const { record, now } of inputs) perPatient.push(...time(() => assess(record, now), 1));
perPatient.sort((a, b) => a - b);
const sizes = inputs.map(
  ({ record }) =>
    record.observations.length +
    record.conditions.length +
    record.medicationRequests.length +
    record.encounters.length +
    record.procedures.length,
);
process.stdout.write(
  `Synthea (${inputs.length} bundles, ${Math.min(...sizes)}-${Math.max(...sizes)} resources, 5 rounds): assess() p50 ${percentile(perPatient, 50).toFixed(2)} ms, p99 ${percentile(perPatient, 99).toFixed(2)} ms, max ${perPatient[perPatient.length - 1]?.toFixed(2)} ms\n`,
);

const now = new Date('2026-03-01T00:00:00Z');
process.stdout.write('\n| resources | p50 ms | p99 ms | ms per 1,000 resources |\n|---|---|---|---|\n');
for (const n of [100, 1000, 10000]) {
  const record = syntheticRecord(n);
  time(() => assess(record, now), 3);
  const t = time(() => assess(record, now), n >= 10000 ? 20 : 100).sort((a, b) => a - b);
  const p50 = percentile(t, 50);
  process.stdout.write(
    `| ${n} | ${p50.toFixed(2)} | ${percentile(t, 99).toFixed(2)} | ${((p50 / n) * 1000).toFixed(2)} |\n`,
  );
}
