/**
 * Builds one synthetic patient's FHIR R4 resources: stable ids (`rat-001-obs-3`), dates counted
 * back from a reference date, realistic codes (SNOMED CT, ICD-10-CM, LOINC with UCUM units,
 * RxNorm), an ambulatory Encounter per visit day. Small value and time jitter comes from the
 * seeded PRNG, never from the clock or Math.random.
 */
import type {
  AllergyIntolerance,
  CodeableConcept,
  Coding,
  Condition,
  Encounter,
  MedicationRequest,
  Observation,
  ObservationComponent,
  Patient,
  Resource,
} from '@medplum/fhirtypes';
import type { Rng } from './prng';

export const SNOMED = 'http://snomed.info/sct';
export const ICD10 = 'http://hl7.org/fhir/sid/icd-10-cm';
export const LOINC = 'http://loinc.org';
export const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
export const UCUM = 'http://unitsofmeasure.org';
const OBS_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
const CONDITION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/condition-category';
const CLINICAL_STATUS = 'http://terminology.hl7.org/CodeSystem/condition-clinical';
const VERIFICATION = 'http://terminology.hl7.org/CodeSystem/condition-ver-status';

export interface Code {
  snomed?: [string, string];
  icd10?: [string, string];
  text: string;
}

export interface Drug {
  rxnorm: string;
  /** Ingredient name, lower case. */
  name: string;
  /** Product text, e.g. "Atorvastatin 40 mg oral tablet". */
  product: string;
  /** Dose per administration in mg (mcg/h for patches, units for insulin). */
  dose: number;
  doseUnit?: string;
  /** Administrations per day. */
  perDay: number;
  sig: string;
}

export interface LabSpec {
  loinc: string;
  display: string;
  unit: string;
  category?: 'laboratory' | 'vital-signs';
}

export class PatientBuilder {
  readonly resources: Resource[] = [];
  private seq = 0;
  private readonly encounters = new Map<string, string>();

  constructor(
    readonly id: string,
    private readonly reference: Date,
    private readonly rng: Rng,
    private readonly practitionerId: string,
    private readonly organizationId: string,
  ) {}

  private nextId(kind: string): string {
    this.seq++;
    return `${this.id}-${kind}-${this.seq}`;
  }

  private get patientRef(): { reference: string } {
    return { reference: `Patient/${this.id}` };
  }

  /**
   * A dateTime `daysAgo` days (and `hoursAgo` hours) before the reference date's midnight (UTC),
   * so every record is in the past on the reference day. Without `hoursAgo` the time of day is
   * jittered between 1 and 10 hours before midnight.
   */
  at(daysAgo: number, hoursAgo = 0): string {
    const offsetHours = hoursAgo === 0 ? this.rng.int(1, 10) : hoursAgo;
    const minutes = hoursAgo === 0 ? this.rng.int(0, 11) * 5 : 0;
    const ms = this.reference.getTime() - daysAgo * 86_400_000 - offsetHours * 3_600_000 - minutes * 60_000;
    return new Date(ms).toISOString().replace('.000Z', 'Z');
  }

  date(daysAgo: number): string {
    return this.at(daysAgo).slice(0, 10);
  }

  patient(input: {
    given: string;
    family: string;
    gender: 'male' | 'female';
    age: number;
    mrn: string;
  }): void {
    const ref = this.reference;
    const birth = new Date(Date.UTC(ref.getUTCFullYear() - input.age, ref.getUTCMonth(), ref.getUTCDate()));
    birth.setUTCDate(birth.getUTCDate() - this.rng.int(10, 340));
    const patient: Patient = {
      resourceType: 'Patient',
      id: this.id,
      meta: { tag: [{ system: 'https://rationale.example/sandbox', code: 'synthetic' }] },
      identifier: [
        {
          use: 'usual',
          type: {
            coding: [
              {
                system: 'http://terminology.hl7.org/CodeSystem/v2-0203',
                code: 'MR',
                display: 'Medical record number',
              },
            ],
          },
          system: 'https://rationale.example/sandbox/mrn',
          value: input.mrn,
        },
      ],
      active: true,
      name: [{ use: 'official', family: input.family, given: [input.given] }],
      gender: input.gender,
      birthDate: birth.toISOString().slice(0, 10),
      address: [{ use: 'home', city: 'Springfield', state: 'MA', postalCode: '01105', country: 'US' }],
      generalPractitioner: [{ reference: `Practitioner/${this.practitionerId}` }],
      managingOrganization: { reference: `Organization/${this.organizationId}` },
    };
    this.resources.push(patient);
  }

  /** The ambulatory Encounter of a visit day (one per day). */
  encounter(daysAgo: number, kind: 'AMB' | 'IMP' | 'EMER' = 'AMB', reason?: string): string {
    const day = this.date(daysAgo);
    const existing = this.encounters.get(day);
    if (existing) return existing;
    const id = this.nextId('enc');
    const start = `${day}T${kind === 'AMB' ? '13:30:00Z' : '06:00:00Z'}`;
    const display = { AMB: 'ambulatory', IMP: 'inpatient encounter', EMER: 'emergency' }[kind];
    const encounter: Encounter = {
      resourceType: 'Encounter',
      id,
      status: 'finished',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: kind, display },
      type: [
        kind === 'AMB'
          ? {
              coding: [{ system: SNOMED, code: '185349003', display: 'Encounter for check up' }],
              text: 'Office visit',
            }
          : {
              coding: [{ system: SNOMED, code: '32485007', display: 'Hospital admission' }],
              text: 'Hospital admission',
            },
      ],
      subject: this.patientRef,
      participant: [{ individual: { reference: `Practitioner/${this.practitionerId}` } }],
      period: kind === 'AMB' ? { start, end: `${day}T14:00:00Z` } : { start },
      serviceProvider: { reference: `Organization/${this.organizationId}` },
      ...(reason ? { reasonCode: [{ text: reason }] } : {}),
    };
    this.encounters.set(day, id);
    this.resources.push(encounter);
    return id;
  }

  condition(
    code: Code,
    options: {
      onsetDaysAgo?: number;
      status?: 'active' | 'resolved' | 'inactive';
      category?: 'problem-list-item' | 'encounter-diagnosis';
      verification?: 'confirmed' | 'provisional';
    } = {},
  ): string {
    const id = this.nextId('cond');
    const onset = options.onsetDaysAgo ?? 365 * 3;
    const status = options.status ?? 'active';
    const category = options.category ?? 'problem-list-item';
    const condition: Condition = {
      resourceType: 'Condition',
      id,
      clinicalStatus: { coding: [{ system: CLINICAL_STATUS, code: status }] },
      verificationStatus: { coding: [{ system: VERIFICATION, code: options.verification ?? 'confirmed' }] },
      category: [
        {
          coding: [
            {
              system: CONDITION_CATEGORY,
              code: category,
              display: category === 'problem-list-item' ? 'Problem List Item' : 'Encounter Diagnosis',
            },
          ],
        },
      ],
      code: concept(code),
      subject: this.patientRef,
      onsetDateTime: this.at(onset),
      recordedDate: this.at(onset),
      recorder: { reference: `Practitioner/${this.practitionerId}` },
      ...(status === 'resolved' ? { abatementDateTime: this.at(Math.max(0, onset - 30)) } : {}),
      ...(category === 'encounter-diagnosis'
        ? { encounter: { reference: `Encounter/${this.encounter(onset)}` } }
        : {}),
    };
    this.resources.push(condition);
    return id;
  }

  /** A coded symptom recorded at a visit (Condition, encounter-diagnosis, active). */
  symptom(code: Code, daysAgo = 1): string {
    return this.condition(code, { onsetDaysAgo: daysAgo, category: 'encounter-diagnosis' });
  }

  /** A numeric lab or vital; `jitter` adds ± that much noise (rounded to the value's decimals). */
  obs(
    spec: LabSpec,
    value: number,
    daysAgo: number,
    options: { hoursAgo?: number; jitter?: number; encounterDaysAgo?: number; inpatient?: boolean } = {},
  ): string {
    const id = this.nextId('obs');
    const decimals = (String(value).split('.')[1] ?? '').length;
    const noisy = options.jitter ? value + (this.rng.next() * 2 - 1) * options.jitter : value;
    const rounded = Number(noisy.toFixed(decimals));
    const category = spec.category ?? 'laboratory';
    const when = this.at(daysAgo, options.hoursAgo ?? 0);
    const observation: Observation = {
      resourceType: 'Observation',
      id,
      status: 'final',
      category: [
        {
          coding: [
            {
              system: OBS_CATEGORY,
              code: category,
              display: category === 'laboratory' ? 'Laboratory' : 'Vital Signs',
            },
          ],
        },
      ],
      code: { coding: [{ system: LOINC, code: spec.loinc, display: spec.display }], text: spec.display },
      subject: this.patientRef,
      encounter: {
        reference: `Encounter/${this.encounter(options.encounterDaysAgo ?? daysAgo, options.inpatient ? 'IMP' : 'AMB')}`,
      },
      effectiveDateTime: when,
      valueQuantity: { value: rounded, unit: spec.unit, system: UCUM, code: spec.unit },
    };
    this.resources.push(observation);
    return id;
  }

  /** Blood pressure panel (LOINC 85354-9) with systolic and diastolic components. */
  bp(systolic: number, diastolic: number, daysAgo: number): string {
    const id = this.nextId('obs');
    const component = (code: string, display: string, value: number): ObservationComponent => ({
      code: { coding: [{ system: LOINC, code, display }] },
      valueQuantity: { value, unit: 'mm[Hg]', system: UCUM, code: 'mm[Hg]' },
    });
    const observation: Observation = {
      resourceType: 'Observation',
      id,
      status: 'final',
      category: [{ coding: [{ system: OBS_CATEGORY, code: 'vital-signs', display: 'Vital Signs' }] }],
      code: {
        coding: [
          { system: LOINC, code: '85354-9', display: 'Blood pressure panel with all children optional' },
        ],
        text: 'Blood pressure',
      },
      subject: this.patientRef,
      encounter: { reference: `Encounter/${this.encounter(daysAgo)}` },
      effectiveDateTime: this.at(daysAgo),
      component: [
        component('8480-6', 'Systolic blood pressure', systolic),
        component('8462-4', 'Diastolic blood pressure', diastolic),
      ],
    };
    this.resources.push(observation);
    return id;
  }

  /** An Observation whose value is a code (smoking status, pregnancy status, ECG impression). */
  codedObs(
    spec: { loinc: string; display: string; category?: string },
    value: Code,
    daysAgo: number,
  ): string {
    const id = this.nextId('obs');
    const category = spec.category ?? 'survey';
    const observation: Observation = {
      resourceType: 'Observation',
      id,
      status: 'final',
      category: [{ coding: [{ system: OBS_CATEGORY, code: category }] }],
      code: { coding: [{ system: LOINC, code: spec.loinc, display: spec.display }], text: spec.display },
      subject: this.patientRef,
      encounter: { reference: `Encounter/${this.encounter(daysAgo)}` },
      effectiveDateTime: this.at(daysAgo),
      valueCodeableConcept: concept(value),
    };
    this.resources.push(observation);
    return id;
  }

  med(
    drug: Drug,
    options: {
      startedDaysAgo?: number;
      status?: MedicationRequest['status'];
      intent?: MedicationRequest['intent'];
    } = {},
  ): string {
    const id = this.nextId('med');
    const started = options.startedDaysAgo ?? 400;
    const unit = drug.doseUnit ?? 'mg';
    const request: MedicationRequest = {
      resourceType: 'MedicationRequest',
      id,
      status: options.status ?? 'active',
      intent: options.intent ?? 'order',
      category: [
        {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/medicationrequest-category',
              code: 'community',
              display: 'Community',
            },
          ],
        },
      ],
      medicationCodeableConcept: {
        coding: [{ system: RXNORM, code: drug.rxnorm, display: drug.name }],
        text: drug.product,
      },
      subject: this.patientRef,
      encounter: { reference: `Encounter/${this.encounter(started)}` },
      authoredOn: this.at(started),
      requester: { reference: `Practitioner/${this.practitionerId}` },
      dosageInstruction: [
        {
          text: drug.sig,
          timing: { repeat: { frequency: drug.perDay, period: 1, periodUnit: 'd' } },
          route: {
            coding: [
              {
                system: SNOMED,
                code: unit === 'ug/h' ? '45890007' : '26643006',
                display: unit === 'ug/h' ? 'Transdermal route' : 'Oral route',
              },
            ],
          },
          doseAndRate: [{ doseQuantity: { value: drug.dose, unit, system: UCUM, code: unit } }],
        },
      ],
    };
    this.resources.push(request);
    return id;
  }

  allergy(
    substance: { readonly coding: readonly Coding[]; readonly text: string },
    options: {
      criticality?: 'low' | 'high';
      reaction?: Code;
      category?: 'medication' | 'food';
      type?: 'allergy' | 'intolerance';
      recordedDaysAgo?: number;
    } = {},
  ): string {
    const id = this.nextId('alg');
    const allergy: AllergyIntolerance = {
      resourceType: 'AllergyIntolerance',
      id,
      clinicalStatus: {
        coding: [
          { system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' },
        ],
      },
      verificationStatus: {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification',
            code: 'confirmed',
          },
        ],
      },
      type: options.type ?? 'allergy',
      category: [options.category ?? 'medication'],
      criticality: options.criticality ?? 'high',
      code: { coding: substance.coding.map((c) => ({ ...c })), text: substance.text },
      patient: this.patientRef,
      recordedDate: this.at(options.recordedDaysAgo ?? 1500),
      recorder: { reference: `Practitioner/${this.practitionerId}` },
      ...(options.reaction ? { reaction: [{ manifestation: [concept(options.reaction)] }] } : {}),
    };
    this.resources.push(allergy);
    return id;
  }
}

/** A CodeableConcept with SNOMED and/or ICD-10-CM codings. */
export function concept(code: Code): CodeableConcept {
  const coding: Coding[] = [];
  if (code.snomed) coding.push({ system: SNOMED, code: code.snomed[0], display: code.snomed[1] });
  if (code.icd10) coding.push({ system: ICD10, code: code.icd10[0], display: code.icd10[1] });
  return { coding, text: code.text };
}
