/**
 * The EHR simulator's server half, mounted at `/ehr`: everything the page needs that a real EHR
 * keeps on its server (signing keys, access tokens, the FHIR store). The page calls these JSON
 * endpoints; they call CDS services the way Epic or Oracle Health would.
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import {
  cdsDiscoverySchema,
  feedbackRequestSchema,
  HOOKS,
  operationOutcome,
  type CdsService,
  type HookName,
} from '@rationale/shared-types';
import type { SandboxServices } from '../contracts';
import { applyActions } from './apply-actions';
import { callCds, discoveryUrlOf, type CdsClientDeps } from './cds-client';
import { getChart, listPatients, type ScenarioSummary } from './chart';
import { checkResponse, EHR_PROFILES, PROFILE_HOOKS } from './conformance';
import { EHR_ERROR_STATUS, EhrError } from './errors';
import { buildHookRequest, redactRequest } from './hook-request';
import { PREFETCH_MODES } from './prefetch';

export interface EhrRouterOptions {
  /** Scenario summaries shown in the patient list. */
  scenarios?: readonly ScenarioSummary[];
  /** Discovery URLs the page calls when the user has configured none. */
  defaultCdsServices?: readonly string[];
  /** `Practitioner/id` of the signed-in clinician; default: the first Practitioner in the store. */
  userId?: string;
  fetch?: typeof fetch;
  /** Timeout of a hook call, in ms (default 10 000). */
  hookTimeoutMs?: number;
  /** Timeout of discovery and feedback calls, in ms (default 5 000). */
  timeoutMs?: number;
  /** How long a discovery document is reused by hook calls, in ms (default 30 000). */
  discoveryTtlMs?: number;
  now?: () => Date;
}

export const DEFAULT_CDS_DISCOVERY_URL = 'http://127.0.0.1:8081/cds-services';

const hookBodySchema = z.object({
  serviceBase: z.string().min(1),
  serviceId: z.string().min(1),
  hook: z.enum(HOOKS),
  patientId: z.string().min(1).max(64),
  userId: z.string().regex(/^(Practitioner|PractitionerRole|Patient|RelatedPerson)\/[A-Za-z0-9\-.]{1,64}$/),
  encounterId: z.string().min(1).max(64).optional(),
  draftOrders: z.unknown().optional(),
  selections: z.array(z.string()).optional(),
  appointments: z.unknown().optional(),
  prefetchMode: z.enum(PREFETCH_MODES).default('full'),
  sendFhirAuthorization: z.boolean().default(true),
  profile: z.enum(EHR_PROFILES).default('generic'),
});

const feedbackBodySchema = z.object({
  serviceBase: z.string().min(1),
  serviceId: z.string().min(1),
  feedback: feedbackRequestSchema.shape.feedback,
});

const applyBodySchema = z.object({
  patientId: z.string().min(1).max(64),
  actions: z.array(z.unknown()).min(1).max(50),
});

const launchBodySchema = z.object({
  patientId: z.string().min(1).max(64),
  userId: z.string().min(1).max(200),
  encounterId: z.string().min(1).max(64).optional(),
  appContext: z.string().max(4096).optional(),
  /** The card link's URL; default: the registered app's launch URL. */
  url: z.string().optional(),
});

/** Builds the `/ehr` router. Options exist for tests and for `main.ts`; all have defaults. */
export function createEhrRouter(services: SandboxServices, options: EhrRouterOptions = {}): Router {
  const router = express.Router();
  const now = options.now ?? (() => new Date());
  const fetchImpl = options.fetch ?? fetch;
  const hookClient: CdsClientDeps = {
    fetch: fetchImpl,
    signHookJwt: (aud) => services.signHookJwt(aud),
    timeoutMs: options.hookTimeoutMs ?? 10_000,
  };
  const client: CdsClientDeps = { ...hookClient, timeoutMs: options.timeoutMs ?? 5_000 };
  const discoveryTtlMs = options.discoveryTtlMs ?? 30_000;
  const discoveryCache = new Map<string, { at: number; services: CdsService[] }>();
  const registeredLaunchUrls = [services.app.launchUrl];

  async function discover(
    serviceBase: string,
  ): Promise<{ services: CdsService[]; exchange: Awaited<ReturnType<typeof callCds>> }> {
    const url = discoveryUrlOf(serviceBase);
    const exchange = await callCds(client, 'GET', url);
    if (exchange.status !== 200) {
      throw new EhrError('upstream-unavailable', `discovery ${url} answered HTTP ${exchange.status}`);
    }
    const parsed = cdsDiscoverySchema.safeParse(exchange.body);
    if (!parsed.success) {
      throw new EhrError(
        'upstream-unavailable',
        `discovery ${url} is not a CDS Hooks discovery document: ${parsed.error.issues[0]?.message ?? ''}`,
      );
    }
    discoveryCache.set(url, { at: Date.now(), services: parsed.data.services });
    return { services: parsed.data.services, exchange };
  }

  async function findService(serviceBase: string, id: string, hook: HookName): Promise<CdsService> {
    const url = discoveryUrlOf(serviceBase);
    const cached = discoveryCache.get(url);
    const list =
      cached && Date.now() - cached.at < discoveryTtlMs ? cached.services : (await discover(url)).services;
    const service = list.find((s) => s.id === id && s.hook === hook) ?? list.find((s) => s.id === id);
    if (!service) throw new EhrError('not-found', `${url} lists no service ${id}`);
    if (service.hook !== hook)
      throw new EhrError('invalid-request', `service ${id} answers ${service.hook}, not ${hook}`);
    return service;
  }

  let defaultUser: Promise<string> | undefined;
  function signedInUser(): Promise<string> {
    if (options.userId) return Promise.resolve(options.userId);
    defaultUser ??= services.fhir.search('Practitioner', {}).then((list) => {
      const first = list
        .map((p) => p.id)
        .filter((id): id is string => !!id)
        .sort()[0];
      return first ? `Practitioner/${first}` : 'Practitioner/sandbox-clinician';
    });
    return defaultUser;
  }

  router.use(express.json({ limit: '2mb' }));

  router.get('/api/config', async (_req, res) => {
    res.json({
      fhirBaseUrl: services.fhirBaseUrl,
      userId: await signedInUser(),
      defaultCdsServices: options.defaultCdsServices ?? [DEFAULT_CDS_DISCOVERY_URL],
      app: { launchUrl: services.app.launchUrl },
      profiles: EHR_PROFILES,
      profileHooks: PROFILE_HOOKS,
      prefetchModes: PREFETCH_MODES,
    });
  });

  router.get('/api/patients', async (_req, res) => {
    res.json({ patients: await listPatients(services.fhir, options.scenarios ?? []) });
  });

  router.get('/api/patients/:id/chart', async (req, res) => {
    res.json(await getChart(services.fhir, String(req.params.id)));
  });

  router.get('/api/services', async (req, res) => {
    const url = typeof req.query.url === 'string' ? req.query.url : undefined;
    if (!url) throw new EhrError('invalid-request', 'url query parameter is required');
    const { services: list, exchange } = await discover(url);
    res.json({ url: exchange.url, status: exchange.status, durationMs: exchange.durationMs, services: list });
  });

  router.post('/api/hooks', async (req, res) => {
    const body = parse(hookBodySchema, req.body);
    const serviceBase = discoveryUrlOf(body.serviceBase);
    const serviceUrl = `${serviceBase}/${encodeURIComponent(body.serviceId)}`;
    if (!PROFILE_HOOKS[body.profile].includes(body.hook)) {
      res.json({
        skipped: true,
        reason: `the ${body.profile} EHR profile does not fire ${body.hook}`,
        serviceUrl,
        hook: body.hook,
        profile: body.profile,
      });
      return;
    }
    const service = await findService(serviceBase, body.serviceId, body.hook);
    const { request, prefetchNotes } = await buildHookRequest(
      services,
      service,
      {
        hook: body.hook,
        patientId: body.patientId,
        userId: body.userId,
        encounterId: body.encounterId,
        draftOrders: body.draftOrders,
        selections: body.selections,
        appointments: body.appointments,
        prefetchMode: body.prefetchMode,
        sendFhirAuthorization: body.sendFhirAuthorization,
      },
      now(),
    );
    const exchange = await callCds(hookClient, 'POST', serviceUrl, request);
    const conformance = checkResponse(exchange.status, exchange.body, {
      profile: body.profile,
      hook: body.hook,
      registeredLaunchUrls,
    });
    res.json({
      skipped: false,
      serviceUrl,
      serviceId: body.serviceId,
      hook: body.hook,
      hookInstance: request.hookInstance,
      profile: body.profile,
      prefetchMode: body.prefetchMode,
      request: redactRequest(request),
      jwt: exchange.jwt,
      prefetchNotes,
      status: exchange.status,
      response: exchange.body,
      durationMs: exchange.durationMs,
      cards: conformance.cards,
      systemActions: conformance.systemActions,
      conformance: { issues: conformance.issues, rejected: conformance.rejected },
    });
  });

  router.post('/api/feedback', async (req, res) => {
    const body = parse(feedbackBodySchema, req.body);
    const url = `${discoveryUrlOf(body.serviceBase)}/${encodeURIComponent(body.serviceId)}/feedback`;
    const payload = { feedback: body.feedback };
    const exchange = await callCds(client, 'POST', url, payload);
    res.json({
      url,
      request: payload,
      status: exchange.status,
      response: exchange.body,
      durationMs: exchange.durationMs,
      jwt: exchange.jwt,
    });
  });

  router.post('/api/apply', async (req, res) => {
    const body = parse(applyBodySchema, req.body);
    const patient = await services.fhir.read('Patient', body.patientId);
    if (!patient) throw new EhrError('not-found', `Patient/${body.patientId} does not exist`);
    res.json(await applyActions(services.fhir, body.patientId, body.actions));
  });

  router.post('/api/launch', (req, res) => {
    const body = parse(launchBodySchema, req.body);
    const target = body.url ?? services.app.launchUrl;
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      throw new EhrError('invalid-request', `not a URL: ${target}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new EhrError('invalid-request', 'a SMART app URL must be http or https');
    const launch = services.createLaunch({
      patient: body.patientId,
      user: body.userId,
      encounter: body.encounterId,
      appContext: body.appContext,
      needPatientBanner: true,
    });
    url.searchParams.set('launch', launch);
    url.searchParams.set('iss', services.fhirBaseUrl);
    const bare = target.split(/[?#]/, 1)[0] ?? target;
    res.json({ url: url.toString(), registered: registeredLaunchUrls.includes(bare) });
  });

  router.use('/api', (_req, _res, next) => next(new EhrError('not-found', 'no such EHR API endpoint')));

  router.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    if (error instanceof EhrError) {
      res
        .status(EHR_ERROR_STATUS[error.code])
        .json(operationOutcome([{ severity: 'error', code: error.code, diagnostics: error.message }]));
      return;
    }
    const status = (error as { status?: unknown; type?: unknown }).status;
    if (status === 400 || status === 413 || (error as { type?: unknown }).type === 'entity.parse.failed') {
      res.status(typeof status === 'number' ? status : 400).json(
        operationOutcome([
          {
            severity: 'error',
            code: 'invalid',
            diagnostics: 'request body is not valid JSON or too large',
          },
        ]),
      );
      return;
    }
    console.error('ehr: unexpected error', (error as Error)?.name, (error as Error)?.message);
    res
      .status(500)
      .json(
        operationOutcome([
          { severity: 'error', code: 'exception', diagnostics: 'internal error in the EHR simulator' },
        ]),
      );
  });

  return router;
}

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new EhrError(
      'invalid-request',
      `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
}
