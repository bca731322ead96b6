/**
 * What a clinician checks in a source resource, by type: the code, value, unit, date, reference
 * range and status of an Observation; the code, status and onset of a Condition; and so on. Reads
 * plain FHIR R4 JSON defensively: servers omit elements freely.
 */
import { formatDate } from './format';

export interface ResourceField {
  label: string;
  value: string;
}

export interface ResourceSummary {
  resourceType: string;
  /** The code's display (or text), used as the panel's name. */
  title: string;
  fields: ResourceField[];
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;
const arr = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** A CodeableConcept in words: its text, else the first coding's display, else system|code. */
export function conceptText(concept: unknown): string | undefined {
  if (!isObject(concept)) return undefined;
  const text = str(concept.text);
  if (text) return text;
  for (const coding of arr(concept.coding)) {
    if (isObject(coding) && str(coding.display)) return str(coding.display);
  }
  const first = arr(concept.coding)[0];
  if (isObject(first) && str(first.code)) return `${str(first.system) ?? ''}|${str(first.code)}`;
  return undefined;
}

function codings(concept: unknown): string | undefined {
  if (!isObject(concept)) return undefined;
  const list = arr(concept.coding)
    .filter(isObject)
    .map((coding) => [systemName(str(coding.system)), str(coding.code)].filter(Boolean).join(' '))
    .filter((text) => text !== '');
  return list.length > 0 ? list.join(', ') : undefined;
}

const SYSTEM_NAMES: Record<string, string> = {
  'http://loinc.org': 'LOINC',
  'http://snomed.info/sct': 'SNOMED CT',
  'http://hl7.org/fhir/sid/icd-10-cm': 'ICD-10-CM',
  'http://www.nlm.nih.gov/research/umls/rxnorm': 'RxNorm',
};

function systemName(system: string | undefined): string | undefined {
  return system ? (SYSTEM_NAMES[system] ?? system) : undefined;
}

/** A Quantity as "7.2 %"; numbers are shown as the server sent them. */
export function quantityText(quantity: unknown): string | undefined {
  if (!isObject(quantity) || typeof quantity.value !== 'number') return undefined;
  const comparator = str(quantity.comparator) ?? '';
  const unit = str(quantity.unit) ?? str(quantity.code);
  return `${comparator}${quantity.value}${unit ? ` ${unit}` : ''}`;
}

function valueText(resource: Json): string | undefined {
  const quantity = quantityText(resource.valueQuantity);
  if (quantity) return quantity;
  if (resource.valueCodeableConcept) return conceptText(resource.valueCodeableConcept);
  if (str(resource.valueString)) return str(resource.valueString);
  if (typeof resource.valueBoolean === 'boolean') return resource.valueBoolean ? 'Yes' : 'No';
  if (typeof resource.valueInteger === 'number') return String(resource.valueInteger);
  return undefined;
}

function rangeText(range: unknown): string | undefined {
  if (!isObject(range)) return undefined;
  const text = str(range.text);
  const low = quantityText(range.low);
  const high = quantityText(range.high);
  const bounds = low && high ? `${low} – ${high}` : low ? `≥ ${low}` : high ? `≤ ${high}` : undefined;
  return [bounds, text].filter(Boolean).join(' · ') || undefined;
}

function effectiveDate(resource: Json): string | undefined {
  const period = isObject(resource.effectivePeriod) ? str(resource.effectivePeriod.start) : undefined;
  return str(resource.effectiveDateTime) ?? str(resource.effectiveInstant) ?? period ?? str(resource.issued);
}

function push(fields: ResourceField[], label: string, value: string | undefined) {
  if (value) fields.push({ label, value });
}

function humanName(resource: Json): string | undefined {
  const name = arr(resource.name).find(isObject);
  if (!name) return undefined;
  if (str(name.text)) return str(name.text);
  const given = arr(name.given)
    .filter((g): g is string => typeof g === 'string')
    .join(' ');
  return [given, str(name.family)].filter(Boolean).join(' ') || undefined;
}

/** Summarizes any FHIR resource; unknown types still show their id, status and dates. */
export function summarizeResource(resource: unknown): ResourceSummary {
  if (!isObject(resource)) return { resourceType: 'Unknown', title: 'Unreadable resource', fields: [] };
  const resourceType = str(resource.resourceType) ?? 'Resource';
  const fields: ResourceField[] = [];
  let title: string | undefined;

  switch (resourceType) {
    case 'Observation': {
      title = conceptText(resource.code);
      push(fields, 'Value', valueText(resource) ?? conceptText(resource.dataAbsentReason));
      for (const component of arr(resource.component).filter(isObject)) {
        push(fields, conceptText(component.code) ?? 'Component', valueText(component));
      }
      push(fields, 'Date', effectiveDate(resource) ? formatDate(effectiveDate(resource)) : undefined);
      push(
        fields,
        'Reference range',
        arr(resource.referenceRange).map(rangeText).filter(Boolean).join('; ') || undefined,
      );
      push(
        fields,
        'Interpretation',
        arr(resource.interpretation).map(conceptText).filter(Boolean).join(', ') || undefined,
      );
      push(fields, 'Status', str(resource.status));
      push(
        fields,
        'Category',
        arr(resource.category).map(conceptText).filter(Boolean).join(', ') || undefined,
      );
      break;
    }
    case 'Condition': {
      title = conceptText(resource.code);
      push(fields, 'Clinical status', conceptText(resource.clinicalStatus));
      push(fields, 'Verification', conceptText(resource.verificationStatus));
      const onset =
        str(resource.onsetDateTime) ??
        (isObject(resource.onsetPeriod) ? str(resource.onsetPeriod.start) : undefined);
      push(fields, 'Onset', onset ? formatDate(onset) : str(resource.onsetString));
      push(
        fields,
        'Recorded',
        str(resource.recordedDate) ? formatDate(str(resource.recordedDate)) : undefined,
      );
      break;
    }
    case 'MedicationRequest': {
      title =
        conceptText(resource.medicationCodeableConcept) ??
        (isObject(resource.medicationReference) ? str(resource.medicationReference.display) : undefined);
      push(fields, 'Status', str(resource.status));
      push(fields, 'Intent', str(resource.intent));
      push(fields, 'Authored', str(resource.authoredOn) ? formatDate(str(resource.authoredOn)) : undefined);
      push(
        fields,
        'Dosage',
        arr(resource.dosageInstruction)
          .filter(isObject)
          .map((d) => str(d.text))
          .filter(Boolean)
          .join('; ') || undefined,
      );
      break;
    }
    case 'AllergyIntolerance': {
      title = conceptText(resource.code);
      push(fields, 'Clinical status', conceptText(resource.clinicalStatus));
      push(fields, 'Criticality', str(resource.criticality));
      push(
        fields,
        'Reactions',
        arr(resource.reaction)
          .filter(isObject)
          .flatMap((r) => arr(r.manifestation).map(conceptText))
          .filter(Boolean)
          .join(', ') || undefined,
      );
      push(
        fields,
        'Recorded',
        str(resource.recordedDate) ? formatDate(str(resource.recordedDate)) : undefined,
      );
      break;
    }
    case 'Patient': {
      title = humanName(resource);
      push(fields, 'Sex', str(resource.gender));
      push(fields, 'Birth date', str(resource.birthDate) ? formatDate(str(resource.birthDate)) : undefined);
      break;
    }
    case 'Encounter': {
      title =
        arr(resource.type).map(conceptText).find(Boolean) ??
        (isObject(resource.class) ? (str(resource.class.display) ?? str(resource.class.code)) : undefined);
      push(fields, 'Status', str(resource.status));
      const period = isObject(resource.period) ? resource.period : undefined;
      push(fields, 'Start', period && str(period.start) ? formatDate(str(period.start)) : undefined);
      push(fields, 'End', period && str(period.end) ? formatDate(str(period.end)) : undefined);
      break;
    }
    default: {
      title = conceptText(resource.code);
      push(fields, 'Status', str(resource.status));
    }
  }
  push(fields, 'Codes', codings(resource.code ?? resource.medicationCodeableConcept));
  push(fields, 'Resource', `${resourceType}/${str(resource.id) ?? '?'}`);
  return { resourceType, title: title ?? resourceType, fields };
}
