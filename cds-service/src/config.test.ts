import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from './errors';
import { configFileSchema, configJsonSchema, envName, loadConfig, type Config } from './config';
import { validModel } from './test-support/site-models';

const ISSUERS = JSON.stringify([{ iss: 'https://ehr.example', jwksUri: 'https://ehr.example/jwks' }]);
const base = { TRUSTED_ISSUERS: ISSUERS };

function file(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'rationale-config-')), name);
  writeFileSync(path, text);
  return path;
}

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const c = loadConfig(base);
    expect(c.port).toBe(8081);
    expect(c.dataDir).toBe('.data');
    expect(c.auth.required).toBe(true);
    expect(c.fhir.timeoutMs).toBe(2000);
    expect(c.snoozeDays).toBe(90);
    expect(c.retentionDays).toBe(30);
    expect(c.monitoringRetentionDays).toBe(90);
    expect(c.services['patient-view']).toEqual({ enabled: true, mode: 'active', cardBudget: 3 });
    expect(c.modelSettings.minSuggestedPosterior).toBe(0.6);
    expect(c.auth.trustedIssuers[0]?.profile).toBe('generic');
    expect(c.frameAncestors).toEqual(["'self'"]);
  });

  it('returns a frozen object', () => {
    const c = loadConfig(base);
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.services['patient-view'])).toBe(true);
    expect(() => {
      (c as { port: number }).port = 1;
    }).toThrow();
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ AUTH_REQUIRED: 'maybe' }, 'AUTH_REQUIRED'],
    [{ TRUSTED_ISSUERS: '[{' }, 'TRUSTED_ISSUERS'],
    [{ TRUSTED_ISSUERS: '[{"iss":"x"}]' }, 'TRUSTED_ISSUERS'],
    [{ TRUSTED_ISSUERS: '[{"iss":"x","jwksUri":"ftp://x"}]' }, 'TRUSTED_ISSUERS'],
    [{ TRUSTED_ISSUERS: '[{"iss":"x","jwksUri":"https://x/j","profile":"meditech"}]' }, 'TRUSTED_ISSUERS'],
    [{ TRUSTED_ISSUERS: '' }, 'TRUSTED_ISSUERS'],
    [{ FHIR_SERVER_ALLOWLIST: 'https://ok.example,not-a-url' }, 'FHIR_SERVER_ALLOWLIST'],
    [{ ADMIN_TOKEN: 'short' }, 'ADMIN_TOKEN'],
    [{ PUBLIC_URL: 'cds.example' }, 'PUBLIC_URL'],
    [{ FHIR_TIMEOUT_MS: '10' }, 'FHIR_TIMEOUT_MS'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ FRAME_ANCESTORS: 'https://a.example; script-src *' }, 'FRAME_ANCESTORS'],
  ])('names the variable in the error (%j)', (env, variable) => {
    expect(errorOf(() => loadConfig({ ...base, ...env }))).toMatch(new RegExp(`^${variable}: `));
  });

  it('allows no trusted issuer only when authentication is switched off', () => {
    expect(loadConfig({ AUTH_REQUIRED: 'false' }).auth.required).toBe(false);
  });

  it('reads a YAML file and lets environment variables override it', () => {
    const path = file(
      'c.yaml',
      [
        'services:',
        '  order-sign: { mode: silent, cardBudget: 1 }',
        'thresholds: { minSuggestedPosterior: 0.8, statinRiskThreshold: 0.1 }',
        'snoozeDays: 14',
        'fhirServerAllowlist: [https://from-file.example/fhir]',
        'fhirTimeoutMs: 900',
        'trustedIssuers:',
        '  - { iss: https://epic.example, jwksUri: https://epic.example/jwks, profile: epic }',
      ].join('\n'),
    );
    const c = loadConfig({ CDS_CONFIG_FILE: path, FHIR_TIMEOUT_MS: '1500' });
    expect(c.services['order-sign']).toEqual({ enabled: true, mode: 'silent', cardBudget: 1 });
    expect(c.modelSettings).toMatchObject({
      minSuggestedPosterior: 0.8,
      statinRiskThreshold: 0.1,
      labRecencyMonths: 24,
    });
    expect(c.snoozeDays).toBe(14);
    expect(c.fhir.allowlist).toEqual(['https://from-file.example/fhir']);
    expect(c.fhir.timeoutMs).toBe(1500);
    expect(c.auth.trustedIssuers[0]?.profile).toBe('epic');
    const overridden = loadConfig({
      CDS_CONFIG_FILE: path,
      TRUSTED_ISSUERS: ISSUERS,
      FHIR_SERVER_ALLOWLIST: 'https://ENV.example:443/fhir/',
    });
    expect(overridden.auth.trustedIssuers.map((i) => i.iss)).toEqual(['https://ehr.example']);
    expect(overridden.fhir.allowlist).toEqual(['https://env.example/fhir']);
  });

  it('reads a JSON file', () => {
    const path = file('c.json', JSON.stringify({ retentionDays: 7, defaultProfile: 'oracle' }));
    const c = loadConfig({ ...base, CDS_CONFIG_FILE: path });
    expect(c.retentionDays).toBe(7);
    expect(c.defaultProfile).toBe('oracle');
  });

  it('names the file path and the field for a schema error', () => {
    const path = file('bad.yaml', 'services:\n  patient-view:\n    cardBudget: -1\n');
    const message = errorOf(() => loadConfig({ ...base, CDS_CONFIG_FILE: path }));
    expect(message.startsWith(`${path}: `)).toBe(true);
    expect(message).toContain('services.patient-view.cardBudget');
  });

  it('names the file path for unknown keys, bad syntax and a missing file', () => {
    const unknown = file('u.yaml', 'snoozeDayz: 3\n');
    expect(errorOf(() => loadConfig({ ...base, CDS_CONFIG_FILE: unknown }))).toMatch(
      new RegExp(`^${unknown}: .*snoozeDayz`),
    );
    const syntax = file('s.json', '{"snoozeDays": ');
    expect(errorOf(() => loadConfig({ ...base, CDS_CONFIG_FILE: syntax }))).toMatch(
      new RegExp(`^${syntax}: not valid JSON`),
    );
    const yaml = file('s.yaml', 'services: [\n');
    expect(errorOf(() => loadConfig({ ...base, CDS_CONFIG_FILE: yaml }))).toMatch(
      new RegExp(`^${yaml}: not valid YAML`),
    );
    expect(errorOf(() => loadConfig({ ...base, CDS_CONFIG_FILE: '/nonexistent/r.yaml' }))).toMatch(
      /^\/nonexistent\/r\.yaml: cannot read/,
    );
  });

  it('accepts the example configuration file', () => {
    const c = loadConfig({}, { configFile: join(__dirname, '..', 'rationale.config.example.yaml') });
    expect(c.auth.trustedIssuers.map((i) => i.profile)).toEqual(['epic', 'oracle']);
    expect(c.services['encounter-discharge'].mode).toBe('silent');
  });

  it('parses the LLM settings for the reasoner', () => {
    const secret = { LLM_DATE_SHIFT_SECRET: 'a-long-enough-secret' };
    const c = loadConfig({
      ...base,
      ...secret,
      LLM_BASE_URL: 'http://localhost:11434/v1/',
      LLM_MODEL: 'llama3',
      LLM_API_KEY: 'k',
    });
    expect(c.llm.endpoint).toEqual({
      kind: 'openai',
      baseUrl: 'http://localhost:11434/v1',
      model: 'llama3',
      apiKey: 'k',
    });
    expect(loadConfig(base).llm.endpoint).toBeUndefined();
    expect(errorOf(() => loadConfig({ ...base, LLM_BASE_URL: 'http://x/v1' }))).toMatch(/^LLM_MODEL: /);
    expect(errorOf(() => loadConfig({ ...base, LLM_BASE_URL: 'http://x/v1', LLM_MODEL: 'm' }))).toMatch(
      /^LLM_DATE_SHIFT_SECRET: /,
    );
    expect(
      errorOf(() => loadConfig({ ...base, ...secret, AZURE_OPENAI_ENDPOINT: 'https://a.example' })),
    ).toMatch(/^AZURE_OPENAI_API_KEY: /);
    const azure = loadConfig({
      ...base,
      ...secret,
      AZURE_OPENAI_ENDPOINT: 'https://a.example',
      AZURE_OPENAI_API_KEY: 'k',
      AZURE_OPENAI_DEPLOYMENT: 'd',
      AZURE_OPENAI_API_VERSION: '2024-10-21',
    });
    expect(azure.llm.endpoint?.kind).toBe('azure');
  });
});

describe('rate limits and proxies', () => {
  it('defaults to a high limit per authenticated client, a strict one per failing address, and no proxy', () => {
    const c = loadConfig(base);
    expect(c.rateLimit).toEqual({ clientPerMinute: 60_000, unauthenticatedPerMinute: 60 });
    expect(c.trustProxy).toBe(0);
  });

  it('reads the limits from the environment, and a per-issuer limit from the issuer entry', () => {
    const issuers = JSON.stringify([
      { iss: 'https://ehr.example', jwksUri: 'https://ehr.example/jwks', rateLimitPerMinute: 9000 },
    ]);
    const c = loadConfig({
      TRUSTED_ISSUERS: issuers,
      CLIENT_RATE_LIMIT_PER_MINUTE: '12000',
      UNAUTHENTICATED_RATE_LIMIT_PER_MINUTE: '30',
    });
    expect(c.rateLimit).toEqual({ clientPerMinute: 12_000, unauthenticatedPerMinute: 30 });
    expect(c.auth.trustedIssuers[0]?.rateLimitPerMinute).toBe(9000);
  });

  it('takes TRUST_PROXY as a hop count or a list of proxy addresses', () => {
    expect(loadConfig({ ...base, TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(
      loadConfig({ ...base, TRUST_PROXY: '10.0.0.5, 10.1.0.0/16,fd00::/8,loopback' }).trustProxy,
    ).toEqual(['10.0.0.5', '10.1.0.0/16', 'fd00::/8', 'loopback']);
    expect(loadConfig({ ...base, TRUST_PROXY: 'false' }).trustProxy).toBe(0);
  });

  it('refuses TRUST_PROXY=true at start-up, saying why and what to set instead', () => {
    const message = errorOf(() => loadConfig({ ...base, TRUST_PROXY: 'true' }));
    expect(message).toMatch(/^TRUST_PROXY: "true" would believe any X-Forwarded-For/);
    expect(message).toMatch(/number of proxies/);
    expect(errorOf(() => loadConfig({ ...base, TRUST_PROXY: 'proxy.example' }))).toMatch(
      /^TRUST_PROXY: "proxy.example" is not an IP address or CIDR range/,
    );
    expect(errorOf(() => loadConfig({ ...base, TRUST_PROXY: '10.0.0.0/33' }))).toMatch(/^TRUST_PROXY: /);
    const path = file('proxy.yaml', 'trustProxy: true\n');
    expect(errorOf(() => loadConfig(base, { configFile: path }))).toMatch(/trustProxy: "true" would believe/);
    expect(
      loadConfig(base, { configFile: file('proxy.yaml', 'trustProxy: [10.0.0.5]\n') }).trustProxy,
    ).toEqual(['10.0.0.5']);
  });

  it('refuses the old per-address RATE_LIMIT_PER_MINUTE rather than ignore it', () => {
    expect(errorOf(() => loadConfig({ ...base, RATE_LIMIT_PER_MINUTE: '600' }))).toMatch(
      /^RATE_LIMIT_PER_MINUTE: is no longer read.*CLIENT_RATE_LIMIT_PER_MINUTE/,
    );
  });
});

describe('config.schema.json', () => {
  it('is current with the configuration schema (run npm run config:schema -w @rationale/cds-service)', () => {
    const committed = JSON.parse(readFileSync(join(__dirname, '..', 'config.schema.json'), 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(configJsonSchema())));
  });
});

describe('one name per setting', () => {
  const secret16 = 'a-secret-of-sixteen-or-more';
  /** For every key of the file schema: a value given by its derived variable, and where it lands. */
  const cases: Record<string, [string, (c: Config) => unknown, unknown]> = {
    port: ['9090', (c) => c.port, 9090],
    databaseUrl: ['postgres://db.example/r', (c) => c.databaseUrl, 'postgres://db.example/r'],
    dataDir: ['/var/lib/r', (c) => c.dataDir, '/var/lib/r'],
    validationReportsDir: ['/srv/validation', (c) => c.validationReportsDir, '/srv/validation'],
    logLevel: ['warn', (c) => c.logLevel, 'warn'],
    logFormat: ['json', (c) => c.logFormat, 'json'],
    authRequired: ['false', (c) => c.auth.required, false],
    adminToken: ['x'.repeat(32), (c) => c.adminToken, 'x'.repeat(32)],
    publicUrl: ['https://cds.example/', (c) => c.publicUrl, 'https://cds.example'],
    smartAppLaunchUrl: [
      'https://app.example/launch',
      (c) => c.smartAppLaunchUrl,
      'https://app.example/launch',
    ],
    services: ['{"order-sign":{"mode":"silent"}}', (c) => c.services['order-sign'].mode, 'silent'],
    thresholds: ['{"minSuggestedPosterior":0.7}', (c) => c.modelSettings.minSuggestedPosterior, 0.7],
    snoozeDays: ['7', (c) => c.snoozeDays, 7],
    retentionDays: ['5', (c) => c.retentionDays, 5],
    storeCardlessAssessments: ['true', (c) => c.storeCardlessAssessments, true],
    monitoringRetentionDays: ['120', (c) => c.monitoringRetentionDays, 120],
    defaultProfile: ['epic', (c) => c.defaultProfile, 'epic'],
    trustedIssuers: [ISSUERS, (c) => c.auth.trustedIssuers[0]?.iss, 'https://ehr.example'],
    fhirServerAllowlist: ['https://f.example/r4', (c) => c.fhir.allowlist, ['https://f.example/r4']],
    fhirTimeoutMs: ['700', (c) => c.fhir.timeoutMs, 700],
    fhirMaxResponseBytes: ['100000', (c) => c.fhir.maxResponseBytes, 100_000],
    fhirMaxResources: ['200', (c) => c.fhir.maxResources, 200],
    frameAncestors: ['https://ehr.example', (c) => c.frameAncestors, ['https://ehr.example']],
    corsOrigins: ['https://ehr.example', (c) => c.corsOrigins, ['https://ehr.example']],
    clientRateLimitPerMinute: ['100', (c) => c.rateLimit.clientPerMinute, 100],
    unauthenticatedRateLimitPerMinute: ['10', (c) => c.rateLimit.unauthenticatedPerMinute, 10],
    trustProxy: ['2', (c) => c.trustProxy, 2],
    llmBaseUrl: ['http://llm.example/v1', (c) => c.llm.baseUrl, 'http://llm.example/v1'],
    llmApiKey: ['k', (c) => c.llm.apiKey, 'k'],
    llmModel: ['m', (c) => c.llm.model, 'm'],
    azureOpenaiEndpoint: ['https://a.example', (c) => c.llm.azure?.endpoint, 'https://a.example'],
    azureOpenaiApiKey: ['k', (c) => c.llm.azure?.apiKey, 'k'],
    azureOpenaiDeployment: ['d', (c) => c.llm.azure?.deployment, 'd'],
    azureOpenaiApiVersion: ['v', (c) => c.llm.azure?.apiVersion, 'v'],
    llmBudgetMs: ['300', (c) => c.llm.budgetMs, 300],
    llmDeadlineMs: ['3000', (c) => c.llm.deadlineMs, 3000],
    llmDateShiftSecret: [secret16, (c) => c.llm.dateShiftSecret, secret16],
    calibrationFile: [
      file(
        'calibration.json',
        JSON.stringify({
          kind: 'rationale-calibration',
          version: 1,
          createdAt: '2026-01-01T00:00:00Z',
          source: { name: 'export', patients: 10 },
          strength: 1000,
          modelVersion: '1',
          priors: {
            t2d: {
              published: 0.147,
              localCases: 3,
              localPatients: 10,
              localEstimate: 0.3,
              interval: [0.1, 0.6],
              calibrated: 0.15,
            },
          },
        }),
      ),
      (c) => c.modelSettings.priorCalibration?.t2d?.calibrated,
      0.15,
    ],
    models: [JSON.stringify([validModel()]), (c) => c.siteModels.map((m) => m.id), ['t2d-risk']],
  };
  /** What some settings need beside them to be accepted. */
  const companions: Record<string, NodeJS.ProcessEnv> = {
    llmBaseUrl: { LLM_MODEL: 'm', LLM_DATE_SHIFT_SECRET: secret16 },
    llmModel: { LLM_BASE_URL: 'http://llm.example/v1', LLM_DATE_SHIFT_SECRET: secret16 },
    azureOpenaiEndpoint: {
      AZURE_OPENAI_API_KEY: 'k',
      AZURE_OPENAI_DEPLOYMENT: 'd',
      AZURE_OPENAI_API_VERSION: 'v',
      LLM_DATE_SHIFT_SECRET: secret16,
    },
  };

  it('covers every key of the configuration file', () => {
    expect(Object.keys(cases).sort()).toEqual(
      Object.keys(configFileSchema.shape)
        .filter((k) => k !== '$schema')
        .sort(),
    );
  });

  it.each(Object.entries(cases))(
    'reads %s from the variable derived from its key',
    (key, [raw, get, want]) => {
      expect(envName('fhirMaxResponseBytes')).toBe('FHIR_MAX_RESPONSE_BYTES');
      const c = loadConfig({ ...base, ...companions[key], [envName(key)]: raw });
      expect(get(c)).toEqual(want);
    },
  );

  it('refuses a variable by its old name, naming the new one', () => {
    expect(errorOf(() => loadConfig({ ...base, CDS_ADMIN_TOKEN: 'x'.repeat(32) }))).toMatch(
      /^CDS_ADMIN_TOKEN: is now ADMIN_TOKEN/,
    );
    expect(errorOf(() => loadConfig({ ASSESSMENT_RETENTION_DAYS: '3', TRUSTED_ISSUERS: ISSUERS }))).toMatch(
      /^ASSESSMENT_RETENTION_DAYS: is now RETENTION_DAYS/,
    );
  });

  it('reads secrets from the environment only, and never echoes one in an error', () => {
    const path = file('secret.yaml', `adminToken: ${'y'.repeat(40)}\n`);
    expect(errorOf(() => loadConfig(base, { configFile: path }))).toMatch(
      /adminToken is a secret; set it in the environment as ADMIN_TOKEN/,
    );
    const message = errorOf(() => loadConfig({ ...base, ADMIN_TOKEN: 'short-secret' }));
    expect(message).toMatch(/^ADMIN_TOKEN: /);
    expect(message).not.toContain('short-secret');
  });

  it('names the file and key when a merged value is wrong in the file', () => {
    const path = file('auth.yaml', 'authRequired: true\n');
    expect(errorOf(() => loadConfig({}, { configFile: path }))).toMatch(
      new RegExp(`^${path}: trustedIssuers: no trusted issuer`),
    );
    expect(errorOf(() => loadConfig({}))).toMatch(/^TRUSTED_ISSUERS: no trusted issuer/);
    const dup = file(
      'dup.yaml',
      'trustedIssuers:\n  - { iss: a, jwksUri: https://a.example/j }\n  - { iss: a, jwksUri: https://a.example/j }\n',
    );
    expect(errorOf(() => loadConfig({}, { configFile: dup }))).toMatch(
      new RegExp(`^${dup}: trustedIssuers: issuer a is listed twice`),
    );
  });
});
