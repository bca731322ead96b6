import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Resource } from '@rationale/shared-types';
import { bundlesToExport } from '../../scripts/bundles-to-export';
import { indexDates, resourcesAsOf } from './as-of';
import { ndjsonUnit, partitionExport, readSpillUnit, unitLines } from './export-reader';

const ndjson = (rows: object[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

describe('bulk export reader', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'export-reader-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('regroups an export by patient, attaches referenced Medications and skips types the model does not read', async () => {
    writeFileSync(
      join(dir, 'Patient.ndjson'),
      ndjson([
        { resourceType: 'Patient', id: 'b' },
        { resourceType: 'Patient', id: 'a' },
      ]),
    );
    writeFileSync(
      join(dir, 'Observation.ndjson.gz'),
      gzipSync(
        ndjson([
          { resourceType: 'Observation', id: 'o1', subject: { reference: 'Patient/a' } },
          { resourceType: 'Observation', id: 'o2', subject: { reference: 'Patient/b' } },
          { resourceType: 'Observation', id: 'o3', subject: { reference: 'Patient/a' } },
          { resourceType: 'Observation', id: 'orphan', subject: { reference: 'Patient/zzz' } },
        ]),
      ),
    );
    writeFileSync(
      join(dir, 'MedicationRequest.ndjson'),
      ndjson([
        {
          resourceType: 'MedicationRequest',
          id: 'm1',
          subject: { reference: 'Patient/b' },
          medicationReference: { reference: 'Medication/med1' },
        },
      ]),
    );
    writeFileSync(join(dir, 'Medication.ndjson'), ndjson([{ resourceType: 'Medication', id: 'med1' }]));
    writeFileSync(
      join(dir, 'Claim.ndjson'),
      ndjson([{ resourceType: 'Claim', id: 'c1', patient: { reference: 'Patient/a' } }]),
    );

    const exported = await partitionExport(dir, join(dir, 'spill'));
    const units = [...exported.units()];
    expect(exported.stats).toMatchObject({ files: 5, patients: 2, skipped: 1 });
    const ids = (u: (typeof units)[number]) => unitLines(u).map((l) => (JSON.parse(l) as Resource).id);
    const byPatient = Object.fromEntries(units.map((u) => [u.patientId, ids(u).sort()]));
    expect(byPatient).toEqual({ a: ['a', 'o1', 'o3'], b: ['b', 'm1', 'med1', 'o2'] });
  });
});

describe('NDJSON units', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'export-units-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('gives each patient exactly the Medications its own lines reference, wherever they sit in the partition', async () => {
    const request = (id: string, patient: string, med: string) => ({
      resourceType: 'MedicationRequest',
      id,
      subject: { reference: `Patient/${patient}` },
      medicationReference: { reference: `Medication/${med}` },
    });
    writeFileSync(
      join(dir, 'Patient.ndjson'),
      ndjson(['a', 'b', 'c', 'd'].map((id) => ({ resourceType: 'Patient', id }))),
    );
    writeFileSync(
      join(dir, 'MedicationRequest.ndjson'),
      ndjson([request('r1', 'c', 'm2'), request('r2', 'a', 'm1'), request('r3', 'c', 'm1')]),
    );
    writeFileSync(
      join(dir, 'Medication.ndjson'),
      ndjson(['m1', 'm2', 'm3'].map((id) => ({ resourceType: 'Medication', id }))),
    );
    const units = [...(await partitionExport(dir, join(dir, 'spill'))).units()];
    const ids = Object.fromEntries(
      units.map((u) => [
        u.patientId,
        unitLines(u)
          .map((l) => (JSON.parse(l) as Resource).id)
          .sort(),
      ]),
    );
    expect(ids).toEqual({ a: ['a', 'm1', 'r2'], b: ['b'], c: ['c', 'm1', 'm2', 'r1', 'r3'], d: ['d'] });
  });

  it('hands lanes references into the spill files that read back to the same bytes, in the same order', async () => {
    const ids = Array.from({ length: 60 }, (_, i) => `p${i}`);
    writeFileSync(
      join(dir, 'Patient.ndjson'),
      ndjson(ids.map((id) => ({ resourceType: 'Patient', id, name: [{ family: 'Müller-Øvrebø 玲' }] }))),
    );
    // Enough lines to cross the scan buffer's edges many times, and one line longer than it.
    writeFileSync(
      join(dir, 'Observation.ndjson.gz'),
      gzipSync(
        ndjson(
          ids.flatMap((id, i) =>
            Array.from({ length: 40 }, (_, k) => ({
              resourceType: 'Observation',
              id: `${id}-o${k}`,
              subject: { reference: `Patient/${id}` },
              valueString:
                i === 7 && k === 3 ? '≥'.repeat(400_000) : `${'x'.repeat((i * 37 + k * 11) % 300)} 🩺`,
            })),
          ),
        ),
      ),
    );
    writeFileSync(
      join(dir, 'MedicationRequest.ndjson'),
      ndjson(
        ids.map((id, i) => ({
          resourceType: 'MedicationRequest',
          id: `${id}-r`,
          subject: { reference: `Patient/${id}` },
          medicationReference: { reference: `Medication/m${i % 3}` },
        })),
      ),
    );
    writeFileSync(
      join(dir, 'Medication.ndjson'),
      ndjson(['m0', 'm1', 'm2'].map((id) => ({ resourceType: 'Medication', id }))),
    );
    const exported = await partitionExport(dir, join(dir, 'spill'));
    const inMemory = [...exported.units()];
    const onDisk = [...exported.spillUnits()];
    expect(onDisk.map((u) => u.patientId)).toEqual(inMemory.map((u) => u.patientId));
    expect(onDisk).toHaveLength(60);
    for (const [k, unit] of onDisk.entries()) {
      const read = readSpillUnit(unit);
      expect(Buffer.from(read.ndjson).equals(Buffer.from(inMemory[k]!.ndjson))).toBe(true);
    }
    const p7 = onDisk.find((u) => u.patientId === 'p7')!;
    expect(unitLines(readSpillUnit(p7)).some((l) => l.length > 400_000)).toBe(true);
    expect(p7.medications).toEqual([JSON.stringify({ resourceType: 'Medication', id: 'm1' })]);
  });

  it('keeps every character of a line (UTF-8) and leaves out blank lines', () => {
    const lines = [
      JSON.stringify({
        resourceType: 'Patient',
        id: 'p',
        name: [{ family: 'Müller-Øvrebø', given: ['José', '玲'] }],
      }),
      JSON.stringify({ resourceType: 'Observation', id: 'o', valueString: '≥ 140 mmHg 🩺' }),
    ];
    const unit = ndjsonUnit('p', [lines[0]!, '  ', lines[1]!]);
    expect(unitLines(unit)).toEqual(lines);
  });
});

describe('a large export from a few bundles (the scale benchmark)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bundles-to-export-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const bundle = (id: string) => ({
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      {
        fullUrl: `urn:uuid:${id}`,
        resource: {
          resourceType: 'Patient',
          id,
          identifier: [{ system: 'http://hl7.org/fhir/sid/us-ssn', value: `999-${id}` }],
        },
      },
      {
        fullUrl: `urn:uuid:obs-${id}`,
        resource: { resourceType: 'Observation', id: `obs-${id}`, subject: { reference: `urn:uuid:${id}` } },
      },
    ],
  });

  it('writes exactly N patients, each copy re-identified and its references following', async () => {
    mkdirSync(join(dir, 'bundles'));
    for (const id of ['a', 'b'])
      writeFileSync(join(dir, 'bundles', `${id}.json`), JSON.stringify(bundle(id)));
    const written = await bundlesToExport(join(dir, 'bundles'), join(dir, 'export'), { patients: 5 });
    expect(written).toEqual({ patients: 5, resources: { Patient: 5, Observation: 5 } });

    const units = [...(await partitionExport(join(dir, 'export'), join(dir, 'spill'))).units()];
    const records = Object.fromEntries(
      units.map((u) => [u.patientId, unitLines(u).map((l) => JSON.parse(l) as Record<string, unknown>)]),
    );
    expect(Object.keys(records).sort()).toEqual(['a-0', 'a-1', 'a-2', 'b-0', 'b-1']);
    for (const [id, resources] of Object.entries(records)) {
      const patient = resources.find((r) => r.resourceType === 'Patient') as {
        identifier: Array<{ value: string }>;
      };
      expect(patient.identifier[0]!.value).toBe(`999-${id}`);
      expect(resources.find((r) => r.resourceType === 'Observation')).toMatchObject({
        id: `obs-${id}`,
        subject: { reference: `Patient/${id}` },
      });
    }
  });
});

describe('the record as of a past date', () => {
  const resources = [
    { resourceType: 'Patient', id: 'p', deceasedDateTime: '2024-01-01' },
    { resourceType: 'Observation', id: 'early', effectiveDateTime: '2020-01-01' },
    { resourceType: 'Observation', id: 'late', effectiveDateTime: '2022-01-01' },
    {
      resourceType: 'Condition',
      id: 'resolved-later',
      onsetDateTime: '2019-01-01',
      abatementDateTime: '2023-01-01',
      clinicalStatus: { coding: [{ code: 'resolved' }] },
    },
  ] as unknown as Resource[];

  it('keeps what was recorded by then, shows a later-resolved condition as active and a later death as unknown', () => {
    const asOf = resourcesAsOf(resources, Date.parse('2021-01-01'));
    expect(asOf.map((r) => r.id)).toEqual(['p', 'early', 'resolved-later']);
    expect(asOf[0]).not.toHaveProperty('deceasedDateTime');
    expect(asOf[2]).not.toHaveProperty('abatementDateTime');
    expect(
      (asOf[2] as { clinicalStatus: { coding: Array<{ code: string }> } }).clinicalStatus.coding[0]!.code,
    ).toBe('active');
  });

  it('thins encounter index dates to one per N days within the look-back', () => {
    const encounters = ['2015-01-01', '2020-01-01', '2020-02-01', '2020-12-31', '2021-01-02'].map(
      (d, i) => ({ resourceType: 'Encounter', id: `e${i}`, period: { start: d } }) as unknown as Resource,
    );
    const end = Date.parse('2021-06-01');
    const iso = (ts: number[]) => ts.map((t) => new Date(t).toISOString().slice(0, 10));
    expect(iso(indexDates(encounters, end, 365, 3))).toEqual(['2020-01-01', '2020-12-31']); // 2020 is a leap year: 365 days on is Dec 31
    expect(iso(indexDates(encounters, end, 0, 10))).toHaveLength(5);
  });
});
