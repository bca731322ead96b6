/**
 * Builds the app for HTTP tests: real config parsing, real JWT verification with generated keys,
 * the in-memory stores and the fake model, and a log capture. msw (set up by each test file) plays the FHIR server.
 */
import { Writable } from 'node:stream';
import type { Express } from 'express';
import { loadConfig, type Config } from '../config';
import { createApp, type AppDeps } from '../http/app';
import { createLogger } from '../logger';
import { fakeAssess, fakeModelCard, fakeRenderCards } from './fake-model';
import { FHIR_BASE } from './fixtures';
import { memoryStores, type MemoryStores } from './stores';
import { makeKey, signToken, type TestKey, type TokenOptions } from './jwt';

export const EHR_ISS = 'https://ehr.example/cds-client';
export const PUBLIC_URL = 'https://cds.rationale.example';

export interface Harness {
  app: Express;
  store: MemoryStores;
  config: Config;
  logs: string[];
  es384: TestKey;
  rs384: TestKey;
  /** A valid token for `path` (e.g. `/cds-services/rationale-patient-view`). */
  token(path: string, overrides?: Partial<TokenOptions>): Promise<string>;
}

let cachedKeys: Promise<{ es384: TestKey; rs384: TestKey }> | undefined;
function keys() {
  cachedKeys ??= Promise.all([makeKey('ES384', 'ehr-es384'), makeKey('RS384', 'ehr-rs384')]).then(
    ([es384, rs384]) => ({ es384, rs384 }),
  );
  return cachedKeys;
}

export async function buildHarness(
  options: {
    env?: Record<string, string>;
    deps?: Partial<AppDeps>;
    issuers?: (k: { es384: TestKey; rs384: TestKey }) => unknown[];
  } = {},
): Promise<Harness> {
  const k = await keys();
  const issuers = options.issuers?.(k) ?? [
    { iss: EHR_ISS, jwks: { keys: [k.es384.publicJwk, k.rs384.publicJwk] } },
  ];
  const config = loadConfig({
    TRUSTED_ISSUERS: JSON.stringify(issuers),
    FHIR_SERVER_ALLOWLIST: FHIR_BASE,
    PUBLIC_URL: PUBLIC_URL,
    FHIR_TIMEOUT_MS: '300',
    ...options.env,
  });
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  const logger = createLogger({ level: 'trace', destination });
  const store = memoryStores();
  const app = createApp({
    config,
    store,
    logger,
    assess: fakeAssess,
    renderCards: fakeRenderCards,
    modelCard: fakeModelCard,
    ...options.deps,
  });
  return {
    app,
    store: (options.deps?.store as MemoryStores | undefined) ?? store,
    config,
    logs,
    ...k,
    token: (path, overrides) =>
      signToken({ iss: EHR_ISS, aud: `${PUBLIC_URL}${path}`, key: k.es384, ...overrides }),
  };
}
