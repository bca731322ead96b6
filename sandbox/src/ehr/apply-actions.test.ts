import type { Resource } from '@rationale/shared-types';
import { applyActions } from './apply-actions';
import { EhrError } from './errors';
import { FIXTURE } from './test-support/fixtures';
import { MemoryFhir } from './test-support/memory-services';

function store() {
  return new MemoryFhir(new Map(FIXTURE.map((r) => [`${r.resourceType}/${r.id}`, structuredClone(r)])));
}

const newOrder = {
  resourceType: 'ServiceRequest',
  status: 'draft',
  intent: 'order',
  subject: { reference: 'Patient/p1' },
};

describe('applyActions', () => {
  it('deletes, then creates, then updates, whatever the order of the actions, and names what it wrote', async () => {
    const fhir = store();
    const deleteSpy = jest.spyOn(fhir, 'delete');
    const createSpy = jest.spyOn(fhir, 'create');
    const updateSpy = jest.spyOn(fhir, 'update');
    const result = await applyActions(fhir, 'p1', [
      {
        type: 'update',
        description: 'Resolve',
        resource: { ...FIXTURE.find((r) => r.id === 'c1'), clinicalStatus: { text: 'resolved' } },
      },
      { type: 'create', description: 'Order', resource: { ...newOrder, id: 'client-chosen' } },
      { type: 'delete', description: 'Cancel', resourceId: 'ServiceRequest/sr-old' },
    ]);
    expect(deleteSpy.mock.invocationCallOrder[0]).toBeLessThan(createSpy.mock.invocationCallOrder[0] ?? 0);
    expect(createSpy.mock.invocationCallOrder[0]).toBeLessThan(updateSpy.mock.invocationCallOrder[0] ?? 0);
    expect(result.deleted).toEqual(['ServiceRequest/sr-old']);
    expect(result.updated).toEqual(['Condition/c1']);
    expect(result.created).toHaveLength(1);
    const [type, id] = (result.created[0] ?? '').split('/');
    expect(id).not.toBe('client-chosen');
    expect(await fhir.read(type ?? '', id ?? '')).toMatchObject(newOrder);
    expect(await fhir.read('ServiceRequest', 'sr-old')).toBeUndefined();
    expect(await fhir.read('Condition', 'c1')).toMatchObject({ clinicalStatus: { text: 'resolved' } });
  });

  it('refuses to write into another patient’s chart and writes nothing', async () => {
    const fhir = store();
    const before = fhir.store.size;
    await expect(
      applyActions(fhir, 'p1', [
        { type: 'create', description: 'Order', resource: newOrder },
        {
          type: 'create',
          description: 'Order',
          resource: { ...newOrder, subject: { reference: 'Patient/p2' } },
        },
      ]),
    ).rejects.toThrow(/must reference Patient\/p1/);
    await expect(
      applyActions(fhir, 'p1', [{ type: 'delete', description: 'x', resourceId: 'ServiceRequest/sr-other' }]),
    ).rejects.toThrow(EhrError);
    expect(fhir.store.size).toBe(before);
  });

  it('refuses malformed actions: unknown type, create without resource, delete without a reference, Patient writes', async () => {
    const fhir = store();
    await expect(applyActions(fhir, 'p1', [{ type: 'patch', description: 'x' }])).rejects.toThrow(
      /actions\[0\]/,
    );
    await expect(applyActions(fhir, 'p1', [{ type: 'create', description: 'x' }])).rejects.toThrow(
      /full resource/,
    );
    await expect(applyActions(fhir, 'p1', [{ type: 'delete', description: 'x' }])).rejects.toThrow(
      /resourceId/,
    );
    await expect(
      applyActions(fhir, 'p1', [
        { type: 'update', description: 'x', resource: { resourceType: 'Patient', id: 'p1' } },
      ]),
    ).rejects.toThrow(/does not let/);
    await expect(
      applyActions(fhir, 'p1', [{ type: 'delete', description: 'x', resourceId: 'ServiceRequest/missing' }]),
    ).rejects.toThrow(/does not exist/);
  });

  it('undoes the writes already made when a later write fails', async () => {
    const fhir = store();
    const original = structuredClone(fhir.store);
    jest.spyOn(fhir, 'update').mockRejectedValueOnce(new Error('store is down'));
    await expect(
      applyActions(fhir, 'p1', [
        { type: 'delete', description: 'Cancel', resourceId: 'ServiceRequest/sr-old' },
        { type: 'create', description: 'Order', resource: newOrder },
        { type: 'update', description: 'Resolve', resource: FIXTURE.find((r) => r.id === 'c1') as Resource },
      ]),
    ).rejects.toThrow(/undone/);
    expect([...fhir.store.keys()].sort()).toEqual([...original.keys()].sort());
  });
});
