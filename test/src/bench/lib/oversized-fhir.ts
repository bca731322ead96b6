/**
 * One hook against an allowlisted FHIR server whose Observation search answers ~100 MB (issue 18),
 * measured on the service's own process: the answer's status and time against the FHIR budget,
 * and the service's RSS (from /proc) before, after and at its peak while the body streams. Shared
 * by the fault test (the memory bound) and the bench (the time target: budget + 100 ms).
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startService } from './service';
import { createTrustedClient } from './tokens';
import { hugeBundle } from '../../../../cds-service/src/test-support/huge-bundle';

export const OVERSIZED_BYTES = 100 * 1024 * 1024;

export interface OversizedResult {
  budgetMs: number;
  status: number;
  ms: number;
  rssBeforeMb: number;
  rssAfterMb: number;
  /** Peak RSS growth over the hook, sampled every 5 ms while it ran. */
  peakGrowthMb: number;
  /** Bytes the FHIR server managed to write before the service stopped reading. */
  servedMb: number;
}

/** The patient-view request: everything in prefetch but the observations, which must be read. */
function hookBody(fhirServer: string): Record<string, unknown> {
  const empty = { resourceType: 'Bundle', type: 'searchset', entry: [] };
  return {
    hook: 'patient-view',
    hookInstance: crypto.randomUUID(),
    fhirServer,
    fhirAuthorization: {
      access_token: 'x',
      token_type: 'Bearer',
      expires_in: 300,
      scope: 'patient/*.rs',
      subject: 'r',
    },
    context: { userId: 'Practitioner/doc1', patientId: 'p1' },
    prefetch: {
      patient: { resourceType: 'Patient', id: 'p1', gender: 'female', birthDate: '1960-01-01' },
      conditions: empty,
      medications: empty,
      allergies: empty,
      encounters: empty,
    },
  };
}

export async function measureOversizedFhir(budgetMs = 2000): Promise<OversizedResult> {
  let servedBytes = 0;
  const fhir = createServer((req, res) => {
    if (req.url?.startsWith('/fhir/Observation')) {
      void hugeBundle(res, OVERSIZED_BYTES).then((n) => (servedBytes += n));
      return;
    }
    // The supplementary keys (procedures, care plans …): nothing.
    res.writeHead(200, { 'content-type': 'application/fhir+json' });
    res.end('{"resourceType":"Bundle","type":"searchset","entry":[]}');
  });
  fhir.listen(0, '127.0.0.1');
  await once(fhir, 'listening');
  const base = `http://127.0.0.1:${(fhir.address() as AddressInfo).port}/fhir`;
  const client = await createTrustedClient();
  const service = await startService({
    trustedIssuersEnv: client.trustedIssuersEnv,
    env: { FHIR_SERVER_ALLOWLIST: base, FHIR_TIMEOUT_MS: String(budgetMs) },
  });
  const url = `${service.url}/cds-services/rationale-patient-view`;
  const call = async () => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await client.token(url)}` },
      body: JSON.stringify(hookBody(base)),
    });
    await res.text();
    return res.status;
  };
  try {
    await call(); // warm-up: modules, JIT, the store's first writes
    const before = service.rssKb();
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, service.rssKb())), 5);
    const started = performance.now();
    const status = await call();
    const ms = performance.now() - started;
    clearInterval(sampler);
    const after = service.rssKb();
    peak = Math.max(peak, after);
    return {
      budgetMs,
      status,
      ms: Math.round(ms),
      rssBeforeMb: Math.round(before / 1024),
      rssAfterMb: Math.round(after / 1024),
      peakGrowthMb: Math.round((peak - before) / 1024),
      servedMb: Math.round(servedBytes / 1048576),
    };
  } finally {
    await service.stop();
    service.cleanup();
    fhir.closeAllConnections();
    fhir.close();
  }
}
