/**
 * The FHIR server allowlist: the service sends a request (and an access token) only to a base URL
 * configured in FHIR_SERVER_ALLOWLIST, compared exactly after normalization, so a hook request
 * cannot point the service at an arbitrary host (SSRF; DESIGN.md §8).
 */
import { normalizeBaseUrl } from '../config';

export { normalizeBaseUrl };

export class FhirAllowlist {
  private readonly bases: ReadonlySet<string>;

  constructor(bases: readonly string[]) {
    this.bases = new Set(bases.map(normalizeBaseUrl));
  }

  /** The normalized base when it is allowlisted, else undefined (also for unparsable URLs). */
  match(fhirServer: string | undefined): string | undefined {
    if (!fhirServer) return undefined;
    let base: string;
    try {
      base = normalizeBaseUrl(fhirServer);
    } catch {
      return undefined;
    }
    return this.bases.has(base) ? base : undefined;
  }

  /** The base when exactly one is configured (a lookup then needs no `fhirServer`), else undefined. */
  onlyBase(): string | undefined {
    return this.bases.size === 1 ? [...this.bases][0] : undefined;
  }

  allows(fhirServer: string | undefined): boolean {
    return this.match(fhirServer) !== undefined;
  }
}
