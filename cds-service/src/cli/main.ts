/**
 * `npx rationale …`: the informaticist's command line (issue 4 item 6).
 *
 *   rationale validate-config FILE
 *   rationale dry-run --hook patient-view --bundle FILE.json [--profile epic] [--now ISO] …
 *   rationale prefetch --ehr epic|oracle|generic
 *
 * The composition root of the CLI: it alone reads files and the environment it is handed, and turns
 * failures into messages and exit codes (0 success, 1 bad input, 2 bad usage).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { renderCards } from '../cards';
import { EHR_PROFILE_NAMES, type EhrProfileName } from '@rationale/shared-types';
import { loadConfig, SERVICE_HOOKS, type Config, type ServiceHook } from '../config';
import { ConfigError, CdsError } from '../errors';
import { SERVICES } from '../hooks/registry';
import type { AssessFn } from '../hooks/types';
import { DEFAULT_MODEL_SETTINGS } from '../model/settings';
import { dryRun, dryRunMarkdown, dryRunResponse } from './dry-run';
import { CliError } from './errors';
import type { OpenSiteModels } from '../site-models/open';
import { prefetchJson, prefetchMarkdown } from './prefetch';
import { CALIBRATE_USAGE, calibrateCommand } from './calibrate';
import { youngGenerationGrowth } from '../v8-heap';
import { VALIDATE_USAGE, validateCommand, workerCommand } from './validate';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** stderr is a terminal (progress bars are drawn only then). */
  stderrIsTty?: boolean;
}

export const USAGE = `Usage: rationale <command> [options]

Commands:
  validate-config FILE         Check a configuration file (JSON or YAML) as the service would load it
                               (environment variables still override it). Prints OK or the problem.
  dry-run                      Print the cards a patient bundle would get.
      --hook HOOK              ${SERVICE_HOOKS.join(' | ')} (default patient-view)
      --bundle FILE.json       A FHIR Bundle (or array of resources) for one patient; draft
                               MedicationRequests/ServiceRequests are the draft orders on order hooks
      --profile PROFILE        generic | epic | oracle (default: the configuration's, else generic)
      --now ISO                The assessment time (default: now)
      --patient ID             The patient, when the bundle holds several
      --budget N               Cards per call (default: the configuration's, else 3)
      --config FILE            Take budget, thresholds, profile and app URL from this configuration
      --app-launch-url URL     SMART launch URL for the card link
      --format FORMAT          markdown | json | both (default both)
  prefetch --ehr EHR           Print each service's prefetch templates: epic or oracle as tables an
                               analyst enters by hand, generic as JSON.
${VALIDATE_USAGE}${CALIBRATE_USAGE}  help                         Show this text.
`;

const PROFILES: readonly EhrProfileName[] = EHR_PROFILE_NAMES;

function oneOf<T extends string>(
  value: string | undefined,
  allowed: readonly T[],
  option: string,
): T | undefined {
  if (value === undefined) return undefined;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new CliError('usage', `${option} must be one of ${allowed.join(', ')}; got "${value}"`);
}

function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new CliError(
      'input',
      `${path}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new CliError('input', `${path}: not valid JSON (${(e as Error).message})`);
  }
}

/**
 * The model's `assess`, loaded on first use: only dry-run needs the knowledge base, so
 * validate-config and prefetch start fast and keep working whatever state the model is in.
 */
function loadAssess(): AssessFn {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberate lazy load, see above
  const model = require('../model/assess') as { assess?: AssessFn };
  if (typeof model.assess !== 'function') throw new Error('model/assess.ts does not export assess()');
  return model.assess;
}

/** The configuration for a dry run: authentication settings do not matter offline, so they are relaxed. */
function dryRunConfig(file: string, env: NodeJS.ProcessEnv): Config {
  return loadConfig({ ...env, AUTH_REQUIRED: env['AUTH_REQUIRED'] ?? 'false' }, { configFile: file });
}

function validateConfigCommand(args: string[], io: CliIo): number {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new CliError('usage', 'validate-config takes one FILE');
  try {
    const config = loadConfig(io.env, { configFile: file });
    const services = SERVICE_HOOKS.filter((h) => config.services[h].enabled)
      .map((h) => `${h} (${config.services[h].mode}, budget ${config.services[h].cardBudget})`)
      .join(', ');
    io.stdout(
      `OK ${file}\n` +
        `services: ${services || 'none enabled'}\n` +
        `minimum posterior for a suggested diagnosis: ${config.modelSettings.minSuggestedPosterior}; snooze ${config.snoozeDays} days; retention ${config.retentionDays} days\n` +
        `trusted issuers: ${config.auth.trustedIssuers.map((i) => `${i.iss} (${i.profile})`).join(', ') || 'none'}; default profile ${config.defaultProfile}\n`,
    );
    return 0;
  } catch (e) {
    if (e instanceof ConfigError) {
      io.stderr(`Invalid configuration: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

async function dryRunCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      hook: { type: 'string', default: 'patient-view' },
      bundle: { type: 'string' },
      profile: { type: 'string' },
      now: { type: 'string' },
      patient: { type: 'string' },
      budget: { type: 'string' },
      config: { type: 'string' },
      'app-launch-url': { type: 'string' },
      format: { type: 'string', default: 'both' },
    },
  });
  if (positionals.length > 0)
    throw new CliError('usage', `dry-run takes no positional argument; got "${positionals[0]}"`);
  if (!values.bundle) throw new CliError('usage', 'dry-run needs --bundle FILE.json');
  const hook = oneOf<ServiceHook>(values.hook, SERVICE_HOOKS, '--hook') ?? 'patient-view';
  const format = oneOf(values.format, ['markdown', 'json', 'both'] as const, '--format') ?? 'both';
  const now = values.now ? new Date(values.now) : new Date();
  if (Number.isNaN(now.getTime()))
    throw new CliError('usage', `--now must be an ISO 8601 date or dateTime; got "${values.now}"`);
  let budget: number | undefined;
  if (values.budget !== undefined) {
    if (!/^\d+$/.test(values.budget))
      throw new CliError('usage', `--budget must be a whole number; got "${values.budget}"`);
    budget = Number(values.budget);
  }

  let config: Config | undefined;
  if (values.config) {
    try {
      config = dryRunConfig(values.config, io.env);
    } catch (e) {
      if (e instanceof ConfigError) throw new CliError('input', `Invalid configuration: ${e.message}`);
      throw e;
    }
  }
  const profile = oneOf(values.profile, PROFILES, '--profile') ?? config?.defaultProfile ?? 'generic';
  const bundle = readJsonFile(values.bundle);
  const input = {
    hook,
    bundle,
    ...(values.patient ? { patientId: values.patient } : {}),
    profile,
    now,
    budget: budget ?? config?.services[hook].cardBudget ?? 3,
    mode: config?.services[hook].mode ?? 'active',
    modelSettings: config?.modelSettings ?? DEFAULT_MODEL_SETTINGS,
    ...((values['app-launch-url'] ?? config?.smartAppLaunchUrl)
      ? { appLaunchUrl: values['app-launch-url'] ?? config?.smartAppLaunchUrl }
      : {}),
    newUuid: randomUUID,
  };
  let result;
  // The configuration's site models run as the hook would run them.
  let siteModels: OpenSiteModels | undefined;
  try {
    // Loaded only when configured: the other commands start without the worker pool's modules.
    if (config?.siteModels.length)
      siteModels = await (await import('../site-models/open')).openSiteModels(config.siteModels);
    result = await dryRun(input, {
      assess: loadAssess(),
      renderCards,
      ...(siteModels ? { siteModels: siteModels.models } : {}),
    });
  } catch (e) {
    if (e instanceof CdsError) throw new CliError('input', `${values.bundle}: ${e.message}`);
    if (e instanceof ConfigError) throw new CliError('input', `Invalid configuration: ${e.message}`);
    throw e;
  } finally {
    await siteModels?.close();
  }
  const json = JSON.stringify(dryRunResponse(result), null, 2);
  if (format === 'json') {
    io.stdout(`${json}\n`);
  } else {
    io.stdout(`${dryRunMarkdown(result, input)}\n`);
    if (format === 'both') io.stdout(`\n## CDS Hooks response\n\n\`\`\`json\n${json}\n\`\`\`\n`);
  }
  return 0;
}

function prefetchCommand(args: string[], io: CliIo): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { ehr: { type: 'string' } },
  });
  if (positionals.length > 0)
    throw new CliError('usage', `prefetch takes no positional argument; got "${positionals[0]}"`);
  const ehr = oneOf(values.ehr, PROFILES, '--ehr');
  if (!ehr) throw new CliError('usage', 'prefetch needs --ehr epic, oracle or generic');
  io.stdout(`${ehr === 'generic' ? prefetchJson(SERVICES) : prefetchMarkdown(SERVICES, ehr)}\n`);
  return 0;
}

const COMMANDS: Record<string, (args: string[], io: CliIo) => number | Promise<number>> = {
  'validate-config': validateConfigCommand,
  'dry-run': dryRunCommand,
  prefetch: prefetchCommand,
  validate: validateCommand,
  worker: workerCommand,
  calibrate: calibrateCommand,
};

/** Runs one CLI command and resolves with the exit code. Never rejects for a usage or input problem. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    (command ? io.stdout : io.stderr)(USAGE);
    return command ? 0 : 2;
  }
  const run = COMMANDS[command];
  if (!run) {
    io.stderr(`Unknown command "${command}".\n\n${USAGE}`);
    return 2;
  }
  // `npx rationale` starts with the young generation held (bin/rationale.cjs); `validate` decides
  // for itself (cli/validate.ts), every other command computes.
  if (command !== 'validate') youngGenerationGrowth(true);
  try {
    return await run(rest, io);
  } catch (e) {
    if (e instanceof CliError) {
      io.stderr(`${e.message}\n${e.kind === 'usage' ? `\n${USAGE}` : ''}`);
      return e.exitCode;
    }
    // parseArgs reports unknown options and missing values with a TypeError carrying a code.
    if (
      e instanceof TypeError &&
      'code' in e &&
      String((e as { code: unknown }).code).startsWith('ERR_PARSE_ARGS')
    ) {
      io.stderr(`${e.message}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }
}
