import type { Resource } from '@rationale/shared-types';
import { CdsError } from '../errors';
import type { BundleJson, FhirGateway, FhirRequestOptions } from './fhir-gateway';
import { gatherResources, newestFirstLimit, recordFromResources, withDraftOrders } from './record';

/** A gateway that records what it was asked and serves `pages` of encounters. */
class PagedGateway implements FhirGateway {
  calls: { kind: string; maxResources?: number }[] = [];
  constructor(private readonly rest: Resource[]) {}
  async fetchResources(_s: string, _u: string, o: FhirRequestOptions): Promise<Resource[]> {
    this.calls.push({ kind: 'fetch', maxResources: o.maxResources });
    return this.rest;
  }
  async fetchRemainingPages(_s: string, _b: BundleJson, o: FhirRequestOptions): Promise<Resource[]> {
    this.calls.push({ kind: 'pages', maxResources: o.maxResources });
    return this.rest;
  }
  async readStatus(): Promise<number> {
    return 200;
  }
}

const encounter = (i: number): Resource => ({ resourceType: 'Encounter', id: `e${i}` }) as Resource;
const page = (n: number): BundleJson => ({
  resourceType: 'Bundle',
  entry: Array.from({ length: n }, (_, i) => ({ resource: encounter(i) })),
  link: [{ relation: 'next', url: 'http://fhir.example/Encounter?_offset=20' }],
});
const TEMPLATE = 'Encounter?patient={{context.patientId}}&_sort=-date&_count=20';

describe('newest-first prefetch templates', () => {
  it('reads N from _sort plus _count, and nothing from templates without _sort', () => {
    expect(newestFirstLimit(TEMPLATE)).toBe(20);
    expect(newestFirstLimit('Condition?patient={{context.patientId}}&_count=200')).toBeUndefined();
    expect(newestFirstLimit('Patient/{{context.patientId}}')).toBeUndefined();
  });

  it('starts no timer for a prefetch that holds everything, and one budget for what must be fetched', async () => {
    const timeout = jest.spyOn(AbortSignal, 'timeout');
    try {
      const gateway = new PagedGateway([encounter(99)]);
      const input = { context: { patientId: 'p' }, patientId: 'p' };
      await gatherResources(
        { ...input, templates: { encounters: TEMPLATE }, prefetch: { encounters: page(20) } },
        { gateway, timeoutMs: 500 },
      );
      expect(timeout).not.toHaveBeenCalled();
      await gatherResources(
        {
          ...input,
          templates: { encounters: TEMPLATE, more: 'Encounter?patient={{context.patientId}}' },
          prefetch: {},
          fhirServer: 'http://fhir.example',
        },
        { gateway, timeoutMs: 500 },
      );
      expect(gateway.calls.map((c) => c.kind)).toEqual(['fetch', 'fetch']);
      expect(timeout).toHaveBeenCalledTimes(1);
      expect(timeout.mock.calls[0]?.[0]).toBeLessThanOrEqual(500);
    } finally {
      timeout.mockRestore();
    }
  });

  it('answers from a full first page with a next link, without fhirServer and without reading on', async () => {
    const gateway = new PagedGateway([encounter(99)]);
    const { resources } = await gatherResources(
      {
        templates: { encounters: TEMPLATE },
        prefetch: { encounters: page(20) },
        context: { patientId: 'p' },
        patientId: 'p',
      },
      { gateway, timeoutMs: 500 },
    );
    expect(resources).toHaveLength(20);
    expect(gateway.calls).toEqual([]);
  });

  it('reads only what is still missing from a short first page, and keeps the first N', async () => {
    const gateway = new PagedGateway(Array.from({ length: 15 }, (_, i) => encounter(100 + i)));
    const { resources } = await gatherResources(
      {
        templates: { encounters: TEMPLATE },
        prefetch: { encounters: page(10) },
        context: { patientId: 'p' },
        patientId: 'p',
        fhirServer: 'http://fhir.example',
      },
      { gateway, timeoutMs: 500 },
    );
    expect(gateway.calls).toEqual([{ kind: 'pages', maxResources: 10 }]);
    expect(resources).toHaveLength(20);
  });

  it('still answers 412 when a short first page has a next link and no fhirServer', async () => {
    const gateway = new PagedGateway([]);
    const gathering = gatherResources(
      {
        templates: { encounters: TEMPLATE },
        prefetch: { encounters: page(10) },
        context: { patientId: 'p' },
        patientId: 'p',
      },
      { gateway, timeoutMs: 500 },
    );
    await expect(gathering).rejects.toBeInstanceOf(CdsError);
    await expect(gathering).rejects.toMatchObject({ code: 'fhir-unavailable' });
  });
});

describe('supplementary prefetch keys', () => {
  const templates = {
    encounters: TEMPLATE,
    carePlans: 'CarePlan?patient={{context.patientId}}&status=active',
  };

  it('goes ahead without a supplementary key it cannot obtain, and says so in data quality', async () => {
    const { resources, report } = await gatherResources(
      {
        templates,
        prefetch: { encounters: { resourceType: 'Bundle', entry: [{ resource: encounter(1) }] } },
        context: { patientId: 'p' },
        patientId: 'p',
        supplementary: new Set(['carePlans']),
      },
      { gateway: new PagedGateway([]), timeoutMs: 500 },
    );
    expect(resources.map((r) => r.id)).toEqual(['e1']);
    expect(report.dataQuality).toEqual([
      expect.objectContaining({ kind: 'key-unavailable', where: 'prefetch.carePlans' }),
    ]);
  });

  it('answers 412 for the same key when it is not supplementary', async () => {
    const gathering = gatherResources(
      {
        templates,
        prefetch: { encounters: { resourceType: 'Bundle', entry: [{ resource: encounter(1) }] } },
        context: { patientId: 'p' },
        patientId: 'p',
      },
      { gateway: new PagedGateway([]), timeoutMs: 500 },
    );
    await expect(gathering).rejects.toMatchObject({ code: 'fhir-unavailable' });
  });
});

describe('recordFromResources', () => {
  it('groups ServiceRequests and CarePlans into the record, and a draft ServiceRequest stays a draft', () => {
    const record = withDraftOrders(
      recordFromResources(
        [
          { resourceType: 'Patient', id: 'p1' },
          { resourceType: 'ServiceRequest', id: 'sr1', status: 'active', intent: 'order', subject: {} },
          { resourceType: 'ServiceRequest', id: 'sr2', status: 'draft', intent: 'order', subject: {} },
          { resourceType: 'CarePlan', id: 'cp1', status: 'active', intent: 'plan', subject: {} },
        ] as Resource[],
        'p1',
      ),
      {
        resourceType: 'Bundle',
        entry: [{ resource: { resourceType: 'ServiceRequest', id: 'sr2', status: 'draft' } }],
      } as BundleJson,
      [],
    );
    expect(record.serviceRequests.map((r) => r.id)).toEqual(['sr1']);
    expect(record.carePlans.map((r) => r.id)).toEqual(['cp1']);
    expect(record.draftOrders.map((r) => r.id)).toEqual(['sr2']);
  });
});
