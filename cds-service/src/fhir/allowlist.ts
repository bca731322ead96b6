/**
 * The FHIR server allowlist: the service sends a request (and an access token) only to a FHIR base
 * under an entry of FHIR_SERVER_ALLOWLIST, so a hook request or an app call cannot point the service
 * at an arbitrary host (SSRF; DESIGN.md §8). An entry is an origin and a path prefix: a base matches
 * when its scheme, host and port equal the entry's and its path is the entry's path or continues it
 * by whole segments. That admits launchers and multi-tenant servers whose base differs per launch or
 * tenant (smart-launcher-v2: `http://launcher/v/r4/sim/<launch>/fhir` under `http://launcher/v/r4/sim`;
 * Oracle Health: `https://fhir-ehr.cerner.com/r4/<tenant>` under `https://fhir-ehr.cerner.com/r4`)
 * while `https://fhir.example.org/r4` admits neither `https://fhir.example.org/r4x` nor another host.
 */
import { normalizeBaseUrl } from '../config';

export { normalizeBaseUrl };

interface Entry {
  origin: string;
  /** The path without trailing slashes; '' for the origin's root. */
  path: string;
}

/** A slash or backslash written percent-encoded: a server may decode it into a path separator. */
const ENCODED_SEPARATOR = /%2f|%5c/i;

function parse(url: string): { origin: string; path: string } | undefined {
  try {
    // WHATWG URL parsing lower-cases scheme and host, drops a default port and resolves `.` and
    // `..` segments (also written %2e), so "…/sim/../../admin" is judged where it really points.
    const u = new URL(url);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return undefined;
    return { origin: `${u.protocol}//${u.host}`, path: u.pathname.replace(/\/+$/, '') };
  } catch {
    return undefined;
  }
}

export class FhirAllowlist {
  private readonly entries: readonly Entry[];

  constructor(bases: readonly string[]) {
    this.entries = bases.map((b) => parse(b)).filter((e): e is Entry => e !== undefined);
  }

  /**
   * The normalized base (`normalizeBaseUrl`: the request's own base, not the entry) when it is
   * under an entry, else undefined (also for unparsable URLs and non-HTTP schemes). Under a prefix,
   * a percent-encoded slash or backslash is refused: it could name another path once decoded.
   */
  match(fhirServer: string | undefined): string | undefined {
    if (!fhirServer) return undefined;
    const target = parse(fhirServer);
    if (!target) return undefined;
    const allowed = this.entries.some(
      (e) =>
        e.origin === target.origin &&
        (target.path === e.path ||
          (target.path.startsWith(`${e.path}/`) &&
            !ENCODED_SEPARATOR.test(target.path.slice(e.path.length)))),
    );
    return allowed ? normalizeBaseUrl(fhirServer) : undefined;
  }

  /** The base when exactly one entry is configured (a lookup then needs no `fhirServer`), else undefined. */
  onlyBase(): string | undefined {
    const only = this.entries.length === 1 ? this.entries[0] : undefined;
    return only ? `${only.origin}${only.path}` : undefined;
  }

  allows(fhirServer: string | undefined): boolean {
    return this.match(fhirServer) !== undefined;
  }
}
