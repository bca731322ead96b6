/**
 * The service's configuration: one zod-validated, frozen object built once in main.ts from
 * `process.env` and an optional configuration file (`CDS_CONFIG_FILE`, JSON or YAML). Environment
 * variables override the file. A bad value fails at start-up with a ConfigError naming the variable
 * or the file path and the problem (STYLE.md "Configuration"). Nothing else reads `process.env`.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { EHR_PROFILE_NAMES, SERVICE_HOOKS, type ServiceHook } from '@rationale/shared-types';
import { ConfigError } from './errors';
import type { LlmEndpoint } from './llm/openai-reasoner';
import { DEFAULT_MODEL_SETTINGS, type ModelSettings } from './model/settings';
import { DEFAULT_MAX_RESPONSE_BYTES } from './fhir/fhir-gateway';
import { DEFAULT_MAX_RESOURCES_PER_PATIENT } from './fhir/record';

/** Declared once in shared-types; re-exported for the service's modules. */
export { SERVICE_HOOKS, type ServiceHook };

const EHR_PROFILES = EHR_PROFILE_NAMES;
type EhrProfileName = (typeof EHR_PROFILE_NAMES)[number];

const httpUrl = z.url({ protocol: /^https?$/ }).describe('An absolute http(s) URL');

const jwkSchema = z.looseObject({ kty: z.string().min(1), kid: z.string().optional() });

/** One EHR allowed to call the service (CDS Hooks STU2 §Trusting CDS Clients). */
export const trustedIssuerSchema = z
  .object({
    iss: z.string().min(1).describe('The JWT `iss` the EHR sends'),
    jwksUri: httpUrl.optional().describe('Where the EHR publishes its JSON Web Key Set'),
    jwks: z
      .object({ keys: z.array(jwkSchema).min(1) })
      .optional()
      .describe('The EHR public keys inline, when it publishes no JWKS URL'),
    jku: z
      .array(httpUrl)
      .optional()
      .describe('JWKS URLs the EHR may name in the JWT `jku` header; any other `jku` is refused'),
    profile: z.enum(EHR_PROFILES).default('generic').describe('How cards are shaped for this EHR'),
    tenant: z.string().min(1).optional().describe('When set, the JWT `tenant` claim must equal it'),
    rateLimitPerMinute: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('Calls this EHR (per tenant) may make a minute; clientRateLimitPerMinute when absent'),
  })
  .strict()
  .refine((i) => i.jwksUri || i.jwks || i.jku?.length, {
    message: 'needs jwksUri, jwks or a jku allowlist',
  });
export type TrustedIssuer = z.infer<typeof trustedIssuerSchema>;

const serviceSettingsSchema = z
  .object({
    enabled: z.boolean().default(true).describe('Listed in discovery and answered'),
    mode: z
      .enum(['active', 'silent'])
      .default('active')
      .describe('silent: the model runs and cards are stored and counted, but none is returned'),
    cardBudget: z.number().int().min(0).max(20).default(3).describe('Most cards one call returns'),
  })
  .strict();
export type ServiceSettings = z.infer<typeof serviceSettingsSchema>;

const DEFAULT_SERVICE_SETTINGS: ServiceSettings = { enabled: true, mode: 'active', cardBudget: 3 };

/** The configuration file (JSON or YAML); its JSON Schema is published as config.schema.json. */
export const configFileSchema = z
  .object({
    $schema: z.string().optional(),
    services: z
      .partialRecord(z.enum(SERVICE_HOOKS), serviceSettingsSchema)
      .optional()
      .describe('Per hook: on/off, active or silent, card budget'),
    thresholds: z
      .object({
        minSuggestedPosterior: z
          .number()
          .min(0)
          .max(1)
          .optional()
          .describe('Minimum posterior for a suggested (unrecorded) diagnosis to become a card'),
        statinRiskThreshold: z
          .number()
          .min(0)
          .max(1)
          .optional()
          .describe('10-year ASCVD risk (0-1) at or above which a statin is recommended'),
        labRecencyMonths: z.number().int().min(1).max(120).optional(),
      })
      .strict()
      .optional(),
    snoozeDays: z
      .number()
      .int()
      .min(0)
      .max(3650)
      .optional()
      .describe('How long feedback snoozes a card topic'),
    retentionDays: z.number().int().min(1).max(3650).optional().describe('How long assessments are kept'),
    defaultProfile: z
      .enum(EHR_PROFILES)
      .optional()
      .describe('EHR profile when the caller is not a trusted issuer (authentication off)'),
    trustedIssuers: z.array(trustedIssuerSchema).optional(),
    fhirServerAllowlist: z.array(httpUrl).optional().describe('FHIR base URLs the service may read'),
    fhirTimeoutMs: z.number().int().min(50).max(60_000).optional(),
    fhirMaxResponseBytes: z
      .number()
      .int()
      .min(65_536)
      .optional()
      .describe('Cap on the body of one FHIR response; a Bundle past it is read up to it'),
    fhirMaxResources: z
      .number()
      .int()
      .min(100)
      .optional()
      .describe('Cap on the FHIR resources read for one patient'),
    frameAncestors: z.array(z.string().min(1)).optional(),
    corsOrigins: z.array(z.string().min(1)).optional(),
    clientRateLimitPerMinute: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe(
        'Calls an authenticated EHR (JWT iss and tenant) may make a minute, unless its issuer entry says',
      ),
    unauthenticatedRateLimitPerMinute: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('Calls failing authentication (no or a bad token) one client address may make a minute'),
    trustProxy: z
      .union([z.number().int().min(0).max(32), z.array(z.string().min(1)).min(1), z.boolean()])
      .optional()
      .describe(
        'Proxies in front of the service whose X-Forwarded-For is believed: a hop count or their addresses (CIDR allowed); never true',
      ),
  })
  .strict();
export type ConfigFile = z.infer<typeof configFileSchema>;

export interface LlmConfig {
  baseUrl?: string;
  apiKey?: string;
  model?: string;
  azure?: { endpoint?: string; apiKey?: string; deployment?: string; apiVersion?: string };
  /** The endpoint to call, when one is fully configured (OpenAI-compatible or Azure OpenAI). */
  endpoint?: LlmEndpoint;
  /** How long a hook waits for the reasoner (LLM_BUDGET_MS). */
  budgetMs?: number;
  /** How long the reasoner may take in all (LLM_DEADLINE_MS). */
  deadlineMs?: number;
  /** Keys the per-patient date shift of the de-identified summary (LLM_DATE_SHIFT_SECRET). */
  dateShiftSecret?: string;
}

export interface Config {
  port: number;
  databaseUrl?: string;
  dataDir: string;
  logLevel: string;
  /** LOG_FORMAT: `pretty` (human-readable) or `json` (one object a line); unset: pretty on a terminal. */
  logFormat?: 'json' | 'pretty';
  auth: { required: boolean; trustedIssuers: readonly TrustedIssuer[] };
  fhir: {
    allowlist: readonly string[];
    timeoutMs: number;
    /** FHIR_MAX_RESPONSE_BYTES: cap on one response's body (default 4 MiB). */
    maxResponseBytes: number;
    /** FHIR_MAX_RESOURCES: cap on the resources read for one patient (default 5000). */
    maxResources: number;
  };
  /** The service's external base URL (no trailing slash); when absent, derived from each request. */
  publicUrl?: string;
  adminToken?: string;
  /** Explicit SMART launch URL; when absent, `{public base}/app/launch.html`. */
  smartAppLaunchUrl?: string;
  frameAncestors: readonly string[];
  /** Origins allowed by CORS; `['*']` allows any (bearer tokens, no cookies). */
  corsOrigins: readonly string[];
  /** Per minute: calls of an authenticated client (default), calls failing authentication per address. */
  rateLimit: { clientPerMinute: number; unauthenticatedPerMinute: number };
  /**
   * Express `trust proxy`: how many proxies, or which proxy addresses, stand in front of the service
   * (0: none; the socket address is the client's). Never `true`, which would believe any header.
   */
  trustProxy: number | readonly string[];
  services: Readonly<Record<ServiceHook, ServiceSettings>>;
  modelSettings: ModelSettings;
  snoozeDays: number;
  retentionDays: number;
  defaultProfile: EhrProfileName;
  configFile?: string;
  llm: LlmConfig;
}

type Env = NodeJS.ProcessEnv;

function fail(variable: string, problem: string): never {
  throw new ConfigError(`${variable}: ${problem}`);
}

function nonEmpty(env: Env, name: string): string | undefined {
  const v = env[name]?.trim();
  return v ? v : undefined;
}

function intVar(env: Env, name: string, min: number, max: number): number | undefined {
  const raw = nonEmpty(env, name);
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw)) fail(name, `must be a whole number, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) fail(name, `must be between ${min} and ${max}, got ${n}`);
  return n;
}

function boolVar(env: Env, name: string): boolean | undefined {
  const raw = nonEmpty(env, name)?.toLowerCase();
  if (raw === undefined) return undefined;
  if (['true', '1', 'yes'].includes(raw)) return true;
  if (['false', '0', 'no'].includes(raw)) return false;
  return fail(name, `must be true or false, got "${raw}"`);
}

function urlVar(env: Env, name: string): string | undefined {
  const raw = nonEmpty(env, name);
  if (raw === undefined) return undefined;
  const r = httpUrl.safeParse(raw);
  if (!r.success) fail(name, `must be an absolute http(s) URL, got "${raw}"`);
  return raw.replace(/\/+$/, '');
}

function listVar(env: Env, name: string): string[] | undefined {
  const raw = nonEmpty(env, name);
  if (raw === undefined) return undefined;
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`).join('; ');
}

function readConfigFile(path: string): ConfigFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(
      `${path}: cannot read the configuration file (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  let data: unknown;
  try {
    data = extname(path).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new ConfigError(
      `${path}: not valid ${extname(path).toLowerCase() === '.json' ? 'JSON' : 'YAML'} (${(e as Error).message.split('\n')[0]})`,
    );
  }
  const parsed = configFileSchema.safeParse(data ?? {});
  if (!parsed.success) throw new ConfigError(`${path}: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

function trustedIssuersVar(env: Env): TrustedIssuer[] | undefined {
  const raw = nonEmpty(env, 'CDS_TRUSTED_ISSUERS');
  if (raw === undefined) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return fail(
      'CDS_TRUSTED_ISSUERS',
      'must be a JSON array of {iss, jwksUri} or {iss, jwks}; it is not valid JSON',
    );
  }
  const parsed = z.array(trustedIssuerSchema).safeParse(data);
  if (!parsed.success) return fail('CDS_TRUSTED_ISSUERS', describeIssues(parsed.error));
  return parsed.data;
}

const TRUST_PROXY_HELP =
  'give the number of proxies in front of the service (e.g. 1) or their addresses (e.g. 10.0.0.5,10.0.1.0/24)';
/** Express's names for address ranges (proxy-addr). */
const PROXY_RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

function checkProxyAddresses(where: string, addresses: readonly string[]): string[] {
  return addresses.map((a) => {
    const [address = '', bits, extra] = a.split('/');
    const version = isIP(address);
    const validBits =
      bits === undefined ||
      (/^\d+$/.test(bits) && Number(bits) <= (version === 6 ? 128 : 32) && extra === undefined);
    if (!PROXY_RANGE_NAMES.includes(a) && (!version || !validBits))
      fail(where, `"${a}" is not an IP address or CIDR range; ${TRUST_PROXY_HELP}`);
    return a;
  });
}

/** TRUST_PROXY: a hop count or a comma-separated list of proxy addresses; `true` is refused. */
function trustProxyVar(env: Env): number | string[] | undefined {
  const raw = nonEmpty(env, 'TRUST_PROXY');
  if (raw === undefined) return undefined;
  if (/^\d+$/.test(raw)) return intVar(env, 'TRUST_PROXY', 0, 32);
  const lower = raw.toLowerCase();
  if (['true', 'yes'].includes(lower)) {
    fail(
      'TRUST_PROXY',
      `"${raw}" would believe any X-Forwarded-For, letting a client choose the address it is counted under; ${TRUST_PROXY_HELP}`,
    );
  }
  if (['false', 'no'].includes(lower)) return 0;
  return checkProxyAddresses('TRUST_PROXY', listVar(env, 'TRUST_PROXY') ?? []);
}

function trustProxyFromFile(
  value: ConfigFile['trustProxy'],
  configFile: string | undefined,
): number | string[] | undefined {
  const where = `${configFile ?? 'configuration file'}: trustProxy`;
  if (value === true) fail(where, `true would believe any X-Forwarded-For; ${TRUST_PROXY_HELP}`);
  if (value === false) return 0;
  return Array.isArray(value) ? checkProxyAddresses(where, value) : value;
}

/** Lower-cases scheme and host, drops a default port and trailing slashes: the allowlist's equality. */
export function normalizeBaseUrl(url: string): string {
  const u = new URL(url);
  const path = u.pathname.replace(/\/+$/, '');
  return `${u.protocol}//${u.host}${path}`;
}

/**
 * Builds the configuration from the environment and, when `CDS_CONFIG_FILE` (or `options.configFile`)
 * names one, a JSON or YAML file. Throws ConfigError naming the variable or file and the problem.
 */
export function loadConfig(env: Env, options: { configFile?: string } = {}): Config {
  const configFile = options.configFile ?? nonEmpty(env, 'CDS_CONFIG_FILE');
  const file: ConfigFile = configFile ? readConfigFile(configFile) : {};

  const authRequired = boolVar(env, 'CDS_AUTH_REQUIRED') ?? true;
  const trustedIssuers = trustedIssuersVar(env) ?? file.trustedIssuers ?? [];
  if (authRequired && trustedIssuers.length === 0) {
    fail(
      'CDS_TRUSTED_ISSUERS',
      'no trusted issuer is configured while CDS_AUTH_REQUIRED is true; add one, or set CDS_AUTH_REQUIRED=false for local development',
    );
  }
  const seen = new Set<string>();
  for (const i of trustedIssuers) {
    if (seen.has(i.iss)) fail('CDS_TRUSTED_ISSUERS', `issuer ${i.iss} is listed twice`);
    seen.add(i.iss);
  }

  const allowlistSource = listVar(env, 'FHIR_SERVER_ALLOWLIST');
  const allowlist = (allowlistSource ?? file.fhirServerAllowlist ?? []).map((u) => {
    if (!httpUrl.safeParse(u).success) fail('FHIR_SERVER_ALLOWLIST', `"${u}" is not an absolute http(s) URL`);
    return normalizeBaseUrl(u);
  });

  const adminToken = nonEmpty(env, 'CDS_ADMIN_TOKEN');
  if (adminToken !== undefined && adminToken.length < 32) {
    fail('CDS_ADMIN_TOKEN', `must be at least 32 characters (got ${adminToken.length})`);
  }

  const logLevel = nonEmpty(env, 'LOG_LEVEL') ?? 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    fail('LOG_LEVEL', `must be one of fatal, error, warn, info, debug, trace, silent; got "${logLevel}"`);
  }

  const logFormat = nonEmpty(env, 'LOG_FORMAT');
  if (logFormat !== undefined && logFormat !== 'json' && logFormat !== 'pretty') {
    fail('LOG_FORMAT', `must be json or pretty; got "${logFormat}"`);
  }

  const databaseUrl = nonEmpty(env, 'DATABASE_URL');
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    fail('DATABASE_URL', 'must be a postgres:// or postgresql:// URL');
  }

  const frameAncestors = listVar(env, 'CDS_FRAME_ANCESTORS') ?? file.frameAncestors ?? ["'self'"];
  for (const a of frameAncestors) {
    if (/[;\s]/.test(a)) fail('CDS_FRAME_ANCESTORS', `"${a}" may not contain spaces or semicolons`);
  }
  const corsOrigins = listVar(env, 'CDS_CORS_ORIGINS') ?? file.corsOrigins ?? ['*'];

  const trustProxy = trustProxyVar(env) ?? trustProxyFromFile(file.trustProxy, configFile) ?? 0;
  if (nonEmpty(env, 'RATE_LIMIT_PER_MINUTE') !== undefined) {
    fail(
      'RATE_LIMIT_PER_MINUTE',
      'is no longer read (it limited per client address); set CLIENT_RATE_LIMIT_PER_MINUTE (per authenticated EHR) and UNAUTHENTICATED_RATE_LIMIT_PER_MINUTE (per address, failed authentication)',
    );
  }

  const services = Object.fromEntries(
    SERVICE_HOOKS.map((h) => [h, { ...DEFAULT_SERVICE_SETTINGS, ...file.services?.[h] }]),
  ) as Record<ServiceHook, ServiceSettings>;

  const modelSettings: ModelSettings = {
    ...DEFAULT_MODEL_SETTINGS,
    ...Object.fromEntries(Object.entries(file.thresholds ?? {}).filter(([, v]) => v !== undefined)),
  };

  const config: Config = {
    port: intVar(env, 'PORT', 0, 65535) ?? 8081,
    databaseUrl,
    dataDir: nonEmpty(env, 'DATA_DIR') ?? '.data',
    logLevel,
    ...(logFormat ? { logFormat } : {}),
    auth: { required: authRequired, trustedIssuers },
    fhir: {
      allowlist,
      timeoutMs: intVar(env, 'FHIR_TIMEOUT_MS', 50, 60_000) ?? file.fhirTimeoutMs ?? 2000,
      maxResponseBytes:
        intVar(env, 'FHIR_MAX_RESPONSE_BYTES', 65_536, 1024 * 1024 * 1024) ??
        file.fhirMaxResponseBytes ??
        DEFAULT_MAX_RESPONSE_BYTES,
      maxResources:
        intVar(env, 'FHIR_MAX_RESOURCES', 100, 10_000_000) ??
        file.fhirMaxResources ??
        DEFAULT_MAX_RESOURCES_PER_PATIENT,
    },
    publicUrl: urlVar(env, 'CDS_PUBLIC_URL'),
    adminToken,
    smartAppLaunchUrl: urlVar(env, 'SMART_APP_LAUNCH_URL'),
    frameAncestors,
    corsOrigins,
    rateLimit: {
      clientPerMinute:
        intVar(env, 'CLIENT_RATE_LIMIT_PER_MINUTE', 1, 100_000_000) ??
        file.clientRateLimitPerMinute ??
        60_000,
      unauthenticatedPerMinute:
        intVar(env, 'UNAUTHENTICATED_RATE_LIMIT_PER_MINUTE', 1, 100_000_000) ??
        file.unauthenticatedRateLimitPerMinute ??
        60,
    },
    trustProxy,
    services,
    modelSettings,
    snoozeDays: file.snoozeDays ?? 90,
    retentionDays: intVar(env, 'ASSESSMENT_RETENTION_DAYS', 1, 3650) ?? file.retentionDays ?? 30,
    defaultProfile: file.defaultProfile ?? 'generic',
    configFile,
    llm: llmConfig(env),
  };
  return deepFreeze(config);
}

/** LLM settings: parsed and checked here, consumed by llm/ (DESIGN.md §5). */
function llmConfig(env: Env): LlmConfig {
  const llm: LlmConfig = {
    baseUrl: urlVar(env, 'LLM_BASE_URL'),
    apiKey: nonEmpty(env, 'LLM_API_KEY'),
    model: nonEmpty(env, 'LLM_MODEL'),
    azure: {
      endpoint: urlVar(env, 'AZURE_OPENAI_ENDPOINT'),
      apiKey: nonEmpty(env, 'AZURE_OPENAI_API_KEY'),
      deployment: nonEmpty(env, 'AZURE_OPENAI_DEPLOYMENT'),
      apiVersion: nonEmpty(env, 'AZURE_OPENAI_API_VERSION'),
    },
    budgetMs: intVar(env, 'LLM_BUDGET_MS', 0, 60_000),
    deadlineMs: intVar(env, 'LLM_DEADLINE_MS', 100, 600_000),
    dateShiftSecret: nonEmpty(env, 'LLM_DATE_SHIFT_SECRET'),
  };
  const azure = llm.azure ?? {};
  if (llm.baseUrl) {
    if (!llm.model) fail('LLM_MODEL', 'is required when LLM_BASE_URL is set');
    llm.endpoint = { kind: 'openai', baseUrl: llm.baseUrl, apiKey: llm.apiKey, model: llm.model };
  } else if (azure.endpoint) {
    for (const [name, value] of [
      ['AZURE_OPENAI_API_KEY', azure.apiKey],
      ['AZURE_OPENAI_DEPLOYMENT', azure.deployment],
      ['AZURE_OPENAI_API_VERSION', azure.apiVersion],
    ] as const) {
      if (!value) fail(name, 'is required when AZURE_OPENAI_ENDPOINT is set');
    }
    llm.endpoint = {
      kind: 'azure',
      endpoint: azure.endpoint,
      apiKey: azure.apiKey as string,
      deployment: azure.deployment as string,
      apiVersion: azure.apiVersion as string,
    };
  } else if (llm.model) {
    fail('LLM_BASE_URL', 'is required when LLM_MODEL is set');
  }
  if (llm.endpoint && (llm.dateShiftSecret?.length ?? 0) < 16) {
    fail('LLM_DATE_SHIFT_SECRET', 'must be set (at least 16 characters) when an LLM endpoint is configured');
  }
  return llm;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v);
  }
  return value;
}

/** The JSON Schema of the configuration file, for editors (`npm run config:schema`). */
export function configJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(configFileSchema, { io: 'input', unrepresentable: 'any' }),
    title: 'Rationale CDS service configuration',
  };
}
