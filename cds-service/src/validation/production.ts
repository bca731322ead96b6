/**
 * The production pipeline, as validation runs it: `assessPatient` and `chooseCards`, exactly as a
 * patient-view hook calls them, with the knowledge model's default settings. Built in each worker
 * thread or process.
 */
import { assessPatient, chooseCards, type AssessmentPipeline } from '../assessment';
import { renderCards } from '../cards';
import { assess } from '../model/assess';
import { DEFAULT_MODEL_SETTINGS } from '../model/settings';
import type { ReplayDeps } from './replay';

export { MODEL_PROVENANCE as productionModel } from '../model/provenance';

const PIPELINE: AssessmentPipeline = { assess, settings: DEFAULT_MODEL_SETTINGS, newId: () => 'validation' };

/** The dependencies a replay needs, wired to the production code. */
export function productionDeps(): ReplayDeps {
  return {
    assess: async (patientId, resources, now) =>
      (await assessPatient({ data: { patientId, resources }, now, hook: 'patient-view' }, PIPELINE))
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
