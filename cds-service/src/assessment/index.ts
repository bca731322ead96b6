/**
 * The assessment pipeline: `assessPatient` (resources → Assessment) and `chooseCards` (Assessment →
 * a hook's answer), which every adapter (hooks, app API, dry run, eval, validation) shares.
 */
export {
  assessPatient,
  type AssessFn,
  type AssessmentPipeline,
  type AssessPatientInput,
  type AssessPatientResult,
} from './assess-patient';
export {
  chooseCards,
  SOURCE_LABEL,
  type CardChoice,
  type CardChoiceOptions,
  type DroppedCard,
} from './choose-cards';
export { storeLateLlm, type LlmAdditionsSink } from './llm-step';
export { readRecord, type PatientData, type ReadRecord } from './read-record';
export { runSiteModels, type SiteModel } from './site-model-step';
