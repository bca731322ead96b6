/**
 * A FHIR server that misbehaves on purpose, on loopback, one base URL per fault:
 * `{url}/slow/fhir` answers after `slowMs`, `{url}/error/fhir` answers 500, `{url}/garbage/fhir`
 * answers 200 with text that is not JSON, `{url}/not-fhir/fhir` answers 200 JSON that is no FHIR
 * resource. It counts the requests it received per fault.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const FAULTS = ['slow', 'error', 'garbage', 'not-fhir'] as const;
export type Fault = (typeof FAULTS)[number];

export interface FaultFhirServer {
  base(fault: Fault): string;
  hits: Record<Fault, number>;
  close(): Promise<void>;
}

export async function startFaultFhirServer(slowMs: number): Promise<FaultFhirServer> {
  const hits: Record<Fault, number> = { slow: 0, error: 0, garbage: 0, 'not-fhir': 0 };
  const timers = new Set<NodeJS.Timeout>();
  const server: Server = createServer((req, res: ServerResponse) => {
    const fault = (req.url ?? '').split('/')[1] as Fault;
    if (!(fault in hits)) {
      res.writeHead(404).end();
      return;
    }
    hits[fault]++;
    switch (fault) {
      case 'slow': {
        const t = setTimeout(() => {
          timers.delete(t);
          if (!res.destroyed)
            res
              .writeHead(200, { 'content-type': 'application/fhir+json' })
              .end('{"resourceType":"Bundle","type":"searchset","entry":[]}');
        }, slowMs);
        timers.add(t);
        return;
      }
      case 'error':
        res.writeHead(500, { 'content-type': 'text/html' }).end('<h1>Internal Server Error</h1>');
        return;
      case 'garbage':
        res
          .writeHead(200, { 'content-type': 'application/fhir+json' })
          .end('{"resourceType":"Bundle","entry":[{"resou\u0000');
        return;
      case 'not-fhir':
        res.writeHead(200, { 'content-type': 'application/json' }).end('[1,2,{"resourceType":7}]');
        return;
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: (fault) => `http://127.0.0.1:${port}/${fault}/fhir`,
    hits,
    close: async () => {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
