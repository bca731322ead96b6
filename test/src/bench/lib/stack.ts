/**
 * The proof suites' stack: the sandbox in this process (its FHIR store fills prefetch, and, when
 * served, it is the EHR's FHIR server on loopback), a trusted test EHR with its signing key, and the
 * CDS service as its own process with authentication on.
 */
import type { Server } from 'node:http';
import { freePort } from './net';
import { startService, type ServiceProcess } from './service';
import { createTrustedClient, type TrustedClient } from './tokens';
import { createWorkbench, type SyntheaFile, type Workbench } from './workload';

export interface ProofStack {
  client: TrustedClient;
  service: ServiceProcess;
  workbench: Workbench;
  /** The sandbox's FHIR base (listening when `serveSandbox`). */
  fhirBaseUrl: string;
  close(): Promise<void>;
}

export async function startProofStack(
  options: {
    synthea?: SyntheaFile[];
    serveSandbox?: boolean;
    env?: Record<string, string>;
    nodeArgs?: string[];
  } = {},
): Promise<ProofStack> {
  const sandboxPort = await freePort();
  const baseUrl = `http://127.0.0.1:${sandboxPort}`;
  const workbench = await createWorkbench({ synthea: options.synthea, baseUrl });
  let server: Server | undefined;
  if (options.serveSandbox) {
    server = await new Promise<Server>((resolve) => {
      const s = workbench.sandbox.app.listen(sandboxPort, '127.0.0.1', () => resolve(s));
    });
  }
  const fhirBaseUrl = workbench.sandbox.services.fhirBaseUrl;
  const client = await createTrustedClient();
  let service: ServiceProcess;
  try {
    service = await startService({
      trustedIssuersEnv: client.trustedIssuersEnv,
      env: { FHIR_SERVER_ALLOWLIST: fhirBaseUrl, ...options.env },
      nodeArgs: options.nodeArgs,
    });
  } catch (e) {
    server?.close();
    throw e;
  }
  return {
    client,
    service,
    workbench,
    fhirBaseUrl,
    close: async () => {
      await service.stop();
      service.cleanup();
      if (server) {
        server.closeAllConnections();
        await new Promise((r) => server.close(r));
      }
    },
  };
}
