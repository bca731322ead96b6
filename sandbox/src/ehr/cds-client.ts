/**
 * The EHR's HTTP client for CDS services: discovery, hook calls and feedback, each carrying a JWT
 * signed by the sandbox with `aud` = the exact URL called (CDS Hooks STU2 §Trusting CDS Clients,
 * L976-1003), each under a timeout. Keys and tokens never leave the server.
 */
import { EhrError } from './errors';

export interface CdsClientDeps {
  fetch: typeof fetch;
  signHookJwt(aud: string): Promise<string>;
  timeoutMs: number;
}

export interface CdsExchange {
  url: string;
  status: number;
  /** Parsed JSON, or the raw text when the body is not JSON. */
  body: unknown;
  durationMs: number;
  /** Decoded JWT header and claims (the signature is not shown). */
  jwt: { header: unknown; claims: unknown };
}

/** The discovery URL `{base}/cds-services`, whether given with or without the path. */
export function discoveryUrlOf(serviceBase: string): string {
  const trimmed = serviceBase.trim().replace(/\/+$/, '');
  return trimmed.endsWith('/cds-services') ? trimmed : `${trimmed}/cds-services`;
}

/** Only http(s) URLs are called: the page cannot make the EHR fetch files or other schemes. */
export function checkServiceUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new EhrError('invalid-request', `not a URL: ${url}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new EhrError(
      'invalid-request',
      `only http and https CDS services can be called, not ${parsed.protocol}`,
    );
  }
  return parsed;
}

/** GET or POST a CDS Hooks endpoint with a freshly signed JWT. Network failures are EhrErrors. */
export async function callCds(
  deps: CdsClientDeps,
  method: 'GET' | 'POST',
  url: string,
  body?: unknown,
): Promise<CdsExchange> {
  checkServiceUrl(url);
  const jwt = await deps.signHookJwt(url);
  const headers: Record<string, string> = { Accept: 'application/json', Authorization: `Bearer ${jwt}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const started = performance.now();
  let response: Response;
  let text: string;
  try {
    response = await deps.fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(deps.timeoutMs),
      redirect: 'error',
    });
    text = await response.text();
  } catch (error) {
    const reason =
      (error as Error).name === 'TimeoutError'
        ? `no answer within ${deps.timeoutMs} ms`
        : (error as Error).message;
    throw new EhrError('upstream-unavailable', `${method} ${url} failed: ${reason}`, { cause: error });
  }
  const durationMs = Math.round((performance.now() - started) * 10) / 10;
  let parsed: unknown = text;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      // Not JSON: the conformance check reports it; the inspector shows the text.
    }
  } else {
    parsed = undefined;
  }
  return { url, status: response.status, body: parsed, durationMs, jwt: decodeJwt(jwt) };
}

function decodeJwt(jwt: string): { header: unknown; claims: unknown } {
  const [header = '', claims = ''] = jwt.split('.');
  const decode = (part: string): unknown => {
    try {
      return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    } catch {
      return undefined;
    }
  };
  return { header: decode(header), claims: decode(claims) };
}
