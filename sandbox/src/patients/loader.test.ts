import type { Bundle, Observation } from '@medplum/fhirtypes';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFhirDefinitions } from '../fhir-server/definitions';
import { SandboxRepository } from '../fhir-server/repository';
import { generatePatients } from './generator';
import { importDirectory, loadBundle } from './loader';

beforeAll(() => loadFhirDefinitions());

const PATIENT_URN = 'urn:uuid:0f3c9b1e-5d2a-4c8e-9b7f-1a2b3c4d5e6f';
const syntheaLike = (): Bundle => ({
  resourceType: 'Bundle',
  type: 'transaction',
  entry: [
    {
      fullUrl: PATIENT_URN,
      resource: {
        resourceType: 'Patient',
        id: '0f3c9b1e-5d2a-4c8e-9b7f-1a2b3c4d5e6f',
        name: [{ family: 'Importfield' }],
      },
      request: { method: 'POST', url: 'Patient' },
    },
    {
      fullUrl: 'urn:uuid:11111111-2222-4333-8444-555555555555',
      resource: {
        resourceType: 'Encounter',
        status: 'finished',
        class: { code: 'AMB' },
        subject: { reference: PATIENT_URN },
      },
      request: { method: 'POST', url: 'Encounter' },
    },
    {
      fullUrl: 'urn:uuid:66666666-7777-4888-9999-aaaaaaaaaaaa',
      resource: {
        resourceType: 'Observation',
        status: 'final',
        code: { coding: [{ system: 'http://loinc.org', code: '4548-4' }] },
        subject: { reference: PATIENT_URN },
        encounter: { reference: 'urn:uuid:11111111-2222-4333-8444-555555555555' },
        valueQuantity: { value: 7.3, unit: '%' },
      },
      request: { method: 'POST', url: 'Observation' },
    },
  ],
});

describe('bundle loader', () => {
  it('resolves urn:uuid references to the created ids', async () => {
    const repo = new SandboxRepository();
    const result = await loadBundle(repo, syntheaLike());
    expect(result.resources).toBe(3);
    const [obs] = await repo.searchResources<Observation>({ resourceType: 'Observation' });
    expect(obs?.subject?.reference).toBe('Patient/0f3c9b1e-5d2a-4c8e-9b7f-1a2b3c4d5e6f');
    expect(obs?.encounter?.reference).toBe('Encounter/11111111-2222-4333-8444-555555555555');
  });

  it('gives a POSTed resource a new id when its id is taken, and rewrites references to it', async () => {
    const repo = new SandboxRepository();
    await loadBundle(repo, syntheaLike());
    await loadBundle(repo, syntheaLike());
    const patients = await repo.searchResources({ resourceType: 'Patient' });
    expect(patients).toHaveLength(2);
    const second = patients.find((p) => p.id !== '0f3c9b1e-5d2a-4c8e-9b7f-1a2b3c4d5e6f');
    const obs = await repo.searchResources<Observation>({
      resourceType: 'Observation',
      filters: [{ code: 'subject', operator: 'eq', value: `Patient/${second?.id}` }],
    });
    expect(obs).toHaveLength(1);
  });

  it('loads the generated patients idempotently (PUT with stable ids)', async () => {
    const repo = new SandboxRepository();
    const generated = generatePatients({ seed: 1, referenceDate: '2025-06-01' });
    for (const p of generated.patients) await loadBundle(repo, p.bundle);
    const first = repo.counts();
    for (const p of generated.patients) await loadBundle(repo, p.bundle);
    expect(repo.counts()).toEqual(first);
    expect(first.Patient).toBe(generated.patients.length);
  });

  it('imports a folder of bundles and reports files that fail', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rationale-import-'));
    writeFileSync(join(dir, 'a.json'), JSON.stringify(syntheaLike()));
    writeFileSync(join(dir, 'b.json'), JSON.stringify({ resourceType: 'Patient' }));
    writeFileSync(join(dir, 'notes.txt'), 'ignored');
    const repo = new SandboxRepository();
    const result = await importDirectory(repo, dir);
    expect(result.files).toBe(1);
    expect(result.resources).toBe(3);
    expect(result.failed.map((f) => f.file)).toEqual(['b.json']);
  });
});
