/**
 * The service's configuration: one zod-validated, frozen object built once in main.ts from
 * `process.env` and an optional configuration file (`CDS_CONFIG_FILE`, JSON or YAML). Environment
 * variables override the file. A bad value fails at start-up with a ConfigError naming the variable
 * or the file path and the problem (STYLE.md "Configuration"). Nothing else reads `process.env`.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { dirname, extname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { EHR_PROFILE_NAMES, SERVICE_HOOKS, type ServiceHook } from '@rationale/shared-types';
import { ConfigError } from './errors';
import type { LlmEndpoint } from './llm/openai-reasoner';
import { calibratedLikelihoodRatios, calibratedPriors, calibrationFileSchema } from './model/calibration';
import { DEFAULT_MODEL_SETTINGS, type ModelSettings } from './model/settings';
import { DEFAULT_MAX_RESPONSE_BYTES } from './fhir/fhir-gateway';
import { DEFAULT_MAX_RESOURCES_PER_PATIENT } from './fhir/record';
import { fieldPath, modelsSchema, type SiteModelSpec } from './site-models/registry';

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

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const secret = <T extends z.ZodType>(schema: T) => schema.meta({ secret: true });

/**
 * Every setting, once. The key is the configuration file's name for it; the environment variable
 * is derived from the key (`fhirTimeoutMs` → `FHIR_TIMEOUT_MS`, see `envName`) and overrides the
 * file. Secrets (`.meta({ secret: true })`) are read from the environment only, never from a file
 * that may be committed. Its JSON Schema is published as config.schema.json.
 */
export const configFileSchema = z
  .object({
    $schema: z.string().optional(),
    port: z.number().int().min(0).max(65535).optional().describe('HTTP port (default 8081)'),
    databaseUrl: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional()
      .describe('A PostgreSQL server; when absent, embedded PGlite in dataDir'),
    dataDir: z.string().min(1).optional().describe('Where embedded PGlite keeps its data (default .data)'),
    validationReportsDir: z
      .string()
      .min(1)
      .optional()
      .describe(
        'A folder of `rationale validate --out` reports (one sub-folder each), listed and served on the monitoring page',
      ),
    logLevel: z.enum(LOG_LEVELS).optional().describe('Log level (default info)'),
    logFormat: z
      .enum(['json', 'pretty'])
      .optional()
      .describe('pretty (human-readable) or json (one object a line); unset: pretty on a terminal'),
    authRequired: z
      .boolean()
      .optional()
      .describe('Require a signed JWT from a trusted issuer on every hook call (default true)'),
    adminToken: secret(z.string().min(32, 'must be at least 32 characters').optional()).describe(
      'Bearer token of the monitoring page; the page is off when unset',
    ),
    publicUrl: httpUrl.optional().describe('The external base URL; when absent, derived from each request'),
    smartAppLaunchUrl: httpUrl
      .optional()
      .describe('Explicit SMART launch URL; when absent, {public base}/app/launch.html'),
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
    storeCardlessAssessments: z
      .boolean()
      .optional()
      .describe(
        'Keep the Assessment of a hook call that issued no card (default false: only its row, for monitoring; no card links to it)',
      ),
    monitoringRetentionDays: z
      .number()
      .int()
      .min(1)
      .max(3650)
      .optional()
      .describe(
        "How long the monitoring page's rows are kept: hook calls, site-model calls, and issued cards no feedback names",
      ),
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
      .max(1024 * 1024 * 1024)
      .optional()
      .describe('Cap on the body of one FHIR response; a Bundle past it is read up to it'),
    fhirMaxResources: z
      .number()
      .int()
      .min(100)
      .max(10_000_000)
      .optional()
      .describe('Cap on the FHIR resources read for one patient'),
    frameAncestors: z
      .array(
        z
          .string()
          .min(1)
          .regex(/^[^;\s]+$/, 'may not contain spaces or semicolons'),
      )
      .optional(),
    corsOrigins: z.array(z.string().min(1)).optional(),
    clientRateLimitPerMinute: z
      .number()
      .int()
      .min(1)
      .max(100_000_000)
      .optional()
      .describe(
        'Calls an authenticated EHR (JWT iss and tenant) may make a minute, unless its issuer entry says',
      ),
    unauthenticatedRateLimitPerMinute: z
      .number()
      .int()
      .min(1)
      .max(100_000_000)
      .optional()
      .describe('Calls failing authentication (no or a bad token) one client address may make a minute'),
    trustProxy: z
      .union([z.number().int().min(0).max(32), z.boolean(), z.array(z.string().min(1)).min(1)])
      .optional()
      .describe(
        'Proxies in front of the service whose X-Forwarded-For is believed: a hop count or their addresses (CIDR allowed); never true',
      ),
    llmBaseUrl: httpUrl.optional().describe('An OpenAI-compatible endpoint for the optional reasoner'),
    llmApiKey: secret(z.string().min(1).optional()),
    llmModel: z.string().min(1).optional(),
    azureOpenaiEndpoint: httpUrl.optional().describe('Azure OpenAI instead of llmBaseUrl'),
    azureOpenaiApiKey: secret(z.string().min(1).optional()),
    azureOpenaiDeployment: z.string().min(1).optional(),
    azureOpenaiApiVersion: z.string().min(1).optional(),
    llmBudgetMs: z
      .number()
      .int()
      .min(0)
      .max(60_000)
      .optional()
      .describe('How long a hook waits for the reasoner'),
    llmDeadlineMs: z
      .number()
      .int()
      .min(100)
      .max(600_000)
      .optional()
      .describe('How long the reasoner may take in all'),
    llmDateShiftSecret: secret(z.string().min(1).optional()).describe(
      'Keys the per-patient date shift of the de-identified summary',
    ),
    calibrationFile: z
      .string()
      .min(1)
      .optional()
      .describe(
        'A calibration file written by `rationale calibrate` (relative to this file): locally re-estimated priors and likelihood ratios',
      ),
    models: modelsSchema
      .optional()
      .describe("A site's own trained models (ONNX or Open Inference Protocol v2) behind the same cards"),
  })
  .strict();
export type ConfigFile = z.infer<typeof configFileSchema>;
type SettingKey = Exclude<keyof ConfigFile, '$schema'>;

/** The environment variable of a setting: its key in upper snake case. */
export function envName(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

/** Names the configuration had before it had one name per setting; set, they fail start-up. */
const RENAMED: Readonly<Record<string, SettingKey>> = {
  CDS_AUTH_REQUIRED: 'authRequired',
  CDS_TRUSTED_ISSUERS: 'trustedIssuers',
  CDS_ADMIN_TOKEN: 'adminToken',
  CDS_PUBLIC_URL: 'publicUrl',
  CDS_FRAME_ANCESTORS: 'frameAncestors',
  CDS_CORS_ORIGINS: 'corsOrigins',
  ASSESSMENT_RETENTION_DAYS: 'retentionDays',
};

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
  /** A folder of `rationale validate` reports, listed and served on the monitoring page. */
  validationReportsDir?: string;
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
  /** Keep the Assessment of a hook call that issued no card, not only its row (HookRecord.keepSnapshot). */
  storeCardlessAssessments: boolean;
  monitoringRetentionDays: number;
  defaultProfile: EhrProfileName;
  configFile?: string;
  llm: LlmConfig;
  /** The site's own models (`models`), checked; an OIP server's auth header read from its variable. */
  siteModels: readonly SiteModelConfig[];
}

/** A registry entry as the service runs it. */
export type SiteModelConfig = SiteModelSpec & {
  /** The Authorization header value of an OIP server, from the variable `runtime.authHeaderEnv` names. */
  authHeader?: string;
  /** The configuration file's directory: a relative ONNX path is read from there. */
  baseDir: string;
};

type Env = NodeJS.ProcessEnv;

function fail(variable: string, problem: string): never {
  throw new ConfigError(`${variable}: ${problem}`);
}

function nonEmpty(env: Env, name: string): string | undefined {
  const v = env[name]?.trim();
  return v ? v : undefined;
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? fieldPath(i.path) : '(root)'}: ${i.message}`).join('; ');
}

const SHAPE = configFileSchema.shape;
const SETTING_KEYS = Object.keys(SHAPE).filter((k) => k !== '$schema') as SettingKey[];

/** The schema under `.optional()` and `.default()`. */
function inner(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (;;) {
    const next = (s.def as { innerType?: z.ZodType }).innerType;
    if (!next) return s;
    s = next;
  }
}

const isSecret = (key: SettingKey) =>
  Boolean((z.globalRegistry.get(SHAPE[key]) as { secret?: boolean } | undefined)?.secret);

const BOOLEAN_WORDS: Readonly<Record<string, boolean>> = {
  true: true,
  '1': true,
  yes: true,
  false: false,
  '0': false,
  no: false,
};

/**
 * An environment variable's text as the value its setting's schema expects: numbers and booleans
 * from their words, lists of strings comma-separated, anything structured as JSON, a union as the
 * first of its members that accepts it. What cannot be read is passed on for the schema to refuse.
 */
function decode(raw: string, schema: z.ZodType, name: string): unknown {
  const s = inner(schema);
  switch (s.def.type) {
    case 'number':
      return /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
    case 'boolean':
      return BOOLEAN_WORDS[raw.toLowerCase()] ?? raw;
    case 'array': {
      const element = inner((s.def as unknown as { element: z.ZodType }).element);
      if (element.def.type === 'string')
        return raw
          .split(',')
          .map((v) => v.trim())
          .filter(Boolean);
      return json(raw, name);
    }
    case 'object':
    case 'record':
      return json(raw, name);
    case 'union': {
      const options = (s.def as unknown as { options: z.ZodType[] }).options;
      for (const option of options) {
        const value = decode(raw, option, name);
        if (option.safeParse(value).success) return value;
      }
      return options.length ? decode(raw, options[0]!, name) : raw;
    }
    default:
      return raw;
  }
}

function json(raw: string, name: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return fail(name, 'is not valid JSON');
  }
}

/** The settings given in the environment, each checked against its schema and named by its variable. */
function readEnv(env: Env): Partial<ConfigFile> {
  for (const [old, key] of Object.entries(RENAMED)) {
    if (env[old] !== undefined)
      fail(old, `is now ${envName(key)} (one name per setting, derived from the file key ${key})`);
  }
  if (nonEmpty(env, 'RATE_LIMIT_PER_MINUTE') !== undefined) {
    fail(
      'RATE_LIMIT_PER_MINUTE',
      'is no longer read (it limited per client address); set CLIENT_RATE_LIMIT_PER_MINUTE (per authenticated EHR) and UNAUTHENTICATED_RATE_LIMIT_PER_MINUTE (per address, failed authentication)',
    );
  }
  const values: Record<string, unknown> = {};
  for (const key of SETTING_KEYS) {
    const name = envName(key);
    const raw = nonEmpty(env, name);
    if (raw === undefined) continue;
    const parsed = SHAPE[key].safeParse(decode(raw, SHAPE[key], name));
    if (!parsed.success) fail(name, `${describeIssues(parsed.error)} (got "${secretSafe(key, raw)}")`);
    values[key] = parsed.data;
  }
  return values;
}

const secretSafe = (key: SettingKey, raw: string) => (isSecret(key) ? `${raw.length} characters` : raw);

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
  for (const key of SETTING_KEYS) {
    if (isSecret(key) && parsed.data[key] !== undefined)
      throw new ConfigError(
        `${path}: ${key} is a secret; set it in the environment as ${envName(key)}, not in a file`,
      );
  }
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

/** A hop count or a list of proxy addresses; `true` is refused, `false` is none. */
function trustProxyOf(value: ConfigFile['trustProxy'], where: string): number | string[] | undefined {
  if (value === true)
    fail(
      where,
      `"true" would believe any X-Forwarded-For, letting a client choose the address it is counted under; ${TRUST_PROXY_HELP}`,
    );
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
 * names one, a JSON or YAML file; a variable overrides the file's key it is derived from. Throws
 * ConfigError naming the variable, or the file and key, and the problem.
 */
export function loadConfig(env: Env, options: { configFile?: string } = {}): Config {
  const configFile = options.configFile ?? nonEmpty(env, 'CDS_CONFIG_FILE');
  const file: ConfigFile = configFile ? readConfigFile(configFile) : {};
  const fromEnv = readEnv(env);
  const s: ConfigFile = { ...file, ...fromEnv };
  /** Where a setting's value came from, for an error found after merging. */
  const where = (key: SettingKey) => (key in fromEnv || !configFile ? envName(key) : `${configFile}: ${key}`);

  const authRequired = s.authRequired ?? true;
  const trustedIssuers = s.trustedIssuers ?? [];
  if (authRequired && trustedIssuers.length === 0) {
    fail(
      where('trustedIssuers'),
      'no trusted issuer is configured while AUTH_REQUIRED is true; add one, or set AUTH_REQUIRED=false for local development',
    );
  }
  const seen = new Set<string>();
  for (const i of trustedIssuers) {
    if (seen.has(i.iss)) fail(where('trustedIssuers'), `issuer ${i.iss} is listed twice`);
    seen.add(i.iss);
  }

  const services = Object.fromEntries(
    SERVICE_HOOKS.map((h) => [h, { ...DEFAULT_SERVICE_SETTINGS, ...s.services?.[h] }]),
  ) as Record<ServiceHook, ServiceSettings>;

  const modelSettings: ModelSettings = {
    ...DEFAULT_MODEL_SETTINGS,
    ...Object.fromEntries(Object.entries(s.thresholds ?? {}).filter(([, v]) => v !== undefined)),
    ...(s.calibrationFile ? readCalibration(s.calibrationFile, configFile, where('calibrationFile')) : {}),
  };

  const config: Config = {
    port: s.port ?? 8081,
    databaseUrl: s.databaseUrl,
    dataDir: s.dataDir ?? '.data',
    ...(s.validationReportsDir ? { validationReportsDir: s.validationReportsDir } : {}),
    logLevel: s.logLevel ?? 'info',
    ...(s.logFormat ? { logFormat: s.logFormat } : {}),
    auth: { required: authRequired, trustedIssuers },
    fhir: {
      allowlist: (s.fhirServerAllowlist ?? []).map(normalizeBaseUrl),
      timeoutMs: s.fhirTimeoutMs ?? 2000,
      maxResponseBytes: s.fhirMaxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
      maxResources: s.fhirMaxResources ?? DEFAULT_MAX_RESOURCES_PER_PATIENT,
    },
    publicUrl: s.publicUrl?.replace(/\/+$/, ''),
    adminToken: s.adminToken,
    smartAppLaunchUrl: s.smartAppLaunchUrl?.replace(/\/+$/, ''),
    frameAncestors: s.frameAncestors ?? ["'self'"],
    corsOrigins: s.corsOrigins ?? ['*'],
    rateLimit: {
      clientPerMinute: s.clientRateLimitPerMinute ?? 60_000,
      unauthenticatedPerMinute: s.unauthenticatedRateLimitPerMinute ?? 60,
    },
    trustProxy: trustProxyOf(s.trustProxy, where('trustProxy')) ?? 0,
    services,
    modelSettings,
    snoozeDays: s.snoozeDays ?? 90,
    retentionDays: s.retentionDays ?? 30,
    storeCardlessAssessments: s.storeCardlessAssessments ?? false,
    monitoringRetentionDays: s.monitoringRetentionDays ?? 90,
    defaultProfile: s.defaultProfile ?? 'generic',
    configFile,
    llm: llmConfig(s, where),
    siteModels: siteModels(s.models ?? [], env, configFile, where('models')),
  };
  return deepFreeze(config);
}

/** A calibration file's priors and likelihood ratios (rationale validate --calibration); ConfigError when bad. */
export function loadCalibrationFile(path: string): Pick<ModelSettings, 'priorCalibration' | 'lrCalibration'> {
  return readCalibration(resolve(path), undefined, 'calibration');
}

/**
 * The calibrated priors and likelihood ratios of a `rationale calibrate` file, checked; a bad file
 * fails start-up. A condition or finding the knowledge base no longer has is ignored by the differential.
 */
function readCalibration(
  path: string,
  configFile: string | undefined,
  where: string,
): Pick<ModelSettings, 'priorCalibration' | 'lrCalibration'> {
  const full = isAbsolute(path)
    ? path
    : resolve(configFile ? dirname(resolve(configFile)) : process.cwd(), path);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(full, 'utf8'));
  } catch (e) {
    return fail(
      where,
      `cannot read ${full} as JSON (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }
  const parsed = calibrationFileSchema.safeParse(data);
  if (!parsed.success) return fail(where, `${full}: ${describeIssues(parsed.error)}`);
  const lrCalibration = calibratedLikelihoodRatios(parsed.data);
  return {
    priorCalibration: calibratedPriors(parsed.data),
    ...(Object.keys(lrCalibration).length ? { lrCalibration } : {}),
  };
}

/** Site models: an OIP server's auth header is read from the variable its entry names, never a file. */
function siteModels(
  models: readonly SiteModelSpec[],
  env: Env,
  configFile: string | undefined,
  where: string,
): SiteModelConfig[] {
  const baseDir = configFile ? dirname(resolve(configFile)) : process.cwd();
  return models.map((m, i) => {
    if (m.runtime.kind !== 'oip' || !m.runtime.authHeaderEnv) return { ...m, baseDir };
    const authHeader = nonEmpty(env, m.runtime.authHeaderEnv);
    if (!authHeader)
      fail(
        where,
        `models[${i}].runtime.authHeaderEnv: ${m.runtime.authHeaderEnv} is not set in the environment`,
      );
    return { ...m, authHeader, baseDir };
  });
}

/** LLM settings: checked together here, consumed by llm/ (DESIGN.md §5). */
function llmConfig(s: ConfigFile, where: (key: SettingKey) => string): LlmConfig {
  const llm: LlmConfig = {
    baseUrl: s.llmBaseUrl?.replace(/\/+$/, ''),
    apiKey: s.llmApiKey,
    model: s.llmModel,
    azure: {
      endpoint: s.azureOpenaiEndpoint?.replace(/\/+$/, ''),
      apiKey: s.azureOpenaiApiKey,
      deployment: s.azureOpenaiDeployment,
      apiVersion: s.azureOpenaiApiVersion,
    },
    budgetMs: s.llmBudgetMs,
    deadlineMs: s.llmDeadlineMs,
    dateShiftSecret: s.llmDateShiftSecret,
  };
  const azure = llm.azure ?? {};
  if (llm.baseUrl) {
    if (!llm.model) fail(where('llmModel'), 'is required when LLM_BASE_URL is set');
    llm.endpoint = { kind: 'openai', baseUrl: llm.baseUrl, apiKey: llm.apiKey, model: llm.model };
  } else if (azure.endpoint) {
    for (const [key, value] of [
      ['azureOpenaiApiKey', azure.apiKey],
      ['azureOpenaiDeployment', azure.deployment],
      ['azureOpenaiApiVersion', azure.apiVersion],
    ] as const) {
      if (!value) fail(where(key), 'is required when AZURE_OPENAI_ENDPOINT is set');
    }
    llm.endpoint = {
      kind: 'azure',
      endpoint: azure.endpoint,
      apiKey: azure.apiKey as string,
      deployment: azure.deployment as string,
      apiVersion: azure.apiVersion as string,
    };
  } else if (llm.model) {
    fail(where('llmBaseUrl'), 'is required when LLM_MODEL is set');
  }
  if (llm.endpoint && (llm.dateShiftSecret?.length ?? 0) < 16) {
    fail(
      where('llmDateShiftSecret'),
      'must be set (at least 16 characters) when an LLM endpoint is configured',
    );
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
