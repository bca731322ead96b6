/**
 * A FHIR server's answer too big to read: a searchset of HbA1c Observations generated as it is
 * written, as fast as the client reads it. The bounded-reads tests and the oversized-FHIR bench and
 * fault test serve it.
 */
import type { ServerResponse } from 'node:http';

function observation(i: number): string {
  return JSON.stringify({
    fullUrl: `urn:uuid:obs-${i}`,
    resource: {
      resourceType: 'Observation',
      id: `obs-${i}`,
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code: '4548-4', display: 'Hemoglobin A1c' }] },
      subject: { reference: 'Patient/p1' },
      effectiveDateTime: '2026-01-10',
      valueQuantity: {
        value: 6.1 + (i % 10) / 10,
        unit: '%',
        system: 'http://unitsofmeasure.org',
        code: '%',
      },
    },
  });
}

/** Writes a searchset of about `totalBytes`; resolves with the bytes written before the client left. */
export async function hugeBundle(res: ServerResponse, totalBytes: number): Promise<number> {
  res.writeHead(200, { 'content-type': 'application/fhir+json' });
  res.write('{"resourceType":"Bundle","type":"searchset","entry":[');
  let written = 0;
  let i = 0;
  while (written < totalBytes && !res.destroyed) {
    const parts: string[] = [];
    for (let n = 0; n < 200; n++, i++) parts.push(observation(i));
    const chunk = (i > 200 ? ',' : '') + parts.join(',');
    written += chunk.length;
    if (!res.write(chunk)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.on('drain', done);
        res.on('close', done);
      });
    }
  }
  if (!res.destroyed) res.end(']}');
  return written;
}
