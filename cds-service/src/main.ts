/**
 * The composition root (STYLE.md): reads the configuration once, creates the logger and the store,
 * wires the real model, card renderer, LLM reasoner and monitoring into the app, listens on PORT,
 * purges assessments past their retention, and shuts down gracefully on SIGTERM/SIGINT.
 */
// First: it sizes libuv's thread pool, which must be done before anything uses the pool.
import './thread-pool';
import { resolve } from 'node:path';
import { renderCards } from './cards';
import { loadConfig, type Config } from './config';
import { ConfigError } from './errors';

import { createApp } from './http/app';
import { createMemoryRateLimits, createPostgresRateLimits } from './http/rate-limit';
import { createMonitoringRouter } from './http/routes/monitoring';
import { describeConfiguration } from './monitoring/configuration';
import { MODEL_PROVENANCE } from './model/provenance';
import { createLlmEnricher, DEFAULT_LLM_TIMINGS, type LlmEnricher } from './llm';
import { createLogger, errorSummary, type Logger } from './logger';
import { assess } from './model/assess';
import { CITATIONS } from './model/knowledge/evidence';
import { modelCard } from './model/model-card';
import { createStore } from './store';
import { purgeExpired } from './store/retention';
import type { SiteModelCall } from './store/store';
import { openSiteModels, type OpenSiteModels } from './site-models/open';

const PURGE_INTERVAL_MS = 60 * 60_000;
const SHUTDOWN_GRACE_MS = 10_000;

function llmFrom(config: Config, logger: Logger): LlmEnricher | undefined {
  const { endpoint, dateShiftSecret } = config.llm;
  if (!endpoint || !dateShiftSecret) return undefined;
  return createLlmEnricher(
    {
      ...DEFAULT_LLM_TIMINGS,
      endpoint,
      dateShiftSecret,
      budgetMs: config.llm.budgetMs ?? DEFAULT_LLM_TIMINGS.budgetMs,
      deadlineMs: config.llm.deadlineMs ?? DEFAULT_LLM_TIMINGS.deadlineMs,
    },
    { evidence: [...CITATIONS.values()], logger: logger.child({ component: 'llm' }) },
  );
}

export async function main(env: NodeJS.ProcessEnv): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`rationale-cds: configuration error: ${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
  let siteModels: OpenSiteModels;
  try {
    siteModels = await openSiteModels(config.siteModels);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`rationale-cds: configuration error: ${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
  const logger = createLogger({
    level: config.logLevel,
    pretty: config.logFormat ? config.logFormat === 'pretty' : process.stdout.isTTY === true,
  });
  if (!config.auth.required) {
    const warning =
      'AUTH_REQUIRED=false: CDS Hooks calls are NOT authenticated. Local development only; never expose this service.';
    process.stderr.write(`\n*** WARNING *** ${warning}\n\n`);
    logger.warn({ authRequired: false }, warning);
  }

  const store = await createStore({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    logger: logger.child({ component: 'store' }),
  });
  // Shared by every replica through the database; one replica on embedded PGlite counts in memory.
  const rateLimits = config.databaseUrl
    ? await createPostgresRateLimits(config, config.databaseUrl, {
        logger: logger.child({ component: 'rate-limit' }),
      })
    : createMemoryRateLimits(config);
  const clock = () => new Date();
  const llm = llmFrom(config, logger);
  // Each site-model call goes to the store's write-behind batch, shared by every replica.
  const models = siteModels.models.map((m) => ({
    ...m,
    record: (call: SiteModelCall) =>
      void store
        .recordSiteModelCall(call)
        .catch((e: unknown) => logger.warn({ err: errorSummary(e) }, 'site model call not stored')),
  }));
  const app = createApp({
    config,
    store,
    logger,
    assess,
    renderCards,
    modelCard,
    llm,
    siteModels: models,
    monitoringRouter: createMonitoringRouter({
      store,
      adminToken: config.adminToken,
      clock,
      configuration: describeConfiguration(config, MODEL_PROVENANCE, llm?.describe().model),
      ...(config.validationReportsDir ? { validationReportsDir: config.validationReportsDir } : {}),
    }),
    staticAppDir: resolve(__dirname, '..', '..', 'smart-app', 'dist'),
    clock,
    rateLimits,
  });

  const purge = async () => {
    try {
      const purged = await purgeExpired(store, config, clock());
      logger.info(
        {
          purged,
          retentionDays: config.retentionDays,
          monitoringRetentionDays: config.monitoringRetentionDays,
        },
        'expired rows purged',
      );
    } catch (e) {
      logger.warn({ err: { type: (e as Error).name, message: (e as Error).message } }, 'purge failed');
    }
  };
  void purge();
  const purgeTimer = setInterval(() => void purge(), PURGE_INTERVAL_MS);
  purgeTimer.unref();

  const server = app.listen(config.port, () => {
    logger.info(
      {
        port: config.port,
        publicUrl: config.publicUrl,
        trustedIssuers: config.auth.trustedIssuers.length,
        fhirAllowlist: config.fhir.allowlist.length,
        database: config.databaseUrl ? 'postgresql' : 'pglite',
        rateLimits: rateLimits.backend,
        llm: llm ? llm.describe().model : 'off',
        siteModels: siteModels.models.map((m) => `${m.spec.id}@${m.spec.version} (${m.spec.mode})`),
        configFile: config.configFile,
      },
      'rationale CDS service listening',
    );
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: no new connections, finishing in-flight requests');
    clearInterval(purgeTimer);
    const force = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
    force.unref();
    server.close(() => {
      Promise.all([store.close(), rateLimits.close(), siteModels.close()])
        .catch((e: unknown) => logger.warn({ err: errorSummary(e) }, 'store close failed'))
        .finally(() => {
          logger.info('stopped');
          process.exit(0);
        });
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

if (require.main === module) {
  main(process.env).catch((e: unknown) => {
    process.stderr.write(`rationale-cds: failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
