/**
 * Authorizes the SMART app's calls (DESIGN.md §1): the service reads `Patient/{id}` from the
 * assessment's FHIR server with the app's own access token. A 2xx proves the user may see that
 * patient; 401/403/404 from the FHIR server means they may not. The token is never stored: the
 * one-minute cache of positive answers is keyed by a SHA-256 of token, server and patient.
 */
import { createHash } from 'node:crypto';
import { CdsError } from '../errors';
import type { FhirAllowlist } from '../fhir/allowlist';
import { FhirRequestError, type FhirGateway } from '../fhir/fhir-gateway';

export interface PatientAccessOptions {
  gateway: FhirGateway;
  allowlist: FhirAllowlist;
  timeoutMs: number;
  clock: () => Date;
  ttlMs?: number;
  maxEntries?: number;
}

export class PatientAccessChecker {
  private readonly allowed = new Map<string, number>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;

  constructor(private readonly options: PatientAccessOptions) {
    this.ttlMs = options.ttlMs ?? 60_000;
    this.maxEntries = options.maxEntries ?? 10_000;
  }

  /**
   * Resolves when `accessToken` may read `Patient/{patientId}` on `fhirServer`. Throws CdsError:
   * `forbidden` when the server is not allowlisted or does not let the token read the patient,
   * `unauthorized` when it does not accept the token at all, `fhir-unavailable` when it cannot be
   * reached in time.
   */
  async check(accessToken: string, fhirServer: string | undefined, patientId: string): Promise<void> {
    const base = this.options.allowlist.match(fhirServer);
    if (!base) throw new CdsError('forbidden', 'The FHIR server of this assessment is not on the allowlist');
    const key = createHash('sha256').update(`${accessToken}\n${base}\n${patientId}`).digest('hex');
    const now = this.options.clock().getTime();
    const until = this.allowed.get(key);
    if (until !== undefined && until > now) return;

    let status: number;
    try {
      status = await this.options.gateway.readStatus(base, `Patient/${encodeURIComponent(patientId)}`, {
        accessToken,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (e) {
      const reason = e instanceof FhirRequestError ? e.reason : 'error';
      throw new CdsError('fhir-unavailable', `The FHIR server could not confirm access (${reason})`, {
        cause: e,
      });
    }
    if (status >= 200 && status < 300) {
      if (this.allowed.size >= this.maxEntries) this.allowed.clear();
      this.allowed.set(key, now + this.ttlMs);
      return;
    }
    // The causes stay apart, so the app can say what to do: a token the FHIR server does not
    // accept (401: launch again) is not a token lacking permission for this patient (403).
    if (status === 401) throw new CdsError('unauthorized', 'The FHIR server did not accept the access token');
    if (status === 403 || status === 404 || status === 410) {
      throw new CdsError(
        'forbidden',
        'The FHIR server did not let this access token read the patient (permissions or patient context)',
      );
    }
    throw new CdsError('fhir-unavailable', `The FHIR server could not confirm access (status ${status})`);
  }
}
