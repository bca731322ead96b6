/**
 * One parser for SMART scopes, v1 and v2 (SMART App Launch 2.2, "Scopes and Launch Context"):
 * `(patient|user|system)/(Type|*).(cruds subset in order)[?param=value&...]` and the v1 forms
 * `.read` (= `.rs`), `.write` (= `.cud`), `.*` (= `.cruds`). The URI form
 * `http://smarthealthit.org/fhir/scopes/...` is accepted too.
 */

export type ScopeContext = 'patient' | 'user' | 'system';
export type Permission = 'c' | 'r' | 'u' | 'd' | 's';
export const PERMISSIONS: readonly Permission[] = ['c', 'r', 'u', 'd', 's'];

export interface ResourceScope {
  /** The scope as written. */
  raw: string;
  context: ScopeContext;
  /** A FHIR resource type or `*`. */
  resourceType: string;
  permissions: ReadonlySet<Permission>;
  /** Fine-grained constraint (`?category=...|laboratory`): parameters and their values. */
  query?: [string, string][];
  version: 1 | 2;
}

export interface ParsedScopes {
  resources: ResourceScope[];
  /** launch, launch/patient, openid, fhirUser, offline_access, online_access, ... */
  others: Set<string>;
  /** Scopes that look like resource scopes but break the grammar (e.g. `.dus`, `.rw`). */
  invalid: string[];
}

const URI_PREFIX = 'http://smarthealthit.org/fhir/scopes/';
const RESOURCE_SCOPE = /^(patient|user|system)\/(\*|[A-Z][A-Za-z]+)\.([^?]+)(\?.*)?$/;
const V2_PERMISSIONS = /^c?r?u?d?s?$/;

/** Parses one resource scope; undefined when it is not a resource scope, `null` when malformed. */
export function parseResourceScope(raw: string): ResourceScope | null | undefined {
  const scope = raw.startsWith(URI_PREFIX) ? raw.slice(URI_PREFIX.length) : raw;
  if (!/^(patient|user|system)\//.test(scope)) return undefined;
  const m = RESOURCE_SCOPE.exec(scope);
  if (!m) return null;
  const [, context, resourceType, perms = '', queryText] = m;
  let permissions: Permission[];
  let version: 1 | 2;
  if (perms === 'read') {
    permissions = ['r', 's'];
    version = 1;
  } else if (perms === 'write') {
    permissions = ['c', 'u', 'd'];
    version = 1;
  } else if (perms === '*') {
    permissions = [...PERMISSIONS];
    version = 1;
  } else if (perms.length > 0 && V2_PERMISSIONS.test(perms)) {
    permissions = perms.split('') as Permission[];
    version = 2;
  } else {
    return null;
  }
  let query: [string, string][] | undefined;
  if (queryText) {
    if (version === 1) return null;
    query = [...new URLSearchParams(queryText.slice(1)).entries()];
    if (query.length === 0) return null;
  }
  return {
    raw,
    context: context as ScopeContext,
    resourceType: resourceType ?? '*',
    permissions: new Set(permissions),
    ...(query ? { query } : {}),
    version,
  };
}

/** Parses a space-separated scope string. */
export function parseScopes(scope: string | undefined): ParsedScopes {
  const out: ParsedScopes = { resources: [], others: new Set(), invalid: [] };
  for (const raw of (scope ?? '').split(/\s+/).filter(Boolean)) {
    const parsed = parseResourceScope(raw);
    if (parsed === undefined) out.others.add(raw.startsWith(URI_PREFIX) ? raw.slice(URI_PREFIX.length) : raw);
    else if (parsed === null) out.invalid.push(raw);
    else out.resources.push(parsed);
  }
  return out;
}

/** The scopes that grant `permission` on `resourceType`. */
export function scopesGranting(
  scopes: readonly ResourceScope[],
  resourceType: string,
  permission: Permission,
): ResourceScope[] {
  return scopes.filter(
    (s) => (s.resourceType === '*' || s.resourceType === resourceType) && s.permissions.has(permission),
  );
}

/**
 * Narrows a resource scope to the given permissions, keeping its version's spelling: a v1
 * `.read`/`.write`/`.*` becomes the v1 word when one fits, else the v2 letters. Undefined when
 * nothing is left.
 */
export function restrictScope(scope: ResourceScope, keep: ReadonlySet<Permission>): string | undefined {
  const left = PERMISSIONS.filter((p) => scope.permissions.has(p) && keep.has(p));
  if (left.length === 0) return undefined;
  const prefix = `${scope.context}/${scope.resourceType}.`;
  const query = scope.query ? `?${new URLSearchParams(scope.query).toString()}` : '';
  const letters = left.join('');
  if (letters === [...scope.permissions].sort(byCruds).join('')) return scope.raw;
  if (scope.version === 1) {
    if (letters === 'rs') return `${prefix}read`;
    if (letters === 'cud') return `${prefix}write`;
  }
  return `${prefix}${letters}${query}`;
}

function byCruds(a: Permission, b: Permission): number {
  return PERMISSIONS.indexOf(a) - PERMISSIONS.indexOf(b);
}
