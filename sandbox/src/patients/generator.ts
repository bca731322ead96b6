/**
 * The deterministic synthetic-patient generator: one FHIR R4 transaction Bundle per scenario
 * (PUT entries with stable ids, so loading twice changes nothing) plus one for the care team
 * (practitioners and the clinic). Same seed and reference date → identical Bundles. Names are
 * generated from syllable pools keyed by the patient id, so they stay the same whatever the seed.
 */
import type { Bundle, BundleEntry, Organization, Practitioner, Resource } from '@medplum/fhirtypes';
import { PatientBuilder } from './builder';
import { createRng, hashSeed, type Rng } from './prng';
import { SCENARIO_DEFINITIONS, type CoverageTag, type DraftOrderHint } from './scenarios';

export interface GeneratorOptions {
  /** PRNG seed: value and time jitter. */
  seed: number;
  /** The day the histories end on (ISO date, e.g. 2025-06-01): every record is before it. */
  referenceDate: string;
}

export interface PatientScenario {
  id: string;
  name: string;
  gender: 'male' | 'female';
  age: number;
  summary: string;
  expectedFindings: string[];
  coverage: CoverageTag[];
  draftOrder?: DraftOrderHint;
}

export const ORGANIZATION_ID = 'rat-org-001';
export const PRACTITIONER_IDS = ['rat-pr-001', 'rat-pr-002', 'rat-pr-003'] as const;

const GIVEN_F = [
  'Avelyn',
  'Brisa',
  'Corla',
  'Delphine',
  'Elowen',
  'Fenna',
  'Galia',
  'Hesper',
  'Ilsa',
  'Jorie',
  'Kaela',
  'Liora',
  'Mirela',
  'Noemi',
  'Odessa',
  'Perrin',
  'Quilla',
  'Rosalin',
  'Sabra',
  'Tamsin',
  'Ulla',
  'Veda',
  'Wrenna',
  'Yselle',
  'Zinnia',
];
const GIVEN_M = [
  'Alder',
  'Bastian',
  'Caspar',
  'Darian',
  'Emrys',
  'Florin',
  'Gideon',
  'Hollis',
  'Ivo',
  'Jarek',
  'Kellan',
  'Lucan',
  'Marek',
  'Niall',
  'Orrin',
  'Piers',
  'Quentin',
  'Rowan',
  'Soren',
  'Tobin',
  'Ulric',
  'Vaughn',
  'Weston',
  'Yorick',
  'Zane',
];
const FAMILY_A = [
  'Ash',
  'Bel',
  'Cor',
  'Dun',
  'El',
  'Fair',
  'Glen',
  'Hal',
  'Iver',
  'Kes',
  'Lan',
  'Mor',
  'Nor',
  'Oak',
  'Pen',
  'Rad',
  'Stan',
  'Thorn',
  'Vale',
  'Wyn',
];
const FAMILY_B = [
  'bury',
  'croft',
  'dale',
  'field',
  'ford',
  'gate',
  'holt',
  'ley',
  'mere',
  'more',
  'ridge',
  'stead',
  'ton',
  'well',
  'wick',
  'worth',
];

/** A synthetic name that depends only on the id. */
export function syntheticName(id: string, gender: 'male' | 'female'): { given: string; family: string } {
  const rng = createRng(hashSeed(id, 7));
  return {
    given: rng.pick(gender === 'female' ? GIVEN_F : GIVEN_M),
    family: rng.pick(FAMILY_A) + rng.pick(FAMILY_B),
  };
}

/** The scenario list with names: for the EHR patient list and the e2e tests. */
export const PATIENT_SCENARIOS: readonly PatientScenario[] = SCENARIO_DEFINITIONS.map((s) => {
  const { given, family } = syntheticName(s.id, s.gender);
  return {
    id: s.id,
    name: `${given} ${family}`,
    gender: s.gender,
    age: s.age,
    summary: s.summary,
    expectedFindings: s.expectedFindings,
    coverage: s.coverage,
    ...(s.draftOrder ? { draftOrder: s.draftOrder } : {}),
  };
});

function careTeam(): Resource[] {
  const organization: Organization = {
    resourceType: 'Organization',
    id: ORGANIZATION_ID,
    active: true,
    name: 'Rationale Sandbox Family Medicine',
    type: [
      {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/organization-type',
            code: 'prov',
            display: 'Healthcare Provider',
          },
        ],
      },
    ],
    address: [{ city: 'Springfield', state: 'MA', postalCode: '01105', country: 'US' }],
  };
  const specialties = ['Family medicine', 'Internal medicine', 'Cardiology'];
  const practitioners: Practitioner[] = PRACTITIONER_IDS.map((id, i) => {
    const { given, family } = syntheticName(id, i === 1 ? 'female' : 'male');
    return {
      resourceType: 'Practitioner',
      id,
      active: true,
      identifier: [{ system: 'https://rationale.example/sandbox/practitioner', value: id.toUpperCase() }],
      name: [{ use: 'official', family, given: [given], prefix: ['Dr.'] }],
      qualification: [{ code: { text: `MD, ${specialties[i] ?? 'Medicine'}` } }],
    };
  });
  return [organization, ...practitioners];
}

function transaction(resources: Resource[], rng: Rng): Bundle {
  const entry: BundleEntry[] = resources.map((resource) => ({
    fullUrl: `urn:uuid:${uuid(rng)}`,
    resource,
    request: { method: 'PUT', url: `${resource.resourceType}/${resource.id ?? ''}` },
  }));
  return { resourceType: 'Bundle', type: 'transaction', entry };
}

/** A version-4-shaped UUID from the PRNG (deterministic, unlike crypto.randomUUID). */
function uuid(rng: Rng): string {
  const hex = Array.from({ length: 32 }, () => rng.int(0, 15).toString(16));
  hex[12] = '4';
  hex[16] = ((rng.int(0, 15) & 0x3) | 0x8).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

export interface GeneratedPatients {
  /** The care team first (practitioners, organization), then one Bundle per patient. */
  careTeam: Bundle;
  patients: { id: string; bundle: Bundle }[];
}

/** Generates every scenario's Bundle. Pure: the same options give deep-equal output. */
export function generatePatients(options: GeneratorOptions): GeneratedPatients {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(options.referenceDate))
    throw new Error(`referenceDate must be YYYY-MM-DD: ${options.referenceDate}`);
  const reference = new Date(`${options.referenceDate}T00:00:00Z`);
  const team = careTeam();
  const patients = SCENARIO_DEFINITIONS.map((scenario, index) => {
    const rng = createRng(hashSeed(scenario.id, options.seed));
    const practitioner = PRACTITIONER_IDS[index % PRACTITIONER_IDS.length] ?? PRACTITIONER_IDS[0];
    const builder = new PatientBuilder(scenario.id, reference, rng, practitioner, ORGANIZATION_ID);
    const { given, family } = syntheticName(scenario.id, scenario.gender);
    builder.patient({
      given,
      family,
      gender: scenario.gender,
      age: scenario.age,
      mrn: `MRN-${scenario.id.slice(4).padStart(6, '0')}`,
    });
    scenario.build(builder);
    const referenced = team.filter((r) => r.id === practitioner || r.id === ORGANIZATION_ID);
    return { id: scenario.id, bundle: transaction([...referenced, ...builder.resources], rng) };
  });
  return { careTeam: transaction(team, createRng(hashSeed('care-team', options.seed))), patients };
}
