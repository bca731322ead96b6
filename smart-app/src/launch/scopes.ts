/**
 * Reading the granted `scope` (SMART App Launch 2.2 §scopes): granted may differ from requested,
 * and servers answer v1 (`patient/Observation.read`) or v2 (`patient/Observation.rs`) scopes.
 */

/** True when the granted scopes let the app read (and search) `resourceType` in the patient's record. */
export function canRead(granted: string, resourceType: string): boolean {
  for (const scope of granted.split(/\s+/)) {
    // A v2 scope narrowed by a query (`?category=laboratory`) still allows reading part of the type.
    const match = /^(?:patient|user)\/([A-Za-z]+|\*)\.(read|\*|c?r?u?d?s?)(?:\?.*)?$/.exec(scope);
    if (!match) continue;
    const [, type, permission] = match;
    if (type !== resourceType && type !== '*') continue;
    if (permission === 'read' || permission === '*' || permission?.includes('r')) return true;
  }
  return false;
}

/** The resource types among `needed` the grant does not let the app read. */
export function missingReads(granted: string, needed: readonly string[]): string[] {
  return needed.filter((type) => !canRead(granted, type));
}
