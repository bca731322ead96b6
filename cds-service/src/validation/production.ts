/**
 * The production pipeline, as validation runs it: `assessPatient` and `chooseCards`, exactly as a
 * patient-view hook calls them, with the knowledge model's default settings, or with a service
 * configuration's (`ValidationModel`): its site models, its thresholds and a calibration. Built in
 * each lane or worker process.
 */
import { assessPatient, chooseCards, type AssessmentPipeline } from '../assessment';
import { renderCards } from '../cards';
import type * as ConfigModule from '../config';
import type { SiteModelConfig } from '../config';
import { ConfigError } from '../errors';
import { assess } from '../model/assess';
import { DEFAULT_MODEL_SETTINGS, type ModelSettings } from '../model/settings';
import type * as OpenModule from '../site-models/open';
import type { ReplayDeps, ValidationModel } from './replay';

const PIPELINE: AssessmentPipeline = { assess, settings: DEFAULT_MODEL_SETTINGS, newId: () => 'validation' };

/** The dependencies a replay needs, wired to the production code. */
export function productionDeps(pipeline: AssessmentPipeline = PIPELINE): ReplayDeps {
  return {
    assess: async (patientId, resources, now) =>
      (await assessPatient({ data: { patientId, resources }, now, hook: 'patient-view' }, pipeline))
        .assessment,
    chartOpen: (assessment, options) => {
      let n = 0;
      return chooseCards(
        assessment,
        {
          hook: 'patient-view',
          service: { cardBudget: options.cardBudget, mode: 'active' },
          profile: 'generic',
          minSuggestedPosterior: options.minSuggestedPosterior,
          snoozedTopics: new Set(),
          newUuid: () => `validation-${++n}`,
        },
        renderCards,
      ).issued.map((r) => [r.topic, r.card.indicator]);
    },
  };
}

/**
 * A validation model as data: the settings with the calibration `ValidationModel.calibration` names
 * applied, and the configuration's site models without their secrets (an OIP server's auth header
 * is read again, from the variable its entry names, wherever the model is built). Read once on the
 * machine that runs `rationale validate`; a lane process, or a `rationale worker` on another
 * machine, builds its pipeline from it without the configuration or calibration files. An ONNX or
 * CA file is read from the same absolute path there (as `--bundles` files are).
 */
export interface ModelDefinition {
  settings: ModelSettings;
  siteModels: Array<Omit<SiteModelConfig, 'authHeader'>>;
}

/**
 * Reads the configuration and calibration files a `ValidationModel` names into a definition.
 * Throws ConfigError as the service's start-up would.
 */
export function defineValidationModel(model: ValidationModel, env: NodeJS.ProcessEnv): ModelDefinition {
  if (model.definition) return model.definition;
  // Loaded here: a thread validating the default model never loads the configuration.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { loadCalibrationFile, loadConfig } = require('../config') as typeof ConfigModule;
  const config = model.configFile
    ? loadConfig({ ...env, AUTH_REQUIRED: 'false' }, { configFile: model.configFile })
    : undefined;
  const configured = config?.modelSettings ?? DEFAULT_MODEL_SETTINGS;
  const settings: ModelSettings =
    model.calibration?.kind === 'file'
      ? { ...uncalibrated(configured), ...loadCalibrationFile(model.calibration.path) }
      : model.calibration?.kind === 'none'
        ? uncalibrated(configured)
        : configured;
  return {
    settings,
    siteModels: (config?.siteModels ?? []).map(({ authHeader: _secret, ...spec }) => spec),
  };
}

/**
 * The replay's dependencies for a service configuration: its thresholds, its site models (opened
 * here: an ONNX file loaded, an OIP server's auth header read from `env`) and the calibration
 * `model.calibration` names (the configuration's own, a file, or none), or all of these from
 * `model.definition`. Each site-model output whose `recordedValueSet` is a target condition is
 * validated against it. Throws ConfigError as the service's start-up would.
 */
export async function configuredDeps(
  model: ValidationModel,
  env: NodeJS.ProcessEnv,
): Promise<ReplayDeps & { close(): Promise<void> }> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { openSiteModels } = require('../site-models/open') as typeof OpenModule;
  const { settings, siteModels } = defineValidationModel(model, env);
  const configs: SiteModelConfig[] = siteModels.map((spec) => withAuthHeader(spec, env));
  const opened = configs.length ? await openSiteModels(configs) : undefined;
  const deps = productionDeps({
    ...PIPELINE,
    settings,
    ...(opened ? { siteModels: opened.models } : {}),
  });
  const siteModelTargets = configs.flatMap((m) =>
    m.outputs.flatMap((o) =>
      o.recordedValueSet ? [{ id: `${m.id}:${o.conditionId}`, target: o.recordedValueSet }] : [],
    ),
  );
  return {
    ...deps,
    ...(siteModelTargets.length ? { siteModelTargets } : {}),
    close: () => opened?.close() ?? Promise.resolve(),
  };
}

/** An OIP server's auth header, from the variable the entry names, read where the model runs. */
function withAuthHeader(spec: Omit<SiteModelConfig, 'authHeader'>, env: NodeJS.ProcessEnv): SiteModelConfig {
  if (spec.runtime.kind !== 'oip' || !spec.runtime.authHeaderEnv) return spec;
  const authHeader = env[spec.runtime.authHeaderEnv];
  if (!authHeader)
    throw new ConfigError(
      `models ${spec.id}: runtime.authHeaderEnv: ${spec.runtime.authHeaderEnv} is not set in the environment`,
    );
  return { ...spec, authHeader };
}

function uncalibrated(settings: ModelSettings): ModelSettings {
  const { priorCalibration: _prior, lrCalibration: _lr, ...rest } = settings;
  return rest;
}
