/**
 * The proof suites' stack: the sandbox in this process (its FHIR store fills prefetch, and, when
 * served, it is the EHR's FHIR server on loopback), a trusted test EHR with its signing key, and the
 * CDS service as its own process with authentication on; with `floor`, the bench's floor server
 * (body read, JSON.parse, JWT verify, empty answer) beside it, trusting the same EHR key.
 */
import type { Server } from 'node:http';
import path from 'node:path';
import { freePort } from './net';
import { startService, type ServiceProcess } from './service';
import { createTrustedClient, type TrustedClient } from './tokens';
import { createWorkbench, type SyntheaFile, type Workbench } from './workload';

export interface ProofStack {
  client: TrustedClient;
  service: ServiceProcess;
  /** The floor server (`floor-server.ts`), when asked for. */
  floor?: ServiceProcess;
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
    floor?: boolean;
    /** The service's entry instead of its bundle (the bench's `--model-free` build). */
    serviceScript?: string;
    /** Node flags for the floor server (profiling it). */
    floorNodeArgs?: string[];
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
      ...(options.serviceScript ? { script: options.serviceScript } : {}),
      // Compiling the service under tsx and starting PGlite takes minutes when the cores are shared.
      startTimeoutMs: 300_000,
    });
  } catch (e) {
    server?.close();
    throw e;
  }
  let floor: ServiceProcess | undefined;
  if (options.floor) {
    try {
      floor = await startService({
        trustedIssuersEnv: client.trustedIssuersEnv,
        script: path.join(__dirname, '..', 'floor-server.ts'),
        nodeArgs: options.floorNodeArgs,
        startTimeoutMs: 300_000,
      });
    } catch (e) {
      await service.stop();
      service.cleanup();
      server?.close();
      throw e;
    }
  }
  return {
    client,
    service,
    floor,
    workbench,
    fhirBaseUrl,
    close: async () => {
      await service.stop();
      service.cleanup();
      if (floor) {
        await floor.stop();
        floor.cleanup();
      }
      if (server) {
        server.closeAllConnections();
        await new Promise((r) => server.close(r));
      }
    },
  };
}
