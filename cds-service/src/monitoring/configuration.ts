/**
 * The live configuration as the monitoring page shows it (issue 20 §2): what the service is doing
 * right now — which hooks are on, which are silent, whom it trusts, where it reads and stores, which
 * model and knowledge version answer — with every secret masked. Pure: Config in, rows out.
 */
import type { Config } from '../config';

export interface ConfigurationRow {
  setting: string;
  value: string;
}

export interface LiveConfiguration {
  /** True when every enabled hook is in silent mode: cards are computed and counted, none shown. */
  silent: boolean;
  /** Hooks in silent mode. */
  silentHooks: string[];
  rows: ConfigurationRow[];
}

/** Database URLs carry a password: keep the scheme, host and database only. */
export function maskUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username) parsed.username = '***';
    if (parsed.password) parsed.password = '***';
    parsed.search = '';
    return parsed.toString();
  } catch {
    return '***';
  }
}

/** Describes the running configuration; `model` names the model, its version and knowledge-base hash. */
export function describeConfiguration(
  config: Config,
  model: { name: string; version: string; knowledgeBaseHash: string },
  llmModel: string | undefined,
): LiveConfiguration {
  const services = Object.entries(config.services);
  const enabled = services.filter(([, s]) => s.enabled);
  const silentHooks = enabled.filter(([, s]) => s.mode === 'silent').map(([hook]) => hook);
  const rows: ConfigurationRow[] = [
    { setting: 'Model', value: `${model.name} ${model.version}` },
    { setting: 'Knowledge base (SHA-256)', value: model.knowledgeBaseHash },
    { setting: 'LLM reasoner', value: llmModel ?? 'off' },
    ...services.map(([hook, s]) => ({
      setting: `Hook ${hook}`,
      value: s.enabled
        ? `${s.mode === 'silent' ? 'silent' : 'active'}, at most ${s.cardBudget} cards`
        : 'off',
    })),
    { setting: 'Hook JWTs required', value: config.auth.required ? 'yes' : 'NO (development only)' },
    {
      setting: 'Trusted issuers',
      value: config.auth.trustedIssuers.map((i) => i.iss).join(', ') || 'none',
    },
    { setting: 'FHIR server allowlist', value: config.fhir.allowlist.join(', ') || 'none' },
    { setting: 'Public URL', value: config.publicUrl ?? '(from each request)' },
    {
      setting: 'Database',
      value: config.databaseUrl
        ? `PostgreSQL ${maskUrl(config.databaseUrl)}`
        : `embedded PGlite in ${config.dataDir}`,
    },
    { setting: 'Validation reports folder', value: config.validationReportsDir ?? 'none' },
    { setting: 'EHR profile', value: config.defaultProfile },
    { setting: 'Snooze after override', value: `${config.snoozeDays} days` },
    { setting: 'Assessment retention', value: `${config.retentionDays} days` },
    {
      setting: 'Assessments of hook calls that issued no card',
      value: config.storeCardlessAssessments ? 'kept' : 'not kept (their rows only)',
    },
    {
      setting: 'Monitoring rows retention (calls; cards without feedback)',
      value: `${config.monitoringRetentionDays} days`,
    },
    { setting: 'Admin token', value: config.adminToken ? 'set (hidden)' : 'not set' },
    { setting: 'Configuration file', value: config.configFile ?? 'none' },
  ];
  return { silent: enabled.length > 0 && silentHooks.length === enabled.length, silentHooks, rows };
}
