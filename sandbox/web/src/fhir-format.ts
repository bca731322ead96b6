/** Display helpers for FHIR R4 data in the chart. */
import type { Resource } from './api';

interface CodeableConcept {
  text?: string;
  coding?: Array<{ system?: string; code?: string; display?: string }>;
}

export function conceptText(concept: CodeableConcept | undefined): string {
  if (!concept) return '—';
  return concept.text ?? concept.coding?.find((c) => c.display)?.display ?? concept.coding?.[0]?.code ?? '—';
}

export function firstCode(concept: CodeableConcept | undefined): string | undefined {
  const coding = concept?.coding?.[0];
  return coding?.code ? `${systemName(coding.system)} ${coding.code}` : undefined;
}

function systemName(system: string | undefined): string {
  if (!system) return '';
  if (system.includes('loinc')) return 'LOINC';
  if (system.includes('snomed')) return 'SNOMED';
  if (system.includes('rxnorm')) return 'RxNorm';
  if (system.includes('icd-10')) return 'ICD-10-CM';
  return system.replace(/^https?:\/\//, '');
}

export function formatDate(value: string | undefined): string {
  if (!value) return '—';
  return value.slice(0, 10);
}

export function ageFrom(birthDate: string | undefined, now = new Date()): string {
  if (!birthDate) return '';
  const born = new Date(birthDate);
  let age = now.getUTCFullYear() - born.getUTCFullYear();
  const beforeBirthday =
    now.getUTCMonth() < born.getUTCMonth() ||
    (now.getUTCMonth() === born.getUTCMonth() && now.getUTCDate() < born.getUTCDate());
  if (beforeBirthday) age -= 1;
  return `${age} y`;
}

interface ObservationLike {
  code?: CodeableConcept;
  valueQuantity?: { value?: number; unit?: string; code?: string };
  valueCodeableConcept?: CodeableConcept;
  valueString?: string;
  component?: Array<{ code?: CodeableConcept; valueQuantity?: { value?: number; unit?: string } }>;
  effectiveDateTime?: string;
  effectivePeriod?: { start?: string };
  issued?: string;
  interpretation?: CodeableConcept[];
  referenceRange?: Array<{ low?: { value?: number }; high?: { value?: number }; text?: string }>;
}

export function observationValue(resource: Resource): string {
  const o = resource as unknown as ObservationLike;
  if (o.valueQuantity)
    return `${o.valueQuantity.value ?? ''} ${o.valueQuantity.unit ?? o.valueQuantity.code ?? ''}`.trim();
  if (o.valueCodeableConcept) return conceptText(o.valueCodeableConcept);
  if (o.valueString) return o.valueString;
  if (o.component?.length) {
    return o.component
      .map((c) => `${c.valueQuantity?.value ?? '?'}`)
      .join('/')
      .concat(` ${o.component[0]?.valueQuantity?.unit ?? ''}`)
      .trim();
  }
  return '—';
}

export function observationDate(resource: Resource): string | undefined {
  const o = resource as unknown as ObservationLike;
  return o.effectiveDateTime ?? o.effectivePeriod?.start ?? o.issued;
}

export function observationFlag(resource: Resource): string {
  const o = resource as unknown as ObservationLike;
  const code = o.interpretation?.[0]?.coding?.[0]?.code;
  return code && code !== 'N' ? code : '';
}

export function observationRange(resource: Resource): string {
  const range = (resource as unknown as ObservationLike).referenceRange?.[0];
  if (!range) return '';
  if (range.text) return range.text;
  const low = range.low?.value;
  const high = range.high?.value;
  if (low !== undefined && high !== undefined) return `${low}–${high}`;
  if (low !== undefined) return `≥ ${low}`;
  if (high !== undefined) return `≤ ${high}`;
  return '';
}

export function observationName(resource: Resource): string {
  return conceptText((resource as unknown as ObservationLike).code);
}

/** The fields of chart resources the page displays; FHIR JSON read loosely, every field optional. */
export interface ChartResource {
  id?: string;
  resourceType: string;
  code?: CodeableConcept;
  clinicalStatus?: CodeableConcept;
  status?: string;
  onsetDateTime?: string;
  recordedDate?: string;
  medicationCodeableConcept?: CodeableConcept;
  medicationReference?: { display?: string };
  dosageInstruction?: Array<{ text?: string }>;
  dosage?: Array<{ text?: string }>;
  authoredOn?: string;
  effectiveDateTime?: string;
  dateAsserted?: string;
  criticality?: string;
  reaction?: Array<{ manifestation?: CodeableConcept[] }>;
  gender?: string;
  birthDate?: string;
  identifier?: Array<{ value?: string }>;
}

export function asChartResource(resource: Resource): ChartResource {
  return resource as unknown as ChartResource;
}

export function medicationText(resource: Resource): string {
  const m = asChartResource(resource);
  const text = conceptText(m.medicationCodeableConcept);
  return text !== '—' ? text : (m.medicationReference?.display ?? '—');
}
