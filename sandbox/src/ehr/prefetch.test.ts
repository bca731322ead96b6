import type { Resource } from '@rationale/shared-types';
import {
  buildPrefetch,
  parseFhirQuery,
  resolveTemplate,
  resourceTypesOf,
  type PrefetchMode,
} from './prefetch';
import { FIXTURE } from './test-support/fixtures';
import { MemoryFhir } from './test-support/memory-services';

const NOW = new Date('2026-11-24T15:00:00Z');
const ctx = {
  context: { patientId: 'p1', userId: 'Practitioner/dr-1' },
  userId: 'Practitioner/dr-1',
  now: NOW,
};
const FHIR_BASE = 'http://localhost:8080/fhir';
const TEMPLATES = {
  patient: 'Patient/{{context.patientId}}',
  labs: 'Observation?patient=Patient/{{context.patientId}}&category=laboratory',
  lastLab: 'Observation?patient=Patient/{{context.patientId}}&category=laboratory&_count=1',
  encounter: 'Encounter/{{context.encounterId}}',
};

function fhir(): MemoryFhir {
  return new MemoryFhir(new Map(FIXTURE.map((r) => [`${r.resourceType}/${r.id}`, r])));
}

function build(mode: PrefetchMode, templates: Record<string, string> = TEMPLATES) {
  return buildPrefetch({ templates, mode, ctx, fhir: fhir(), fhirBaseUrl: FHIR_BASE });
}

type Bundle = {
  resourceType: 'Bundle';
  total?: number;
  entry?: Array<{ resource: Resource; search?: { mode: string } }>;
  link?: Array<{ relation: string; url: string }>;
};

describe('resolveTemplate', () => {
  it.each([
    ['Patient/{{context.patientId}}', 'Patient/p1'],
    ['Practitioner/{{userPractitionerId}}', 'Practitioner/dr-1'],
    ['Observation?date=ge{{today()}}', 'Observation?date=ge2026-11-24'],
    ['Observation?date=ge{{today() - 90 days}}', 'Observation?date=ge2026-08-26'],
    ['Observation?date=ge{{ today() - 1 year }}', 'Observation?date=ge2025-11-24'],
    ['Observation?date=le{{today() + 2 weeks}}', 'Observation?date=le2026-12-08'],
  ])('resolves %s to %s', (template, expected) => {
    expect(resolveTemplate(template, ctx)).toEqual({ ok: true, url: expected });
  });

  it('refuses a token for a context field that is absent, a non-primitive field, or an unknown token', () => {
    expect(resolveTemplate('Encounter/{{context.encounterId}}', ctx).ok).toBe(false);
    expect(
      resolveTemplate('X/{{context.draftOrders}}', { ...ctx, context: { draftOrders: { a: 1 } } }).ok,
    ).toBe(false);
    expect(resolveTemplate('Patient/{{userPatientId}}', ctx).ok).toBe(false);
    expect(resolveTemplate('Patient/{{somethingElse}}', ctx).ok).toBe(false);
  });
});

describe('parseFhirQuery', () => {
  it('tells reads from searches and refuses compartments and operations', () => {
    expect(parseFhirQuery('Patient/p1')).toEqual({ kind: 'read', resourceType: 'Patient', id: 'p1' });
    expect(parseFhirQuery('Observation?patient=p1&code=http://loinc.org|2160-0')).toEqual({
      kind: 'search',
      resourceType: 'Observation',
      params: [
        ['patient', 'p1'],
        ['code', 'http://loinc.org|2160-0'],
      ],
    });
    expect(parseFhirQuery('Patient/p1/Observation')).toBeUndefined();
    expect(parseFhirQuery('Patient/$everything?x=1')).toBeUndefined();
  });

  it('lists the resource types templates read', () => {
    expect(resourceTypesOf(TEMPLATES)).toEqual(['Encounter', 'Observation', 'Patient']);
  });
});

describe('buildPrefetch', () => {
  it('full: fills reads and searches, honours _count as a page size with a next link, leaves out unresolvable keys', async () => {
    const { prefetch, notes } = await build('full');
    expect(prefetch?.patient).toMatchObject({ resourceType: 'Patient', id: 'p1' });
    const labs = prefetch?.labs as unknown as Bundle;
    expect(labs.entry).toHaveLength(5);
    expect(labs.total).toBe(5);
    expect(labs.link?.find((l) => l.relation === 'next')).toBeUndefined();
    const lastLab = prefetch?.lastLab as unknown as Bundle;
    expect(lastLab.entry).toHaveLength(1);
    expect(lastLab.link?.find((l) => l.relation === 'next')?.url).toBe(
      `${FHIR_BASE}/Observation?patient=Patient%2Fp1&category=laboratory&_count=1&_offset=1`,
    );
    expect(prefetch).not.toHaveProperty('encounter');
    expect(notes.find((n) => n.key === 'encounter')).toMatchObject({ outcome: 'unresolved' });
  });

  it('full: a read of a missing resource is null, never an empty object', async () => {
    const { prefetch, notes } = await build('full', { nobody: 'Patient/nobody' });
    expect(prefetch).toEqual({ nobody: null });
    expect(notes[0]).toMatchObject({ outcome: 'not-found' });
  });

  it('omit: sends no prefetch at all', async () => {
    const { prefetch, notes } = await build('omit');
    expect(prefetch).toBeUndefined();
    expect(notes.every((n) => n.outcome === 'omitted')).toBe(true);
  });

  it('null: every resolvable key is null', async () => {
    const { prefetch } = await build('null');
    expect(prefetch).toEqual({ patient: null, labs: null, lastLab: null });
  });

  it('operation-outcome: reads carry an OperationOutcome, searches a Bundle holding one', async () => {
    const { prefetch } = await build('operation-outcome');
    expect(prefetch?.patient?.resourceType).toBe('OperationOutcome');
    const labs = prefetch?.labs as unknown as Bundle;
    expect(labs.entry?.[0]?.resource.resourceType).toBe('OperationOutcome');
    expect(labs.entry?.[0]?.search?.mode).toBe('outcome');
  });

  it('paged: searches carry their first page and a next link that continues where it stopped', async () => {
    const { prefetch, notes } = await build('paged');
    const labs = prefetch?.labs as unknown as Bundle;
    expect(labs.entry).toHaveLength(2);
    expect(labs.total).toBe(5);
    const next = new URL(labs.link?.find((l) => l.relation === 'next')?.url ?? '');
    expect(next.searchParams.get('_offset')).toBe('2');
    expect(next.searchParams.get('_count')).toBe('2');
    expect(next.searchParams.get('patient')).toBe('Patient/p1');
    expect(notes.find((n) => n.key === 'labs')).toMatchObject({ outcome: 'paged', count: 2, total: 5 });
  });
});
