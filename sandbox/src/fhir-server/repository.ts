/**
 * The sandbox's FHIR store: Medplum's MemoryRepository with what its 4.5 search lacks. It keeps a
 * patient index (searches by `patient`/`subject` look at one patient's resources, not every
 * resource of the type), matches quantity and number parameters (`value-quantity=gt7`), sorts by
 * several keys, accepts an access predicate so paging and totals count only what the caller may
 * see, remembers deletions (a read answers 410 Gone), and makes transactions atomic (a failing
 * entry undoes the ones before it).
 */
import {
  evalFhirPathTyped,
  matchesSearchRequest,
  Operator,
  OperationOutcomeError,
  toTypedValue,
  type Filter,
  type SearchRequest,
  type SortRule,
  type WithId,
} from '@medplum/core';
import { MemoryRepository } from '@medplum/fhir-router';
import type { Bundle, OperationOutcome, Quantity, Resource } from '@medplum/fhirtypes';
import { searchParameter } from './definitions';

/** Decides whether a caller may see a resource; used to filter search results before paging. */
export type ResourcePredicate = (resource: Resource) => boolean;

type Store = Map<string, Map<string, Resource>>;

interface JournalEntry {
  key: string;
  resourceType: string;
  id: string;
  previous: Resource | undefined;
}

const PATIENT_REFERENCE = /^Patient\/([^/]+)$/;

/** In-memory FHIR R4 repository with a patient index, quantity search and atomic transactions. */
export class SandboxRepository extends MemoryRepository {
  /** `Patient/id` → resource type → ids of resources that reference that patient. */
  private readonly patientIndex = new Map<string, Map<string, Set<string>>>();
  private readonly deleted = new Set<string>();
  private journal: JournalEntry[] | undefined;

  constructor() {
    super();
    if (!(this.store() instanceof Map)) {
      throw new Error('@medplum/fhir-router MemoryRepository layout changed: no resources map');
    }
  }

  private store(): Store {
    return (this as unknown as { resources: Store }).resources;
  }

  /** True when `Type/id` existed and was deleted (FHIR: a read answers 410 Gone). */
  wasDeleted(resourceType: string, id: string): boolean {
    return this.deleted.has(`${resourceType}/${id}`);
  }

  /** Number of stored resources by type. */
  counts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [type, map] of this.store()) if (map.size > 0) out[type] = map.size;
    return out;
  }

  private current(resourceType: string, id: string): Resource | undefined {
    return this.store().get(resourceType)?.get(id);
  }

  override async createResource<T extends Resource>(resource: T): Promise<WithId<T>> {
    const { resourceType } = resource;
    const previous = resource.id ? this.current(resourceType, resource.id) : undefined;
    if (previous) this.unindex(previous);
    const created = await super.createResource(resource);
    this.journal?.push({ key: `${resourceType}/${created.id}`, resourceType, id: created.id, previous });
    this.deleted.delete(`${resourceType}/${created.id}`);
    this.index(created);
    return created;
  }

  override async deleteResource(resourceType: string, id: string): Promise<void> {
    const previous = this.current(resourceType, id);
    await super.deleteResource(resourceType, id);
    if (previous) {
      this.journal?.push({ key: `${resourceType}/${id}`, resourceType, id, previous });
      this.unindex(previous);
    }
    this.deleted.add(`${resourceType}/${id}`);
  }

  /** Runs `callback` atomically: on any error every write it made is undone, then the error rethrown. */
  override async withTransaction<TResult>(
    callback: (client: undefined) => Promise<TResult>,
  ): Promise<TResult> {
    if (this.journal) return callback(undefined);
    this.journal = [];
    try {
      const result = await callback(undefined);
      return result;
    } catch (err) {
      this.rollback(this.journal);
      throw err;
    } finally {
      this.journal = undefined;
    }
  }

  private rollback(journal: JournalEntry[]): void {
    for (const entry of [...journal].reverse()) {
      const byType = this.store().get(entry.resourceType);
      const now = byType?.get(entry.id);
      if (now) this.unindex(now);
      if (entry.previous) {
        byType?.set(entry.id, entry.previous);
        this.index(entry.previous);
        this.deleted.delete(entry.key);
      } else {
        byType?.delete(entry.id);
      }
    }
  }

  override async search<T extends Resource>(searchRequest: SearchRequest<T>): Promise<Bundle<WithId<T>>> {
    return this.searchWhere(searchRequest);
  }

  /**
   * FHIR search limited to resources `allowed` accepts; `total`, paging and sorting count only
   * those. Quantity and number parameters are matched here (Medplum 4.5 does not).
   */
  // eslint-disable-next-line @typescript-eslint/require-await -- async like the repository it extends; memory needs no wait
  async searchWhere<T extends Resource>(
    searchRequest: SearchRequest<T>,
    allowed?: ResourcePredicate,
  ): Promise<Bundle<WithId<T>>> {
    const { resourceType } = searchRequest;
    const filters = searchRequest.filters ?? [];
    const numeric = filters.filter((f) => isNumericParam(resourceType, f.code));
    const others = filters.filter((f) => !numeric.includes(f));
    const delegated: SearchRequest = { resourceType, filters: others };
    const matches: Resource[] = [];
    for (const resource of this.candidates(resourceType, others)) {
      if (!matchesSearchRequest(resource, delegated)) continue;
      if (!numeric.every((f) => matchesNumericFilter(resource, f))) continue;
      if (allowed && !allowed(resource)) continue;
      matches.push(resource);
    }
    if (searchRequest.sortRules?.length) sortResources(matches, searchRequest.sortRules);
    const offset = searchRequest.offset ?? 0;
    const page =
      searchRequest.count === undefined
        ? matches.slice(offset)
        : matches.slice(offset, offset + searchRequest.count);
    const entry = page.map((resource) => ({ resource: structuredClone(resource) as WithId<T> }));
    return {
      resourceType: 'Bundle',
      type: 'searchset',
      ...(entry.length ? { entry } : {}),
      total: matches.length,
    };
  }

  /** The resources a search must look at: one patient's, when an equality filter names one. */
  private candidates(resourceType: string, filters: Filter[]): Iterable<Resource> {
    const all = this.store().get(resourceType);
    if (!all) return [];
    for (const filter of filters) {
      if (filter.operator !== Operator.EQUALS) continue;
      if (
        filter.code !== 'patient' &&
        filter.code !== 'subject' &&
        !(resourceType === 'Patient' && filter.code === '_id')
      )
        continue;
      const values = filter.value.split(',');
      const ids = new Set<string>();
      for (const value of values) {
        const ref = resourceType === 'Patient' && filter.code === '_id' ? `Patient/${value}` : value;
        if (!PATIENT_REFERENCE.test(ref)) return all.values();
        if (resourceType === 'Patient') {
          ids.add(ref.slice('Patient/'.length));
        } else {
          for (const id of this.patientIndex.get(ref)?.get(resourceType) ?? []) ids.add(id);
        }
      }
      const out: Resource[] = [];
      for (const id of ids) {
        const resource = all.get(id);
        if (resource) out.push(resource);
      }
      return out;
    }
    return all.values();
  }

  private index(resource: Resource): void {
    if (!resource.id) return;
    for (const ref of patientReferences(resource)) {
      let byType = this.patientIndex.get(ref);
      if (!byType) this.patientIndex.set(ref, (byType = new Map<string, Set<string>>()));
      let ids = byType.get(resource.resourceType);
      if (!ids) byType.set(resource.resourceType, (ids = new Set<string>()));
      ids.add(resource.id);
    }
  }

  private unindex(resource: Resource): void {
    if (!resource.id) return;
    for (const ref of patientReferences(resource)) {
      this.patientIndex.get(ref)?.get(resource.resourceType)?.delete(resource.id);
    }
  }
}

/** Every `Patient/id` reference anywhere in a resource (a superset of its compartment links). */
function patientReferences(resource: Resource): Set<string> {
  const refs = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const v of value) visit(v);
    } else if (value && typeof value === 'object') {
      for (const [key, v] of Object.entries(value)) {
        if (key === 'reference' && typeof v === 'string' && PATIENT_REFERENCE.test(v)) refs.add(v);
        else if (typeof v === 'object') visit(v);
      }
    }
  };
  visit(resource);
  return refs;
}

function isNumericParam(resourceType: string, code: string): boolean {
  const type = searchParameter(resourceType, code)?.type;
  return type === 'quantity' || type === 'number';
}

const PREFIXES = new Set<string>(['eq', 'ne', 'gt', 'lt', 'ge', 'le', 'sa', 'eb', 'ap']);

/**
 * FHIR quantity/number matching (https://hl7.org/fhir/R4/search.html#quantity): `[prefix]number`
 * with optional `|system|code`. `eq` uses the precision of the given number (7.1 matches
 * [7.05, 7.15)); `ap` allows 10 %.
 */
function matchesNumericFilter(resource: Resource, filter: Filter): boolean {
  const param = searchParameter(resource.resourceType, filter.code);
  if (!param?.expression) return false;
  const values = evalFhirPathTyped(param.expression, [toTypedValue(resource)]);
  return filter.value.split(',').some((raw) => {
    const parsed = parseNumericValue(filter.operator, raw);
    if (!parsed)
      throw new OperationOutcomeError(badRequestOutcome(`Invalid ${param.type} search value: ${raw}`));
    return values.some((tv) => {
      let number: number | undefined;
      let system: string | undefined;
      let code: string | undefined;
      let unit: string | undefined;
      if (typeof tv.value === 'number') {
        number = tv.value;
      } else if (tv.value && typeof tv.value === 'object') {
        const q = tv.value as Quantity;
        number = q.value;
        system = q.system;
        code = q.code;
        unit = q.unit;
      }
      if (number === undefined) return false;
      if (parsed.system && parsed.system !== system) return false;
      if (parsed.code && parsed.code !== code && parsed.code !== unit) return false;
      return compareNumber(parsed.prefix, number, parsed.value, parsed.precision);
    });
  });
}

function parseNumericValue(
  operator: string,
  raw: string,
): { prefix: string; value: number; precision: number; system?: string; code?: string } | undefined {
  const [numberPart = '', system, code] = raw.split('|');
  let prefix = PREFIXES.has(operator) ? operator : 'eq';
  let text = numberPart;
  const head = text.slice(0, 2);
  if (PREFIXES.has(head) && !/^\d/.test(head)) {
    prefix = head;
    text = text.slice(2);
  }
  if (!/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text)) return undefined;
  const decimals = text.includes('.') ? (text.split('.')[1]?.replace(/[eE].*$/, '').length ?? 0) : 0;
  return {
    prefix,
    value: Number(text),
    precision: 0.5 * 10 ** -decimals,
    ...(system ? { system } : {}),
    ...(code ? { code } : {}),
  };
}

function compareNumber(prefix: string, actual: number, wanted: number, precision: number): boolean {
  switch (prefix) {
    case 'eq':
      return actual >= wanted - precision && actual < wanted + precision;
    case 'ne':
      return !(actual >= wanted - precision && actual < wanted + precision);
    case 'gt':
    case 'sa':
      return actual > wanted;
    case 'lt':
    case 'eb':
      return actual < wanted;
    case 'ge':
      return actual >= wanted;
    case 'le':
      return actual <= wanted;
    case 'ap':
      return Math.abs(actual - wanted) <= Math.abs(wanted) * 0.1;
    default:
      return false;
  }
}

/** Stable multi-key sort; resources without a value sort last whatever the direction. */
function sortResources(resources: Resource[], rules: SortRule[]): void {
  const keys = new Map<Resource, (string | number | undefined)[]>();
  for (const resource of resources) {
    keys.set(
      resource,
      rules.map((rule) => sortKey(resource, rule.code)),
    );
  }
  resources.sort((a, b) => {
    const ka = keys.get(a) ?? [];
    const kb = keys.get(b) ?? [];
    for (let i = 0; i < rules.length; i++) {
      const x = ka[i];
      const y = kb[i];
      if (x === y) continue;
      if (x === undefined) return 1;
      if (y === undefined) return -1;
      const cmp = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      if (cmp !== 0) return rules[i]?.descending ? -cmp : cmp;
    }
    return 0;
  });
}

function sortKey(resource: Resource, code: string): string | number | undefined {
  if (code === '_id') return resource.id;
  if (code === '_lastUpdated') return resource.meta?.lastUpdated;
  const param = searchParameter(resource.resourceType, code);
  if (!param?.expression) {
    throw new OperationOutcomeError(
      badRequestOutcome(`Unknown sort parameter for ${resource.resourceType}: ${code}`),
    );
  }
  const first = evalFhirPathTyped(param.expression, [toTypedValue(resource)])[0];
  const value: unknown = first?.value;
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' || typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  const v = value as Record<string, unknown>;
  if (typeof v.start === 'string') return v.start; // Period
  if (typeof v.end === 'string') return v.end;
  if (typeof v.value === 'number') return v.value; // Quantity
  if (Array.isArray(v.coding)) return String((v.coding[0] as { code?: string } | undefined)?.code ?? '');
  if (typeof v.family === 'string') return v.family; // HumanName
  if (typeof v.reference === 'string') return v.reference;
  return JSON.stringify(value);
}

function badRequestOutcome(message: string): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    id: 'bad-request',
    issue: [{ severity: 'error', code: 'invalid', details: { text: message } }],
  };
}
