export {
  generatePatients,
  PATIENT_SCENARIOS,
  PRACTITIONER_IDS,
  ORGANIZATION_ID,
  type PatientScenario,
  type GeneratedPatients,
} from './generator';
export { COVERAGE_TAGS, type CoverageTag, type DraftOrderHint } from './scenarios';
export { importDirectory, loadBundle, type ImportResult } from './loader';
