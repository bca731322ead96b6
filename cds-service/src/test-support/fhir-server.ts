/**
 * msw standing in for the EHR's FHIR server: records every outbound request (except supertest's
 * own loopback calls) so tests can assert that none, or exactly which, were made.
 */
import { http, HttpResponse, type RequestHandler } from 'msw';
import { setupServer } from 'msw/node';
import type { Resource } from '@rationale/shared-types';
import { FHIR_BASE } from './fixtures';

export interface FhirMock {
  server: ReturnType<typeof setupServer>;
  /** Outbound requests seen: method, URL and the Authorization header. */
  requests: { method: string; url: string; authorization: string | null }[];
}

function isLoopback(url: string): boolean {
  const host = new URL(url).hostname;
  return host === '127.0.0.1' || host === 'localhost' || host === '::1' || host === '[::1]';
}

export function createFhirMock(): FhirMock {
  const requests: FhirMock['requests'] = [];
  const server = setupServer();
  server.events.on('request:start', ({ request }) => {
    if (!isLoopback(request.url)) {
      requests.push({
        method: request.method,
        url: request.url,
        authorization: request.headers.get('authorization'),
      });
    }
  });
  return { server, requests };
}

export function listen(mock: FhirMock): void {
  mock.server.listen({
    onUnhandledRequest: (request, print) => {
      if (!isLoopback(request.url)) print.error();
    },
  });
}

/**
 * The FHIR mock of a test file: listening before its first test, its handlers and the requests seen
 * reset after each test, closed after the last (an msw server left open keeps jest from exiting).
 */
export function useFhirMock(): FhirMock {
  const mock = createFhirMock();
  beforeAll(() => listen(mock));
  afterEach(() => {
    mock.server.resetHandlers();
    mock.requests.length = 0;
  });
  afterAll(() => mock.server.close());
  return mock;
}

/** A FHIR search answering with a searchset of `resources` for `GET {FHIR_BASE}/{type}`. */
export function fhirSearch(type: string, resources: Resource[] | ((url: URL) => Resource)): RequestHandler {
  return http.get(`${FHIR_BASE}/${type}`, ({ request }) => {
    const body =
      typeof resources === 'function'
        ? resources(new URL(request.url))
        : { resourceType: 'Bundle', type: 'searchset', entry: resources.map((r) => ({ resource: r })) };
    return HttpResponse.json(body);
  });
}

/**
 * An empty searchset for each search of patient-view's prefetch. Put the searches a test fills
 * before these: msw answers with the first handler that matches.
 */
export function emptySearches(): RequestHandler[] {
  const types = ['Condition', 'Observation', 'MedicationRequest', 'AllergyIntolerance', 'Encounter'];
  return [...types, 'Procedure', 'ServiceRequest', 'CarePlan'].map((type) => fhirSearch(type, []));
}

export function fhirRead(path: string, resource: Resource | number): RequestHandler {
  return http.get(`${FHIR_BASE}/${path}`, () =>
    typeof resource === 'number' ? new HttpResponse(null, { status: resource }) : HttpResponse.json(resource),
  );
}
