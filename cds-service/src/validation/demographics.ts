/**
 * The groups of the fairness audit, read from the Patient resource: administrative sex, and race
 * and ethnicity from the US Core extensions (OMB categories, US Core 6.1.0,
 * https://hl7.org/fhir/us/core/STU6.1/StructureDefinition-us-core-race.html and
 * https://hl7.org/fhir/us/core/STU6.1/StructureDefinition-us-core-ethnicity.html), and age band.
 */
import type { Patient } from '@rationale/shared-types';

export interface Demographics {
  sex: string;
  race: string;
  ethnicity: string;
  ageBand: string;
}

export const AUDIT_ATTRIBUTES = ['sex', 'race', 'ethnicity', 'ageBand'] as const;
export type AuditAttribute = (typeof AUDIT_ATTRIBUTES)[number];

const RACE_URL = 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-race';
const ETHNICITY_URL = 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity';

interface Extension {
  url?: string;
  valueString?: string;
  valueCoding?: { code?: string; display?: string };
  extension?: Extension[];
}

/** OMB race and ethnicity categories by code (CDC Race & Ethnicity code system 2.16.840.1.113883.6.238). */
const OMB: Record<string, string> = {
  '1002-5': 'American Indian or Alaska Native',
  '2028-9': 'Asian',
  '2054-5': 'Black or African American',
  '2076-8': 'Native Hawaiian or Other Pacific Islander',
  '2106-3': 'White',
  '2131-1': 'Other Race',
  '2135-2': 'Hispanic or Latino',
  '2186-5': 'Not Hispanic or Latino',
};

function category(patient: Patient, url: string): string {
  const ext = ((patient as { extension?: Extension[] }).extension ?? []).find((e) => e.url === url);
  if (!ext) return 'not recorded';
  const omb = (ext.extension ?? []).filter((e) => e.url === 'ombCategory');
  // More than one OMB race category is reported as "Multiple", as the OMB tabulation does.
  if (omb.length > 1) return 'Multiple';
  const code = omb[0]?.valueCoding?.code;
  if (code) return OMB[code] ?? omb[0]?.valueCoding?.display ?? code;
  return (ext.extension ?? []).find((e) => e.url === 'text')?.valueString ?? 'not recorded';
}

/** Age bands of the audit (adult bands follow the usual 18–39, 40–64, 65–74, 75+ cut points). */
export function ageBand(birthDate: string | undefined, at: number): string {
  if (!birthDate) return 'not recorded';
  const born = Date.parse(birthDate);
  if (!Number.isFinite(born)) return 'not recorded';
  const age = (at - born) / (365.25 * 86_400_000);
  if (age < 18) return '0-17';
  if (age < 40) return '18-39';
  if (age < 65) return '40-64';
  if (age < 75) return '65-74';
  return '75+';
}

/** A patient's audit groups at instant `at`. */
export function demographicsOf(patient: Patient, at: number): Demographics {
  return {
    sex: patient.gender ?? 'not recorded',
    race: category(patient, RACE_URL),
    ethnicity: category(patient, ETHNICITY_URL),
    ageBand: ageBand(patient.birthDate, at),
  };
}
