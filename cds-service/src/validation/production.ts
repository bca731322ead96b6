/**
 * The production pipeline, as validation runs it: `assessPatient` and `chooseCards`, exactly as a
 * patient-view hook calls them, with the knowledge model's default settings, or with a service
 * configuration's (`ValidationModel`): its site models, its thresholds and a calibration. Built in
 * each worker thread or process.
 */
import { assessPatient, chooseCards, type AssessmentPipeline } from '../assessment';
import { renderCards } from '../cards';
import type * as ConfigModule from '../config';
import { assess } from '../model/assess';
import { DEFAULT_MODEL_SETTINGS, type ModelSettings } from '../model/settings';
import type * as OpenModule from '../site-models/open';
import type { ReplayDeps, ValidationModel } from './replay';

export { MODEL_PROVENANCE as productionModel } from '../model/provenance';

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
 * The replay's dependencies for a service configuration: its thresholds, its site models (opened
 * here: an ONNX file loaded, an OIP server's auth header read from `env`) and the calibration
 * `model.calibration` names (the configuration's own, a file, or none). Each site-model output
 * whose `recordedValueSet` is a target condition is validated against it. Throws ConfigError as
 * the service's start-up would.
 */
export async function configuredDeps(
  model: ValidationModel,
  env: NodeJS.ProcessEnv,
): Promise<ReplayDeps & { close(): Promise<void> }> {
  // Loaded here: a thread validating the default model never loads the configuration or the runtimes.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { loadCalibrationFile, loadConfig } = require('../config') as typeof ConfigModule;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { openSiteModels } = require('../site-models/open') as typeof OpenModule;
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
  const opened = config?.siteModels.length ? await openSiteModels(config.siteModels) : undefined;
  const deps = productionDeps({
    ...PIPELINE,
    settings,
    ...(opened ? { siteModels: opened.models } : {}),
  });
  const siteModelTargets = (config?.siteModels ?? []).flatMap((m) =>
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

function uncalibrated(settings: ModelSettings): ModelSettings {
  const { priorCalibration: _prior, lrCalibration: _lr, ...rest } = settings;
  return rest;
}
