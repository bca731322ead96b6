/**
 * The Express application: the only module that knows Express, assembled from injected parts so
 * tests run it with fakes (STYLE.md "Tests"). `main.ts` passes the real store, model and renderer.
 */
import { randomUUID } from 'node:crypto';
import cors from 'cors';
import express, { type Router } from 'express';
import helmet from 'helmet';
import { PatientAccessChecker } from '../app-api/patient-access';
import type { RenderCards } from '../cards/types';
import type { Config } from '../config';
import { CdsError } from '../errors';
import { FhirAllowlist } from '../fhir/allowlist';
import { HttpFhirGateway } from '../fhir/fhir-gateway';
import type { AssessFn } from '../hooks/types';
import type { LlmEnricher } from '../llm/types';
import type { SiteModel } from '../assessment/site-model-step';
import type { Logger } from '../logger';
import type {
  AssessmentStore,
  AuditLog,
  FeedbackStore,
  HookCallLog,
  OrderAlertLedger,
  ReplayGuard,
  Store,
} from '../store/store';
import { CdsJwtVerifier } from './auth';
import { errorHandler } from './error-handler';
import { serveFavicon } from './favicon';
import { createMemoryRateLimits, type RateLimits } from './rate-limit';
import { requestContext } from './request-context';
import { createAppApiRouter, type ModelCardFn } from './routes/api';
import { createCdsServicesRouter } from './routes/cds-services';
import { createStaticAppRouter } from './static-app';

/** Largest request body accepted (a hook with a large prefetch stays well under it). */
export const BODY_LIMIT = '5mb';

/**
 * What the application hands its routes of the store: each route and hook takes the part it uses.
 * The monitoring read model goes to the admin router alone; the lifecycle stays in main.ts.
 */
export type AppStore = AssessmentStore &
  FeedbackStore &
  OrderAlertLedger &
  HookCallLog &
  ReplayGuard &
  AuditLog &
  Pick<Store, 'healthy'>;

export interface AppDeps {
  config: Config;
  /** Each route takes the part it uses; the monitoring read model goes to `monitoringRouter`. */
  store: AppStore;
  logger: Logger;
  /** model/assess.ts */
  assess: AssessFn;
  /** cards/index.ts */
  renderCards: RenderCards;
  /** model/model-card.ts */
  modelCard: ModelCardFn;
  llm?: LlmEnricher;
  /** The site's own models with their runtimes (main.ts opens them from `config.siteModels`). */
  siteModels?: readonly SiteModel[];
  /** Mounted at /admin: store's monitoring router (behind ADMIN_TOKEN). */
  monitoringRouter?: Router;
  /** smart-app/dist; served at /app/ when it exists. */
  staticAppDir?: string;
  /** For outbound FHIR requests; the global fetch when absent. */
  fetch?: typeof fetch;
  clock?: () => Date;
  newId?: () => string;
  /** Counters shared through PostgreSQL (main.ts with DATABASE_URL); in memory when absent. */
  rateLimits?: RateLimits;
}

/** Builds the application. Pure wiring: no listening, no process state. */
export function createApp(deps: AppDeps): express.Express {
  const { config, store, logger } = deps;
  const limits = deps.rateLimits ?? createMemoryRateLimits(config);
  const clock = deps.clock ?? (() => new Date());
  const newId = deps.newId ?? randomUUID;
  const allowlist = new FhirAllowlist(config.fhir.allowlist);
  const gateway = new HttpFhirGateway(allowlist, {
    fetch: deps.fetch,
    maxResponseBytes: config.fhir.maxResponseBytes,
  });
  const verifier = config.auth.required
    ? new CdsJwtVerifier({
        trustedIssuers: config.auth.trustedIssuers,
        store,
        clock,
        logger,
        jwksTimeoutMs: config.fhir.timeoutMs,
      })
    : undefined;
  const access = new PatientAccessChecker({ gateway, allowlist, timeoutMs: config.fhir.timeoutMs, clock });

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.set('json spaces', 0);
  // No ETag on API answers: every hook answer is fresh (a SHA-1 of each body for nothing). The
  // static app is served with its own ETags (express.static).
  app.set('etag', false);
  app.use(requestContext(logger));

  const staticApp = createStaticAppRouter(deps.staticAppDir, config.frameAncestors);
  if (staticApp) app.use('/app', staticApp);

  app.use(helmet());

  const corsForCdsClients = cors({
    origin: config.corsOrigins.includes('*') ? '*' : [...config.corsOrigins],
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: ['Content-Type', 'Authorization'],
    maxAge: 600,
  });
  const json = express.json({ limit: BODY_LIMIT, type: ['application/json', 'application/*+json'] });

  app.get(['/favicon.ico', '/favicon.svg'], serveFavicon);
  app.get('/healthz', async (_req, res) => {
    const healthy = await store.healthy().catch(() => false);
    res
      .status(healthy ? 200 : 503)
      .json({ status: healthy ? 'ok' : 'degraded', store: healthy ? 'up' : 'down' });
  });

  app.use(
    '/cds-services',
    corsForCdsClients,
    createCdsServicesRouter({
      parseBody: json,
      config,
      store,
      gateway,
      assess: deps.assess,
      renderCards: deps.renderCards,
      llm: deps.llm,
      ...(deps.siteModels ? { siteModels: deps.siteModels } : {}),
      clock,
      newId,
      verifier,
      limitClient: limits.client,
      callLog: store,
    }),
  );
  app.use(
    '/api',
    json,
    createAppApiRouter({
      config,
      store,
      gateway,
      allowlist,
      access,
      assess: deps.assess,
      modelCard: deps.modelCard,
      llm: deps.llm,
      ...(deps.siteModels ? { siteModels: deps.siteModels } : {}),
      clock,
      newId,
    }),
  );
  if (deps.monitoringRouter) app.use('/admin', deps.monitoringRouter);

  app.use((req, _res, next) => next(new CdsError('not-found', `No route for ${req.method} ${req.path}`)));
  // A 401 counts against the client address; past the strict limit it becomes a 429.
  app.use(limits.failedAuth);
  app.use(errorHandler(logger));
  return app;
}
