import type { PatientUnit } from './export-reader';
import { ndjsonUnit, unitLines } from './export-reader';
import { packBatch } from './pool';
import { DEFAULT_REPLAY_OPTIONS } from './replay';

describe('a batch handed to a worker thread', () => {
  const lines = (id: string) => [
    JSON.stringify({ resourceType: 'Patient', id, name: [{ family: 'Ødegård' }] }),
    JSON.stringify({ resourceType: 'Observation', id: `o-${id}`, subject: { reference: `Patient/${id}` } }),
  ];
  const units: PatientUnit[] = [
    ndjsonUnit('a', lines('a')),
    { kind: 'bundle-file', patientId: 'f', path: '/data/f.json' },
    ndjsonUnit('b', lines('b')),
  ];

  it('travels as one transferred buffer, every unit intact, the reader’s own bytes untouched', () => {
    const packed = packBatch({ units, options: DEFAULT_REPLAY_OPTIONS });
    expect(packed.transferList).toHaveLength(1);
    const buffer = packed.transferList[0]!;
    const size = units.reduce((n, u) => n + (u.kind === 'ndjson' ? u.ndjson.byteLength : 0), 0);
    expect(buffer.byteLength).toBe(size);

    // What the worker thread receives: a structured clone with the buffer transferred.
    const received = structuredClone(packed.task, { transfer: packed.transferList });
    expect(buffer.byteLength).toBe(0); // detached here: moved, not copied
    expect(received.units.map((u) => u.patientId)).toEqual(['a', 'f', 'b']);
    expect(received.units[1]).toEqual(units[1]);
    const [a, , b] = received.units;
    if (a?.kind !== 'ndjson' || b?.kind !== 'ndjson') throw new Error('expected NDJSON units');
    expect(a.ndjson.buffer).toBe(b.ndjson.buffer);
    expect(unitLines(a)).toEqual(lines('a'));
    expect(unitLines(b)).toEqual(lines('b'));
    for (const u of units) if (u.kind === 'ndjson') expect(unitLines(u)).toEqual(lines(u.patientId));
  });

  it('sends a batch of bundle files as it is', () => {
    const task = { units: [units[1]!], options: DEFAULT_REPLAY_OPTIONS };
    expect(packBatch(task)).toEqual({ task, transferList: [] });
  });
});
