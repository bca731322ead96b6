/**
 * Sandbox configuration: parsed once from the environment with zod in `main.ts`, frozen, and
 * passed down. A bad value fails at start-up with a message naming the variable.
 */
import { z } from 'zod';

export type ScopeDowngrade = 'none' | 'read-only';

export interface RegisteredApp {
  clientId: string;
  /** `public`: a browser app with PKCE and no secret; `service`: tokens minted in-process only. */
  type: 'public' | 'service';
  launchUrl?: string;
  redirectUris: string[];
}

export interface SandboxConfig {
  port: number;
  /** Absolute base URL without a trailing slash, e.g. http://localhost:8080. */
  baseUrl: string;
  /** `{baseUrl}/fhir`. */
  fhirBaseUrl: string;
  /** The SMART app the EHR launches from card links (`rationale-app`). */
  app: RegisteredApp & { launchUrl: string };
  /** The CDS service's client (`fhirAuthorization.subject`). */
  cdsClient: RegisteredApp;
  /** Reference date the synthetic patients' histories end on (ISO date). */
  referenceDate: string;
  /** Seed of the synthetic patient generator. */
  patientSeed: number;
  /** Folder of FHIR bundles loaded at start, in addition to the synthetic patients. */
  importDir?: string;
  /** Grant fewer scopes than requested: `read-only` drops create/update/delete rights. */
  scopeDowngrade: ScopeDowngrade;
  /** Access-token lifetime in seconds (SMART: at most one hour). */
  accessTokenTtlSeconds: number;
  /** Authorization-code lifetime in seconds (SMART: about one minute). */
  codeTtlSeconds: number;
  /** EHR launch-handle lifetime in seconds. */
  launchTtlSeconds: number;
  /** Folder of the EHR page's Vite build, served at `/` when present. */
  webDistDir: string;
}

export const APP_CLIENT_ID = 'rationale-app';
export const CDS_CLIENT_ID = 'rationale-cds';
const DEFAULT_LAUNCH_URL = 'http://127.0.0.1:8081/app/launch.html';
const DEFAULT_REDIRECT_URIS = ['http://127.0.0.1:8081/app/', 'http://localhost:8081/app/'];

const absoluteUrl = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL')
  .refine((u) => !u.includes('#'), 'must not contain a fragment');

const envSchema = z.object({
  SANDBOX_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  SANDBOX_BASE_URL: absoluteUrl.optional(),
  SANDBOX_APP_LAUNCH_URL: absoluteUrl.default(DEFAULT_LAUNCH_URL),
  SANDBOX_APP_REDIRECT_URIS: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return DEFAULT_REDIRECT_URIS;
      const list = v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      for (const uri of list) {
        if (!absoluteUrl.safeParse(uri).success) {
          ctx.addIssue({ code: 'custom', message: `not an absolute http(s) URL without a fragment: ${uri}` });
        }
      }
      return list;
    }),
  SANDBOX_REFERENCE_DATE: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD')
    .optional(),
  SANDBOX_PATIENT_SEED: z.coerce.number().int().nonnegative().default(20240601),
  SANDBOX_IMPORT_DIR: z.string().min(1).optional(),
  SANDBOX_SCOPE_DOWNGRADE: z.enum(['none', 'read-only']).default('none'),
  SANDBOX_ACCESS_TOKEN_TTL: z.coerce.number().int().min(60).max(3600).default(3600),
  SANDBOX_CODE_TTL: z.coerce.number().int().min(5).max(600).default(60),
  SANDBOX_LAUNCH_TTL: z.coerce.number().int().min(5).max(3600).default(300),
  SANDBOX_WEB_DIST: z.string().min(1).optional(),
});

export class ConfigError extends Error {}

/**
 * Parses the sandbox configuration from an environment. Throws a ConfigError naming each bad
 * variable. `today` sets the default reference date (the synthetic histories end on it).
 */
export function loadConfig(
  env: Record<string, string | undefined>,
  options: { today?: Date; defaultWebDistDir?: string } = {},
): Readonly<SandboxConfig> {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new ConfigError(`invalid sandbox configuration:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  const baseUrl = (e.SANDBOX_BASE_URL ?? `http://localhost:${e.SANDBOX_PORT}`).replace(/\/+$/, '');
  const today = options.today ?? new Date();
  return createConfig({
    port: e.SANDBOX_PORT,
    baseUrl,
    appLaunchUrl: e.SANDBOX_APP_LAUNCH_URL,
    appRedirectUris: e.SANDBOX_APP_REDIRECT_URIS,
    referenceDate: e.SANDBOX_REFERENCE_DATE ?? today.toISOString().slice(0, 10),
    patientSeed: e.SANDBOX_PATIENT_SEED,
    importDir: e.SANDBOX_IMPORT_DIR,
    scopeDowngrade: e.SANDBOX_SCOPE_DOWNGRADE,
    accessTokenTtlSeconds: e.SANDBOX_ACCESS_TOKEN_TTL,
    codeTtlSeconds: e.SANDBOX_CODE_TTL,
    launchTtlSeconds: e.SANDBOX_LAUNCH_TTL,
    webDistDir: e.SANDBOX_WEB_DIST ?? options.defaultWebDistDir ?? 'web/dist',
  });
}

export interface ConfigInput {
  port?: number;
  baseUrl?: string;
  appLaunchUrl?: string;
  appRedirectUris?: string[];
  referenceDate?: string;
  patientSeed?: number;
  importDir?: string;
  scopeDowngrade?: ScopeDowngrade;
  accessTokenTtlSeconds?: number;
  codeTtlSeconds?: number;
  launchTtlSeconds?: number;
  webDistDir?: string;
}

/** Builds a frozen config from explicit values with the documented defaults (tests use this). */
export function createConfig(input: ConfigInput = {}): Readonly<SandboxConfig> {
  const port = input.port ?? 8080;
  const baseUrl = (input.baseUrl ?? `http://localhost:${port}`).replace(/\/+$/, '');
  const config: SandboxConfig = {
    port,
    baseUrl,
    fhirBaseUrl: `${baseUrl}/fhir`,
    app: {
      clientId: APP_CLIENT_ID,
      type: 'public',
      launchUrl: input.appLaunchUrl ?? DEFAULT_LAUNCH_URL,
      redirectUris: input.appRedirectUris ?? DEFAULT_REDIRECT_URIS,
    },
    cdsClient: { clientId: CDS_CLIENT_ID, type: 'service', redirectUris: [] },
    referenceDate: input.referenceDate ?? '2025-06-01',
    patientSeed: input.patientSeed ?? 20240601,
    importDir: input.importDir,
    scopeDowngrade: input.scopeDowngrade ?? 'none',
    accessTokenTtlSeconds: input.accessTokenTtlSeconds ?? 3600,
    codeTtlSeconds: input.codeTtlSeconds ?? 60,
    launchTtlSeconds: input.launchTtlSeconds ?? 300,
    webDistDir: input.webDistDir ?? 'web/dist',
  };
  return Object.freeze(config);
}
