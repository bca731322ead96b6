/**
 * FHIR search over the sandbox repository: query normalization (bare-id references such as
 * `patient=123` become `Patient/123`, absolute references become relative), parameter
 * validation, `_include`/`_revinclude`, and searchset Bundles with absolute `self`/`next`/
 * `previous` links carrying `_offset` (https://hl7.org/fhir/R4/http.html#paging).
 */
import { evalFhirPathTyped, parseSearchRequest, toTypedValue, type IncludeTarget } from '@medplum/core';
import type { Bundle, BundleEntry, BundleLink, Reference, Resource } from '@medplum/fhirtypes';
import type { AccessRule } from './access';
import { searchParameter } from './definitions';
import { FhirError } from './errors';
import type { ResourcePredicate, SandboxRepository } from './repository';

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;
const MAX_INCLUDED = 5000;

/** Result parameters the server understands (others starting with `_` are rejected). */
const RESULT_PARAMS = new Set([
  '_count',
  '_offset',
  '_sort',
  '_include',
  '_revinclude',
  '_summary',
  '_total',
  '_format',
  '_pretty',
  '_elements',
]);

export type Query = [string, string][];

/** Flattens an Express query object (`string | string[]`) into ordered pairs. */
export function toQuery(input: Record<string, unknown>): Query {
  const out: Query = [];
  for (const [key, value] of Object.entries(input)) {
    // Query parsers give strings or arrays of strings; anything else (nested objects) is not a FHIR parameter.
    if (Array.isArray(value)) for (const v of value) if (typeof v === 'string') out.push([key, v]);
    if (typeof value === 'string') out.push([key, value]);
  }
  return out;
}

/**
 * Normalizes and validates a search query: reference values to `Type/id`, `param:Type=id` to
 * `param=Type/id`, absolute references under our FHIR base to relative ones. Throws `invalid`
 * for parameters the type does not define.
 */
export function normalizeQuery(resourceType: string, query: Query, fhirBaseUrl: string): Query {
  const out: Query = [];
  for (const [key, value] of query) {
    const [code = '', modifier] = key.split(':', 2);
    if (code.startsWith('_') && RESULT_PARAMS.has(code)) {
      if (code === '_sort') validateSort(resourceType, value);
      if (code === '_include' || code === '_revinclude') validateInclude(resourceType, code, value);
      out.push([key, value]);
      continue;
    }
    const param = searchParameter(resourceType, code);
    if (!param) throw new FhirError('invalid', `Unknown search parameter for ${resourceType}: ${code}`);
    if (param.type !== 'reference') {
      out.push([key, value]);
      continue;
    }
    const targets = (param.target ?? []) as string[];
    let typeHint: string | undefined;
    let outKey = key;
    if (modifier && /^[A-Z][A-Za-z]+$/.test(modifier)) {
      typeHint = modifier;
      outKey = code;
    } else if (
      targets.includes('Patient') &&
      (code === 'patient' || code === 'subject' || targets.length === 1)
    ) {
      typeHint = 'Patient';
    } else if (targets.length === 1) {
      typeHint = targets[0];
    }
    const values = value.split(',').map((v) => {
      let ref = v.startsWith(`${fhirBaseUrl}/`) ? v.slice(fhirBaseUrl.length + 1) : v;
      if (!ref.includes('/') && !ref.includes(':') && typeHint && ref !== '') ref = `${typeHint}/${ref}`;
      return ref;
    });
    out.push([outKey, values.join(',')]);
  }
  return out;
}

function validateSort(resourceType: string, value: string): void {
  for (const field of value.split(',')) {
    const code = field.replace(/^-/, '');
    if (code === '_id' || code === '_lastUpdated') continue;
    if (!searchParameter(resourceType, code)) {
      throw new FhirError('invalid', `Unknown sort parameter for ${resourceType}: ${code}`);
    }
  }
}

function validateInclude(resourceType: string, code: string, value: string): void {
  const [source = '', param = ''] = value.split(':');
  if (code === '_include' && source !== resourceType) {
    throw new FhirError('invalid', `_include must name ${resourceType}: ${value}`);
  }
  const def = searchParameter(source, param);
  if (!def || def.type !== 'reference') {
    throw new FhirError(
      'invalid',
      `${code}=${value}: ${source}.${param} is not a reference search parameter`,
    );
  }
}

/** Patient ids a normalized query names through `patient`/`subject` (or `_id` on Patient). */
export function patientsNamed(resourceType: string, query: Query): string[] | undefined {
  const ids: string[] = [];
  let named = false;
  for (const [key, value] of query) {
    const code = key.split(':')[0];
    const isPatientParam =
      resourceType === 'Patient' ? code === '_id' : code === 'patient' || code === 'subject';
    if (!isPatientParam) continue;
    named = true;
    for (const v of value.split(',')) {
      if (resourceType === 'Patient') ids.push(v);
      else if (v.startsWith('Patient/')) ids.push(v.slice('Patient/'.length));
      else ids.push(v);
    }
  }
  return named ? ids : undefined;
}

/** Which parameter restricts a type to one patient. */
function patientParam(resourceType: string): string | undefined {
  if (resourceType === 'Patient') return '_id';
  if (searchParameter(resourceType, 'patient')) return 'patient';
  if (searchParameter(resourceType, 'subject')) return 'subject';
  return undefined;
}

export interface SearchOptions {
  /** Access rule of the caller for `search` on this type; undefined: unrestricted (the EHR itself). */
  rule?: AccessRule;
  /** Access to included resources, by type; undefined result: not visible. */
  includeRule?: (resourceType: string) => AccessRule | undefined;
  /** Page size and offset from the query are honoured; `all` ignores them (server-side use). */
  all?: boolean;
}

/** Runs a search; returns a searchset Bundle with absolute fullUrls and paging links. */
export async function runSearch(
  repo: SandboxRepository,
  fhirBaseUrl: string,
  resourceType: string,
  rawQuery: Query,
  options: SearchOptions = {},
): Promise<Bundle> {
  const query = normalizeQuery(resourceType, rawQuery, fhirBaseUrl);
  const rule = options.rule;
  if (rule?.patientOnly) {
    const named = patientsNamed(resourceType, query);
    if (named && named.some((id) => id !== rule.patientOnly)) {
      throw new FhirError(
        'forbidden',
        `This token's patient scopes do not cover other patients' ${resourceType}`,
      );
    }
    if (!named) {
      const param = patientParam(resourceType);
      if (!param)
        throw new FhirError('forbidden', `Patient-scoped tokens must search ${resourceType} by patient`);
      query.push([param, resourceType === 'Patient' ? rule.patientOnly : `Patient/${rule.patientOnly}`]);
    }
  }
  const request = parseSearchRequest(resourceType, groupQuery(query));
  const summaryCount = request.count === 0 && request.total === 'accurate';
  let count = request.count ?? DEFAULT_PAGE_SIZE;
  if (!Number.isFinite(count) || count < 0)
    throw new FhirError('invalid', '_count must be a non-negative integer');
  count = Math.min(count, MAX_PAGE_SIZE);
  let offset = request.offset ?? 0;
  if (!Number.isFinite(offset) || offset < 0)
    throw new FhirError('invalid', '_offset must be a non-negative integer');
  if (options.all) {
    delete request.count;
    offset = 0;
    delete request.offset;
  } else {
    request.count = count;
    request.offset = offset;
  }
  const predicate: ResourcePredicate | undefined = rule ? (r) => rule.allows(r) : undefined;
  const result = await repo.searchWhere(request, predicate);
  const total = result.total ?? 0;
  const entry: BundleEntry[] = (result.entry ?? []).map((e) => ({
    fullUrl: `${fhirBaseUrl}/${resourceType}/${e.resource?.id ?? ''}`,
    resource: e.resource,
    search: { mode: 'match' },
  }));
  if (!summaryCount && entry.length > 0) {
    entry.push(...(await included(repo, fhirBaseUrl, entry, request.include, request.revInclude, options)));
  }
  const bundle: Bundle = { resourceType: 'Bundle', type: 'searchset', total };
  if (!options.all) bundle.link = pagingLinks(fhirBaseUrl, resourceType, query, offset, count, total);
  if (entry.length > 0) bundle.entry = entry;
  return bundle;
}

function groupQuery(query: Query): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of query) (out[k] ??= []).push(v);
  return out;
}

function pagingLinks(
  base: string,
  type: string,
  query: Query,
  offset: number,
  count: number,
  total: number,
): BundleLink[] {
  const kept = query.filter(([k]) => k !== '_offset' && k !== '_count');
  const url = (o: number): string => {
    const params = new URLSearchParams([...kept, ['_count', String(count)], ['_offset', String(o)]]);
    return `${base}/${type}?${params.toString()}`;
  };
  const links: BundleLink[] = [{ relation: 'self', url: url(offset) }];
  if (count > 0) {
    links.push({ relation: 'first', url: url(0) });
    if (offset > 0) links.push({ relation: 'previous', url: url(Math.max(0, offset - count)) });
    if (offset + count < total) links.push({ relation: 'next', url: url(offset + count) });
  }
  return links;
}

async function included(
  repo: SandboxRepository,
  base: string,
  matches: BundleEntry[],
  include: IncludeTarget[] | undefined,
  revInclude: IncludeTarget[] | undefined,
  options: SearchOptions,
): Promise<BundleEntry[]> {
  const seen = new Set(matches.map((e) => `${e.resource?.resourceType}/${e.resource?.id}`));
  const out: BundleEntry[] = [];
  const add = (resource: Resource): void => {
    const key = `${resource.resourceType}/${resource.id}`;
    if (seen.has(key) || out.length >= MAX_INCLUDED) return;
    const rule = options.includeRule?.(resource.resourceType);
    if (options.includeRule && (!rule || !rule.allows(resource))) return;
    seen.add(key);
    out.push({ fullUrl: `${base}/${key}`, resource, search: { mode: 'include' } });
  };
  for (const target of include ?? []) {
    const expression = searchParameter(target.resourceType, target.searchParam)?.expression;
    if (!expression) continue;
    for (const e of matches) {
      if (!e.resource) continue;
      for (const tv of evalFhirPathTyped(expression, [toTypedValue(e.resource)])) {
        const ref = (tv.value as Reference | undefined)?.reference;
        const m = ref ? /^(?:.*\/)?([A-Z][A-Za-z]+)\/([^/]+)$/.exec(ref) : null;
        if (!m?.[1] || !m[2]) continue;
        if (target.targetType && target.targetType !== m[1]) continue;
        try {
          add(await repo.readResource(m[1], m[2]));
        } catch {
          // A dangling reference includes nothing.
        }
      }
    }
  }
  for (const target of revInclude ?? []) {
    for (const e of matches) {
      if (!e.resource) continue;
      const request = parseSearchRequest(target.resourceType, {
        [target.searchParam]: `${e.resource.resourceType}/${e.resource.id ?? ''}`,
      });
      const found = await repo.searchWhere(request);
      for (const f of found.entry ?? []) if (f.resource) add(f.resource);
    }
  }
  return out;
}
