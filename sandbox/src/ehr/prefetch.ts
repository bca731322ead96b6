/**
 * Prefetch as a CDS client fills it: resolve each template's tokens, run the query against the
 * sandbox's FHIR store, and hand the result over in the shape the chosen prefetch mode asks for.
 * The modes reproduce every state a service must handle (CDS Hooks STU2 §Prefetch, L269-282;
 * cds-hooks.md §4 and pain point §13.3).
 */
import type { Resource } from '@rationale/shared-types';
import type { SandboxFhir } from '../contracts';

/**
 * - `full`: every key filled, as a well-behaved client does;
 * - `omit`: no prefetch at all, the service must query `fhirServer` (or answer 412 without it);
 * - `null`: every key `null` ("the client has no data");
 * - `operation-outcome`: every key an error (an OperationOutcome, or a search Bundle carrying one);
 * - `paged`: searches return their first page only, with a `next` link to the FHIR server.
 */
export const PREFETCH_MODES = ['full', 'omit', 'null', 'operation-outcome', 'paged'] as const;
export type PrefetchMode = (typeof PREFETCH_MODES)[number];

/** Page size of the `paged` mode: small, so even short records span pages. */
export const PAGED_PAGE_SIZE = 2;

export interface TemplateContext {
  /** The hook's context; only root-level primitive fields may be used as tokens. */
  context: Record<string, unknown>;
  /** `Type/id` of the user (context.userId). */
  userId: string;
  now: Date;
}

export type ResolvedTemplate = { ok: true; url: string } | { ok: false; reason: string };

const TOKEN = /\{\{\s*([^}]*?)\s*\}\}/g;
const TODAY = /^today\(\)\s*(?:([+-])\s*(\d+)\s*(days?|weeks?|months?|years?))?$/;
const USER_TOKENS: Record<string, string> = {
  userPractitionerId: 'Practitioner',
  userPractitionerRoleId: 'PractitionerRole',
  userPatientId: 'Patient',
  userRelatedPersonId: 'RelatedPerson',
};

/**
 * Replaces a template's `{{...}}` tokens: `context.<field>` (root-level primitives only), the
 * `user*Id` tokens (STU2 L284-322) and the 3.0 ballot's `today()` ± N days|weeks|months|years
 * (R3 L418-490). A token that cannot be resolved makes the whole key unresolvable: the client then
 * leaves the key out, never sends a half-filled query.
 */
export function resolveTemplate(template: string, ctx: TemplateContext): ResolvedTemplate {
  let failure: string | undefined;
  const url = template.replace(TOKEN, (_match, raw: string) => {
    const value = resolveToken(raw, ctx);
    if (value === undefined) {
      failure ??= `token {{${raw}}} cannot be resolved`;
      return '';
    }
    return encodeURIComponent(value);
  });
  return failure ? { ok: false, reason: failure } : { ok: true, url };
}

function resolveToken(token: string, ctx: TemplateContext): string | undefined {
  if (token.startsWith('context.')) {
    const value = ctx.context[token.slice('context.'.length)];
    return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
      ? String(value)
      : undefined;
  }
  const userType = USER_TOKENS[token];
  if (userType) {
    const [type, id] = ctx.userId.split('/');
    return type === userType && id ? id : undefined;
  }
  const today = TODAY.exec(token);
  if (today) {
    const date = new Date(Date.UTC(ctx.now.getUTCFullYear(), ctx.now.getUTCMonth(), ctx.now.getUTCDate()));
    const [, sign, amount, unit] = today;
    if (sign && amount && unit) {
      const n = Number(amount) * (sign === '-' ? -1 : 1);
      if (unit.startsWith('day')) date.setUTCDate(date.getUTCDate() + n);
      else if (unit.startsWith('week')) date.setUTCDate(date.getUTCDate() + 7 * n);
      else if (unit.startsWith('month')) date.setUTCMonth(date.getUTCMonth() + n);
      else date.setUTCFullYear(date.getUTCFullYear() + n);
    }
    return date.toISOString().slice(0, 10);
  }
  return undefined;
}

export type FhirQuery =
  | { kind: 'read'; resourceType: string; id: string }
  | { kind: 'search'; resourceType: string; params: Array<[string, string]> };

/**
 * Splits a resolved, relative FHIR URL into an instance read or a type-level search: the
 * recommended query subset of STU2 L324-334. Anything else (compartments, operations) is refused.
 */
export function parseFhirQuery(url: string): FhirQuery | undefined {
  const [path = '', query = ''] = url.replace(/^\//, '').split('?', 2);
  const segments = path.split('/').filter(Boolean);
  const resourceType = segments[0];
  if (!resourceType || !/^[A-Z][A-Za-z]+$/.test(resourceType)) return undefined;
  if (segments.length === 2 && !query) {
    const id = segments[1];
    return id && /^[A-Za-z0-9\-.]{1,64}$/.test(id) ? { kind: 'read', resourceType, id } : undefined;
  }
  if (segments.length !== 1) return undefined;
  return { kind: 'search', resourceType, params: [...new URLSearchParams(query).entries()] };
}

/** What happened to one prefetch key: shown in the inspector. */
export interface PrefetchNote {
  key: string;
  template: string;
  /** The resolved, relative query. */
  query?: string;
  outcome:
    'filled' | 'not-found' | 'omitted' | 'null' | 'operation-outcome' | 'paged' | 'unresolved' | 'error';
  /** Entries sent (searches) or 1 (reads). */
  count?: number;
  /** Entries that matched in all (searches). */
  total?: number;
  message?: string;
}

export interface BuildPrefetchInput {
  templates: Record<string, string>;
  mode: PrefetchMode;
  ctx: TemplateContext;
  fhir: SandboxFhir;
  /** Absolute FHIR base, for `fullUrl` and paging links. */
  fhirBaseUrl: string;
}

export interface BuiltPrefetch {
  /** Undefined when nothing is to be sent (mode `omit`, or no templates). */
  prefetch?: Record<string, Resource | null>;
  notes: PrefetchNote[];
}

/** Fills a service's prefetch templates from the FHIR store, shaped by the prefetch mode. */
export async function buildPrefetch(input: BuildPrefetchInput): Promise<BuiltPrefetch> {
  const { templates, mode, ctx, fhir, fhirBaseUrl } = input;
  const entries = Object.entries(templates);
  if (mode === 'omit') {
    return {
      notes: entries.map(([key, template]) => ({
        key,
        template,
        outcome: 'omitted',
        message: 'prefetch mode "omit"',
      })),
    };
  }
  const prefetch: Record<string, Resource | null> = {};
  const notes: PrefetchNote[] = [];
  await Promise.all(
    entries.map(async ([key, template]) => {
      const resolved = resolveTemplate(template, ctx);
      if (!resolved.ok) {
        notes.push({ key, template, outcome: 'unresolved', message: `${resolved.reason}; key left out` });
        return;
      }
      const query = parseFhirQuery(resolved.url);
      if (!query) {
        notes.push({
          key,
          template,
          query: resolved.url,
          outcome: 'unresolved',
          message: 'not a read or type-level search; key left out',
        });
        return;
      }
      if (mode === 'null') {
        prefetch[key] = null;
        notes.push({ key, template, query: resolved.url, outcome: 'null' });
        return;
      }
      if (mode === 'operation-outcome') {
        prefetch[key] =
          query.kind === 'read'
            ? prefetchError(key)
            : searchBundle(fhirBaseUrl, resolved.url, [], 0, [prefetchError(key)]);
        notes.push({ key, template, query: resolved.url, outcome: 'operation-outcome' });
        return;
      }
      try {
        if (query.kind === 'read') {
          const resource = await fhir.read(query.resourceType, query.id);
          // The client has no data: null (STU2 L274), never an empty object.
          prefetch[key] = resource ?? null;
          notes.push({
            key,
            template,
            query: resolved.url,
            outcome: resource ? 'filled' : 'not-found',
            count: resource ? 1 : 0,
          });
          return;
        }
        const { page, total, next } = await searchPage(
          fhir,
          query,
          mode === 'paged' ? PAGED_PAGE_SIZE : undefined,
        );
        const nextUrl = next === undefined ? undefined : pageUrl(fhirBaseUrl, query, next.count, next.offset);
        prefetch[key] = searchBundle(fhirBaseUrl, resolved.url, page, total, [], nextUrl);
        notes.push({
          key,
          template,
          query: resolved.url,
          outcome: nextUrl && mode === 'paged' ? 'paged' : 'filled',
          count: page.length,
          total,
        });
      } catch (error) {
        notes.push({
          key,
          template,
          query: resolved.url,
          outcome: 'error',
          message: `${(error as Error).message}; key left out`,
        });
      }
    }),
  );
  notes.sort((a, b) => entries.findIndex(([k]) => k === a.key) - entries.findIndex(([k]) => k === b.key));
  return { prefetch: Object.keys(prefetch).length ? prefetch : undefined, notes };
}

/**
 * Runs a search and cuts out its first page. `_count` in the template is a page size, so a template
 * asking for `_count=1&_sort=-date` gets exactly the newest entry, with a `next` link if there are more.
 */
async function searchPage(
  fhir: SandboxFhir,
  query: Extract<FhirQuery, { kind: 'search' }>,
  maxPageSize: number | undefined,
): Promise<{ page: Resource[]; total: number; next?: { count: number; offset: number } }> {
  const params: Record<string, string> = {};
  for (const [name, value] of query.params) {
    // SandboxFhir.search takes one value per parameter; a repeated parameter (date=ge..&date=le..)
    // is joined into the store's AND form only where the store supports it, so keep the first.
    if (name === '_count' || name === '_offset') continue;
    params[name] ??= value;
  }
  const all = await fhir.search(query.resourceType, params);
  const requested = Number(query.params.find(([n]) => n === '_count')?.[1]);
  const offset = Math.max(0, Number(query.params.find(([n]) => n === '_offset')?.[1]) || 0);
  let size = Number.isInteger(requested) && requested > 0 ? requested : all.length;
  if (maxPageSize !== undefined) size = Math.min(size, maxPageSize);
  const page = all.slice(offset, offset + size);
  const hasMore = offset + size < all.length;
  return { page, total: all.length, next: hasMore ? { count: size, offset: offset + size } : undefined };
}

function pageUrl(
  fhirBaseUrl: string,
  query: Extract<FhirQuery, { kind: 'search' }>,
  count: number,
  offset: number,
): string {
  const params = new URLSearchParams(query.params.filter(([n]) => n !== '_count' && n !== '_offset'));
  params.set('_count', String(count));
  params.set('_offset', String(offset));
  return `${fhirBaseUrl}/${query.resourceType}?${params.toString()}`;
}

function searchBundle(
  fhirBaseUrl: string,
  relativeUrl: string,
  resources: Resource[],
  total: number,
  outcomes: Resource[] = [],
  nextUrl?: string,
): Resource {
  const link = [{ relation: 'self', url: `${fhirBaseUrl}/${relativeUrl.replace(/^\//, '')}` }];
  if (nextUrl) link.push({ relation: 'next', url: nextUrl });
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total,
    link,
    entry: [
      ...resources.map((resource) => ({
        fullUrl: `${fhirBaseUrl}/${resource.resourceType}/${resource.id ?? ''}`,
        resource,
        search: { mode: 'match' as const },
      })),
      ...outcomes.map((resource) => ({ resource, search: { mode: 'outcome' as const } })),
    ],
  };
}

function prefetchError(key: string): Resource {
  return {
    resourceType: 'OperationOutcome',
    issue: [
      {
        severity: 'error',
        code: 'exception',
        diagnostics: `The EHR could not fill prefetch key "${key}" (sandbox prefetch mode "operation-outcome")`,
      },
    ],
  };
}

/** Resource types a set of templates reads: the patient scopes the service's token needs. */
export function resourceTypesOf(templates: Record<string, string>): string[] {
  const types = new Set<string>();
  for (const template of Object.values(templates)) {
    const type = /^\/?([A-Z][A-Za-z]+)/.exec(template)?.[1];
    if (type) types.add(type);
  }
  return [...types].sort();
}
