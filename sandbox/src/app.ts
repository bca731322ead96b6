/**
 * Composition of the sandbox: FHIR store with the synthetic patients (and any imported bundles),
 * SMART authorization server, FHIR REST edge, EHR simulator, and the EHR page's build. Returns
 * the Express app and the SandboxServices the EHR simulator is built on.
 *
 * URLs: `/fhir` (FHIR R4), `/fhir/.well-known/smart-configuration` and
 * `/fhir/.well-known/openid-configuration`, `/auth/authorize`, `/auth/token`,
 * `/.well-known/jwks.json`, `/smart-style.json`, `/ehr` (simulator API), `/` (EHR page).
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import express from 'express';
import { SmartAuthServer, type Clock } from './auth-server/smart-auth';
import { createKeyring } from './auth-server/keys';
import { createAuthRouter, wellKnownHandlers } from './auth-server/router';
import { originOf } from './auth-server/cors';
import type { PersonChoice } from './auth-server/pages';
import type { SandboxConfig } from './config';
import type { SandboxServices } from './contracts';
import { createEhrRouter } from './ehr';
import { serveFavicon } from './favicon';
import { buildCapabilityStatement } from './fhir-server/capability';
import { loadFhirDefinitions } from './fhir-server/definitions';
import { SandboxRepository } from './fhir-server/repository';
import { createFhirRouter } from './fhir-server/router';
import { createSandboxFhir } from './fhir-server/sandbox-fhir';
import { generatePatients, PATIENT_SCENARIOS, PRACTITIONER_IDS } from './patients/generator';
import { importDirectory, loadBundle, type ImportResult } from './patients/loader';
import type { HumanName, Patient, Practitioner } from '@medplum/fhirtypes';

export interface SandboxAppOptions {
  /** Injected clock (ms since the epoch) for token and code expiry; default Date.now. */
  clock?: Clock;
  /** Load the synthetic patients (default true). */
  loadPatients?: boolean;
  /** Reports unexpected errors (500s); ids and messages only. */
  onError?: (err: unknown) => void;
}

export interface SandboxStats {
  patients: number;
  resources: number;
  loadMilliseconds: number;
  imported?: ImportResult;
}

export interface SandboxApp {
  app: express.Express;
  services: SandboxServices;
  /** The authorization server (tests inject clocks and inspect it). */
  auth: SmartAuthServer;
  repo: SandboxRepository;
  stats: SandboxStats;
}

/** Builds the whole sandbox for a configuration. */
export async function createSandboxApp(
  config: Readonly<SandboxConfig>,
  options: SandboxAppOptions = {},
): Promise<SandboxApp> {
  const clock = options.clock ?? (() => Date.now());
  const started = Date.now();
  loadFhirDefinitions();
  const repo = new SandboxRepository();
  let patients = 0;
  if (options.loadPatients ?? true) {
    const generated = generatePatients({ seed: config.patientSeed, referenceDate: config.referenceDate });
    await loadBundle(repo, generated.careTeam);
    for (const p of generated.patients) await loadBundle(repo, p.bundle);
    patients = generated.patients.length;
  }
  let imported: ImportResult | undefined;
  if (config.importDir) imported = await importDirectory(repo, config.importDir);
  const counts = repo.counts();
  const stats: SandboxStats = {
    patients: counts.Patient ?? patients,
    resources: Object.values(counts).reduce((a, b) => a + b, 0),
    loadMilliseconds: Date.now() - started,
    ...(imported ? { imported } : {}),
  };

  const keys = await createKeyring();
  const auth = new SmartAuthServer({
    baseUrl: config.baseUrl,
    fhirBaseUrl: config.fhirBaseUrl,
    keys,
    clients: [config.app, config.cdsClient],
    clock,
    scopeDowngrade: config.scopeDowngrade,
    accessTokenTtlSeconds: config.accessTokenTtlSeconds,
    codeTtlSeconds: config.codeTtlSeconds,
    launchTtlSeconds: config.launchTtlSeconds,
  });
  const fhir = createSandboxFhir(repo, config.fhirBaseUrl);

  const services: SandboxServices = {
    baseUrl: config.baseUrl,
    fhirBaseUrl: config.fhirBaseUrl,
    fhir,
    issueServiceToken: (request) => auth.issueServiceToken(request),
    createLaunch: (context) => auth.createLaunch(context),
    signHookJwt: (aud) => auth.signHookJwt(aud),
    hookIssuer: { iss: config.baseUrl, jwksUri: `${config.baseUrl}/.well-known/jwks.json` },
    app: {
      clientId: config.app.clientId,
      launchUrl: config.app.launchUrl,
      redirectUris: [...config.app.redirectUris],
    },
  };

  const corsOrigins = [
    ...new Set([
      originOf(config.baseUrl),
      originOf(config.app.launchUrl),
      ...config.app.redirectUris.map(originOf),
    ]),
  ];

  const listPractitioners = async (): Promise<PersonChoice[]> =>
    ((await fhir.search('Practitioner', { _sort: '_id' })) as Practitioner[]).map((p) => ({
      id: p.id ?? '',
      name: displayName(p.name),
      ...(p.qualification?.[0]?.code?.text ? { detail: p.qualification[0].code.text } : {}),
    }));
  const listPatients = async (): Promise<PersonChoice[]> =>
    ((await fhir.search('Patient', { _sort: '_id' })) as Patient[]).map((p) => ({
      id: p.id ?? '',
      name: displayName(p.name),
      detail: [p.gender, p.birthDate ? `born ${p.birthDate}` : undefined, p.id].filter(Boolean).join(' · '),
    }));

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);

  const wk = wellKnownHandlers(auth, keys.jwks);
  app.use('/.well-known/jwks.json', wk.anyOrigin);
  app.get('/.well-known/jwks.json', wk.jwks);
  app.use('/fhir/.well-known', wk.anyOrigin);
  app.get('/fhir/.well-known/smart-configuration', wk.smartConfiguration);
  app.get('/fhir/.well-known/openid-configuration', wk.openidConfiguration);
  app.use('/smart-style.json', wk.anyOrigin);
  app.get('/smart-style.json', wk.smartStyle);
  app.get(['/favicon.ico', '/favicon.svg'], serveFavicon);
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', patients: stats.patients, resources: repo.counts() });
  });

  app.use('/auth', createAuthRouter({ auth, listPractitioners, listPatients, corsOrigins }));
  app.use(
    '/fhir',
    createFhirRouter({
      repo,
      fhirBaseUrl: config.fhirBaseUrl,
      verifyAccessToken: (token) => auth.verifyAccessToken(token),
      capabilityStatement: buildCapabilityStatement({
        fhirBaseUrl: config.fhirBaseUrl,
        authorizeUrl: auth.authorizeUrl,
        tokenUrl: auth.tokenUrl,
        date: new Date(clock()).toISOString(),
      }),
      corsOrigins,
      ...(options.onError ? { onError: options.onError } : {}),
    }),
  );
  app.use(
    '/ehr',
    createEhrRouter(services, {
      scenarios: PATIENT_SCENARIOS.map((s) => ({ id: s.id, summary: s.summary })),
      userId: `Practitioner/${PRACTITIONER_IDS[0]}`,
    }),
  );

  const webDist = isAbsolute(config.webDistDir)
    ? config.webDistDir
    : resolve(__dirname, '..', config.webDistDir);
  if (existsSync(join(webDist, 'index.html'))) {
    app.use(express.static(webDist, { index: 'index.html' }));
    app.get('/', (_req, res) => res.sendFile(join(webDist, 'index.html')));
  }

  return { app, services, auth, repo, stats };
}

function displayName(names: HumanName[] | undefined): string {
  const n = names?.[0];
  if (!n) return '(no name)';
  return [...(n.prefix ?? []), ...(n.given ?? []), n.family].filter(Boolean).join(' ');
}
