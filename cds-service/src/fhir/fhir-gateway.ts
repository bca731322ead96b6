/**
 * Reads from an EHR's FHIR server: only allowlisted bases, a bearer token that goes nowhere else,
 * an AbortSignal on every request (the caller's time budget, covering the whole body), a cap on
 * the bytes of each response, and Bundle `next` links followed only when they stay under the same
 * base, up to a page cap. A Bundle past the byte cap is read up to it: its complete entries are
 * kept, the rest is never downloaded, and the caller is told (`onTruncated`), so one
 * huge search costs neither the time budget nor the process's memory.
 */
import type { Resource } from '@rationale/shared-types';
import type { FhirAllowlist } from './allowlist';

export type FhirFailure =
  | 'not-allowlisted'
  | 'timeout'
  | 'network'
  | 'http'
  | 'outcome'
  | 'invalid-response'
  | 'foreign-link'
  | 'too-large';

/** A FHIR read or search that did not yield data. Carries no URL query or token, only the reason. */
export class FhirRequestError extends Error {
  constructor(
    readonly reason: FhirFailure,
    readonly status?: number,
    cause?: unknown,
  ) {
    super(status ? `FHIR request failed: ${reason} ${status}` : `FHIR request failed: ${reason}`, { cause });
    this.name = 'FhirRequestError';
  }
}

export interface FhirRequestOptions {
  /** The bearer access token (fhirAuthorization.access_token or the app's token); may be absent for open servers. */
  accessToken?: string;
  signal: AbortSignal;
  /**
   * Stop following `next` links once this many resources are in hand: a newest-first template
   * (`_sort=-date&_count=N`) wants the first N, not the whole history.
   */
  maxResources?: number;
  /** Told when a response was cut at the byte cap (its entries before the cap were kept). */
  onTruncated?: () => void;
}

/** Default cap on one FHIR response's body: a page of 500 Observations is well under 2 MB. */
export const DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

/** What the record gatherer and the app API need from a FHIR server. */
export interface FhirGateway {
  /**
   * GETs `relativeUrl` under `fhirServer`. A Bundle yields its entries with every `next` page
   * followed; any other resource yields itself. An OperationOutcome (alone or as an error entry)
   * is a failure.
   */
  fetchResources(fhirServer: string, relativeUrl: string, options: FhirRequestOptions): Promise<Resource[]>;
  /** Follows the `next` links of a Bundle already in hand (a paginated prefetch). */
  fetchRemainingPages(
    fhirServer: string,
    bundle: BundleJson,
    options: FhirRequestOptions,
  ): Promise<Resource[]>;
  /** Status of a plain read (used to prove that a token may see a Patient). */
  readStatus(fhirServer: string, relativeUrl: string, options: FhirRequestOptions): Promise<number>;
}

export interface BundleJson {
  resourceType: 'Bundle';
  entry?: { resource?: Resource; search?: { mode?: string } }[];
  link?: { relation: string; url: string }[];
}

type FetchFn = typeof fetch;

/** Whether a resource is an OperationOutcome reporting an error (not a mere warning or information). */
export function isErrorOutcome(resource: unknown): boolean {
  if (!resource || typeof resource !== 'object') return false;
  const r = resource as { resourceType?: unknown; issue?: { severity?: string }[] };
  if (r.resourceType !== 'OperationOutcome') return false;
  const issues = Array.isArray(r.issue) ? r.issue : [];
  return issues.length === 0 || issues.some((i) => i.severity === 'error' || i.severity === 'fatal');
}

/** The resources of a Bundle, without OperationOutcome entries; throws when one of them is an error. */
export function bundleResources(bundle: BundleJson): Resource[] {
  const out: Resource[] = [];
  // Read liberally: `entry` as one object, or entries that are null, do not lose the rest.
  const entries: unknown = bundle.entry;
  const list: unknown[] = Array.isArray(entries) ? entries : entries ? [entries] : [];
  for (const e of list) {
    const r = e && typeof e === 'object' ? (e as { resource?: unknown }).resource : undefined;
    if (!r || typeof r !== 'object' || Array.isArray(r)) continue;
    if (typeof (r as { resourceType?: unknown }).resourceType !== 'string') continue;
    if ((r as Resource).resourceType === 'OperationOutcome') {
      if (isErrorOutcome(r)) throw new FhirRequestError('outcome');
      continue;
    }
    out.push(r as Resource);
  }
  return out;
}

export function nextLink(bundle: BundleJson): string | undefined {
  const links: unknown = bundle.link;
  if (!Array.isArray(links)) return undefined;
  const next = links.find(
    (l: unknown) => !!l && typeof l === 'object' && (l as { relation?: unknown }).relation === 'next',
  ) as { url?: unknown } | undefined;
  return typeof next?.url === 'string' ? next.url : undefined;
}

/** `fetch`-based gateway. `fetchFn` is looked up per call so test interceptors installed later apply. */
export class HttpFhirGateway implements FhirGateway {
  private readonly maxPages: number;
  private readonly fetchFn: () => FetchFn;

  private readonly maxResponseBytes: number;

  constructor(
    private readonly allowlist: FhirAllowlist,
    options: { fetch?: FetchFn; maxPages?: number; maxResponseBytes?: number } = {},
  ) {
    this.maxPages = options.maxPages ?? 10;
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    const injected = options.fetch;
    this.fetchFn = () => injected ?? globalThis.fetch;
  }

  async fetchResources(
    fhirServer: string,
    relativeUrl: string,
    options: FhirRequestOptions,
  ): Promise<Resource[]> {
    const base = this.requireAllowed(fhirServer);
    const body = await this.getJson(this.resolve(base, relativeUrl), options);
    if (isBundle(body)) {
      const first = bundleResources(body);
      return [...first, ...(await this.followNext(base, body, options, 1, first.length))];
    }
    if (isErrorOutcome(body)) throw new FhirRequestError('outcome');
    if (!isResource(body)) throw new FhirRequestError('invalid-response');
    return [body];
  }

  async fetchRemainingPages(
    fhirServer: string,
    bundle: BundleJson,
    options: FhirRequestOptions,
  ): Promise<Resource[]> {
    const base = this.requireAllowed(fhirServer);
    return this.followNext(base, bundle, options, 1, 0);
  }

  async readStatus(fhirServer: string, relativeUrl: string, options: FhirRequestOptions): Promise<number> {
    const base = this.requireAllowed(fhirServer);
    const res = await this.send(this.resolve(base, relativeUrl), options);
    // Drain the body so the connection can be reused; the content is not needed.
    await res.arrayBuffer().catch(() => undefined);
    return res.status;
  }

  private async followNext(
    base: string,
    first: BundleJson,
    options: FhirRequestOptions,
    pagesSoFar: number,
    resourcesSoFar: number,
  ): Promise<Resource[]> {
    const out: Resource[] = [];
    let bundle = first;
    let pages = pagesSoFar;
    const enough = options.maxResources ?? Infinity;
    for (let next = nextLink(bundle); next; next = nextLink(bundle)) {
      if (pages >= this.maxPages || resourcesSoFar + out.length >= enough) break;
      const url = this.resolve(base, next);
      const body = await this.getJson(url, options);
      if (!isBundle(body)) throw new FhirRequestError('invalid-response');
      out.push(...bundleResources(body));
      bundle = body;
      pages += 1;
    }
    return out;
  }

  private requireAllowed(fhirServer: string): string {
    const base = this.allowlist.match(fhirServer);
    if (!base) throw new FhirRequestError('not-allowlisted');
    return base;
  }

  /** An absolute URL under `base`: relative URLs are joined, absolute ones must stay under it. */
  private resolve(base: string, url: string): string {
    if (/^[a-z][a-z0-9+.-]*:/i.test(url)) {
      let u: URL;
      try {
        u = new URL(url);
      } catch {
        throw new FhirRequestError('foreign-link');
      }
      const b = new URL(base);
      const underBase =
        u.origin === b.origin &&
        (u.pathname === b.pathname || u.pathname.startsWith(`${b.pathname.replace(/\/$/, '')}/`));
      if (!underBase) throw new FhirRequestError('foreign-link');
      return u.toString();
    }
    return `${base}/${url.replace(/^\/+/, '')}`;
  }

  private async send(url: string, options: FhirRequestOptions): Promise<Response> {
    const { signal } = options;
    if (signal.aborted) throw new FhirRequestError('timeout');
    const headers: Record<string, string> = { accept: 'application/fhir+json, application/json' };
    if (options.accessToken) headers.authorization = `Bearer ${options.accessToken}`;
    // The race guarantees the budget even if a fetch implementation ignores the signal.
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(new FhirRequestError('timeout'));
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([
        this.fetchFn()(url, { headers, signal, redirect: 'error' }).catch((e: unknown) => {
          throw signal.aborted
            ? new FhirRequestError('timeout')
            : new FhirRequestError('network', undefined, e);
        }),
        aborted,
      ]);
    } finally {
      if (onAbort) signal.removeEventListener('abort', onAbort);
    }
  }

  private async getJson(url: string, options: FhirRequestOptions): Promise<unknown> {
    const res = await this.send(url, options);
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      throw new FhirRequestError('http', res.status);
    }
    const { bytes, complete } = await readCapped(res, this.maxResponseBytes, options.signal);
    if (complete) {
      try {
        return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
      } catch {
        throw new FhirRequestError('invalid-response');
      }
    }
    const partial = completeEntries(bytes);
    if (!partial) throw new FhirRequestError('too-large');
    options.onTruncated?.();
    return partial;
  }
}

/**
 * The body of `res`, read chunk by chunk up to `cap` bytes and within `signal`: past the cap the
 * download is cancelled (`complete: false`, the first `cap` bytes kept). Never buffers more.
 */
async function readCapped(
  res: Response,
  cap: number,
  signal: AbortSignal,
): Promise<{ bytes: Uint8Array; complete: boolean }> {
  const reader: ReadableStreamDefaultReader<Uint8Array> | undefined = res.body?.getReader();
  if (!reader) return { bytes: new Uint8Array(0), complete: true };
  const chunks: Uint8Array[] = [];
  let size = 0;
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new FhirRequestError('timeout'));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  aborted.catch(() => undefined);
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), aborted]);
      if (done) return { bytes: concat(chunks, size), complete: true };
      if (size + value.byteLength > cap) {
        chunks.push(value.subarray(0, cap - size));
        size = cap;
        return { bytes: concat(chunks, size), complete: false };
      }
      chunks.push(value);
      size += value.byteLength;
    }
  } catch (e) {
    throw e instanceof FhirRequestError
      ? e
      : new FhirRequestError(signal.aborted ? 'timeout' : 'network', undefined, e);
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
    // Stop the download: what is past the cap or the budget is never read.
    reader.cancel().catch(() => undefined);
  }
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1 && chunks[0]) return chunks[0];
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/**
 * A Bundle cut short, as far as it goes: its elements before `entry` and its complete entries. One
 * pass finds where the last complete entry ends (tracking depth and strings), then the prefix up to
 * there, closed, is parsed as usual. Its `link`s are dropped: the pages after a cut are not read.
 * Undefined when the prefix is not the start of a Bundle with entries.
 */
export function completeEntries(prefix: Uint8Array): BundleJson | undefined {
  const text = new TextDecoder().decode(prefix);
  let depth = 0;
  let inString = false;
  let stringStart = -1;
  let lastKey = '';
  let entryDepth = -1;
  let lastEntryEnd = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) {
        inString = false;
        if (depth === 1) lastKey = text.slice(stringStart + 1, i);
      }
      continue;
    }
    if (c === 34) {
      inString = true;
      stringStart = i;
    } else if (c === 123 /* { */ || c === 91 /* [ */) {
      depth++;
      if (c === 91 && depth === 2 && lastKey === 'entry') entryDepth = 2;
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      depth--;
      if (entryDepth === 2 && depth === 2 && c === 125) lastEntryEnd = i + 1;
      if (depth < 2 && entryDepth === 2) break; // the entry array closed: the rest is not needed
    }
  }
  if (lastEntryEnd < 0) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(`${text.slice(0, lastEntryEnd)}]}`);
  } catch {
    return undefined;
  }
  if (!isBundle(parsed)) return undefined;
  const { link: _cut, ...bundle } = parsed;
  return bundle;
}

function isResource(v: unknown): v is Resource {
  return !!v && typeof v === 'object' && typeof (v as { resourceType?: unknown }).resourceType === 'string';
}

function isBundle(v: unknown): v is BundleJson {
  return isResource(v) && v.resourceType === 'Bundle';
}
