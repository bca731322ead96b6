/**
 * The CapabilityStatement served at `/fhir/metadata`: resource types, interactions and search
 * parameters (fhirclient reads `rest[0].resource[].searchParam` to find a type's patient
 * parameter) and the SMART security extension (the deprecated `oauth-uris` fallback to
 * `.well-known/smart-configuration`).
 */
import type {
  CapabilityStatement,
  CapabilityStatementRestResource,
  CapabilityStatementRestResourceSearchParam,
} from '@medplum/fhirtypes';
import { searchParameters } from './definitions';

/** Resource types the sandbox serves (enough for Synthea output and the Rationale loop). */
export const SUPPORTED_RESOURCE_TYPES: readonly string[] = [
  'AllergyIntolerance',
  'Appointment',
  'CarePlan',
  'CareTeam',
  'Claim',
  'Communication',
  'Composition',
  'Condition',
  'Coverage',
  'Device',
  'DiagnosticReport',
  'DocumentReference',
  'Encounter',
  'ExplanationOfBenefit',
  'FamilyMemberHistory',
  'Flag',
  'Goal',
  'ImagingStudy',
  'Immunization',
  'Location',
  'Medication',
  'MedicationAdministration',
  'MedicationDispense',
  'MedicationRequest',
  'MedicationStatement',
  'NutritionOrder',
  'Observation',
  'Organization',
  'Patient',
  'Practitioner',
  'PractitionerRole',
  'Procedure',
  'Provenance',
  'QuestionnaireResponse',
  'RiskAssessment',
  'ServiceRequest',
  'SupplyDelivery',
  'Task',
];

const SUPPORTED = new Set(SUPPORTED_RESOURCE_TYPES);

export function isSupportedType(resourceType: string): boolean {
  return SUPPORTED.has(resourceType);
}

const SEARCH_PARAM_TYPES = new Set([
  'number',
  'date',
  'string',
  'token',
  'reference',
  'composite',
  'quantity',
  'uri',
  'special',
]);

function searchParamsOf(resourceType: string): CapabilityStatementRestResourceSearchParam[] {
  return Object.entries(searchParameters(resourceType))
    .filter(
      ([code, p]) =>
        (!code.startsWith('_') || code === '_id' || code === '_lastUpdated') &&
        !p.url?.startsWith('https://medplum.com'),
    )
    .filter(([, p]) => SEARCH_PARAM_TYPES.has(p.type ?? ''))
    .map(([code, p]) => ({
      name: code,
      ...(p.url ? { definition: p.url } : {}),
      type: p.type,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Builds the CapabilityStatement for a FHIR base and its SMART endpoints. */
export function buildCapabilityStatement(input: {
  fhirBaseUrl: string;
  authorizeUrl: string;
  tokenUrl: string;
  date: string;
}): CapabilityStatement {
  const resource: CapabilityStatementRestResource[] = SUPPORTED_RESOURCE_TYPES.map((type) => ({
    type: type as CapabilityStatementRestResource['type'],
    interaction: [
      { code: 'read' },
      { code: 'vread' },
      { code: 'history-instance' },
      { code: 'search-type' },
      { code: 'create' },
      { code: 'update' },
      { code: 'delete' },
    ],
    versioning: 'versioned',
    readHistory: true,
    updateCreate: true,
    conditionalCreate: true,
    conditionalUpdate: true,
    searchInclude: ['*'],
    searchParam: searchParamsOf(type),
  }));
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: input.date,
    publisher: 'Rationale',
    kind: 'instance',
    software: { name: 'Rationale sandbox FHIR server' },
    implementation: { description: 'Rationale offline sandbox (in-memory FHIR R4)', url: input.fhirBaseUrl },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    rest: [
      {
        mode: 'server',
        security: {
          cors: true,
          service: [
            {
              coding: [
                {
                  system: 'http://terminology.hl7.org/CodeSystem/restful-security-service',
                  code: 'SMART-on-FHIR',
                },
              ],
              text: 'OAuth2 using SMART-on-FHIR profile (see .well-known/smart-configuration)',
            },
          ],
          extension: [
            {
              url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
              extension: [
                { url: 'authorize', valueUri: input.authorizeUrl },
                { url: 'token', valueUri: input.tokenUrl },
              ],
            },
          ],
        },
        resource,
        interaction: [{ code: 'transaction' }, { code: 'batch' }],
      },
    ],
  };
}
