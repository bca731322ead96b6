/**
 * Reads FHIR R4 resources liberally and judges them strictly, before the model sees them (issue 18;
 * the robustness principle Epic and Oracle integrators expect). The model is pure and typed: it
 * trusts that `coding` is an array of Codings, `valueQuantity.value` a finite number, a date a
 * string. Prefetch and draft orders come from outside, so every element the model reads is checked
 * against its R4 datatype here:
 * - a single value where R4 has an array (`category: {…}`, `doseAndRate: {…}`) is read as a
 *   one-item array, an array where R4 has a single value as its first item, and `null`s are absent;
 * - an element that breaks its datatype (`text: 5`, `value: "6.1"`) is ignored, with a data-quality
 *   issue naming it, and the resource is read for what it has;
 * - a resource whose essential element (an Observation's code, a MedicationRequest's medication)
 *   cannot be read is skipped, with a data-quality issue;
 * - elements the model does not read are left as sent, however odd.
 * Nothing here throws for any JSON input: the whole hook is never refused for one resource. Values
 * are copied only where something is repaired, so a well-formed record is returned as is.
 */
import type { DataQualityIssue, PatientRecord, Resource } from '@rationale/shared-types';

type Primitive = 'string' | 'number' | 'boolean';
/** An element's datatype: a primitive, a complex type, or an array (0..*) of either. */
type Spec = Primitive | Complex | readonly [Primitive | Complex];
interface Complex {
  readonly fields: Readonly<Record<string, Spec>>;
  /** Elements without which the whole value is unreadable (a Quantity without its number). */
  readonly essential?: readonly string[];
  /** Unreadable when repair leaves none of its elements (a CodeableConcept with no usable part). */
  readonly needsContent?: boolean;
}

const str: Primitive = 'string';
const num: Primitive = 'number';
const bool: Primitive = 'boolean';

const coding: Complex = {
  fields: { system: str, version: str, code: str, display: str, userSelected: bool },
  essential: ['system', 'code'],
};
const concept: Complex = { fields: { coding: [coding], text: str }, needsContent: true };
const quantity: Complex = {
  fields: { value: num, comparator: str, unit: str, system: str, code: str },
  essential: ['value'],
};
const range: Complex = { fields: { low: quantity, high: quantity } };
const ratio: Complex = { fields: { numerator: quantity, denominator: quantity } };
const period: Complex = { fields: { start: str, end: str } };
const identifier: Complex = { fields: { system: str, value: str } };
const reference: Complex = { fields: { reference: str, display: str, type: str, identifier } };
const annotation: Complex = { fields: { text: str } };
const innerExtension: Complex = {
  fields: { url: str, valueCoding: coding, valueString: str, valueCode: str, valueBoolean: bool },
};
const extension: Complex = {
  fields: { ...innerExtension.fields, extension: [innerExtension] },
};
const timing: Complex = {
  fields: {
    code: concept,
    event: [str],
    repeat: {
      fields: {
        frequency: num,
        frequencyMax: num,
        period: num,
        periodMax: num,
        periodUnit: str,
        timeOfDay: [str],
        boundsPeriod: period,
      },
    },
  },
};
const dosage: Complex = {
  fields: {
    text: str,
    timing,
    asNeededBoolean: bool,
    route: concept,
    doseAndRate: [
      { fields: { type: concept, doseQuantity: quantity, doseRange: range, rateQuantity: quantity } },
    ],
    maxDosePerPeriod: ratio,
    maxDosePerAdministration: quantity,
  },
};
const observationValue: Readonly<Record<string, Spec>> = {
  valueQuantity: quantity,
  valueCodeableConcept: concept,
  valueString: str,
  valueBoolean: bool,
  valueInteger: num,
  valueRange: range,
  valueRatio: ratio,
  valueDateTime: str,
};

/** The common elements of every resource the model reads. */
const RESOURCE: Readonly<Record<string, Spec>> = {
  resourceType: str,
  id: str,
  subject: reference,
  patient: reference,
  note: [annotation],
};

interface ResourceSpec extends Complex {
  /** One of these must be readable, or the resource is skipped (say, a medication[x]). */
  readonly anyOf?: readonly string[];
}

/** The elements the model reads, per resource type (FHIR R4 datatypes and cardinalities). */
const RESOURCES: Readonly<Record<string, ResourceSpec>> = {
  Patient: {
    fields: {
      ...RESOURCE,
      birthDate: str,
      gender: str,
      deceasedBoolean: bool,
      deceasedDateTime: str,
      extension: [extension],
      identifier: [identifier],
    },
  },
  Condition: {
    fields: {
      ...RESOURCE,
      clinicalStatus: concept,
      verificationStatus: concept,
      category: [concept],
      severity: concept,
      code: concept,
      onsetDateTime: str,
      onsetPeriod: period,
      abatementDateTime: str,
      abatementPeriod: period,
      abatementString: str,
      recordedDate: str,
    },
    essential: ['code'],
  },
  Observation: {
    fields: {
      ...RESOURCE,
      status: str,
      category: [concept],
      code: concept,
      effectiveDateTime: str,
      effectivePeriod: period,
      effectiveInstant: str,
      issued: str,
      ...observationValue,
      dataAbsentReason: concept,
      interpretation: [concept],
      referenceRange: [{ fields: { low: quantity, high: quantity, text: str } }],
      component: [
        {
          fields: {
            code: concept,
            ...observationValue,
            dataAbsentReason: concept,
            interpretation: [concept],
          },
          essential: ['code'],
        },
      ],
    },
    essential: ['code'],
  },
  MedicationRequest: {
    fields: {
      ...RESOURCE,
      status: str,
      intent: str,
      doNotPerform: bool,
      statusReason: concept,
      category: [concept],
      medicationCodeableConcept: concept,
      medicationReference: reference,
      authoredOn: str,
      requester: reference,
      performer: reference,
      reasonCode: [concept],
      dosageInstruction: [dosage],
    },
    anyOf: ['medicationCodeableConcept', 'medicationReference'],
  },
  MedicationStatement: {
    fields: {
      ...RESOURCE,
      status: str,
      statusReason: [concept],
      category: concept,
      medicationCodeableConcept: concept,
      medicationReference: reference,
      effectiveDateTime: str,
      effectivePeriod: period,
      dateAsserted: str,
      reasonCode: [concept],
      dosage: [dosage],
    },
    anyOf: ['medicationCodeableConcept', 'medicationReference'],
  },
  Medication: {
    fields: {
      ...RESOURCE,
      code: concept,
      status: str,
      form: concept,
      amount: ratio,
      ingredient: [{ fields: { itemCodeableConcept: concept, itemReference: reference, strength: ratio } }],
    },
  },
  AllergyIntolerance: {
    fields: {
      ...RESOURCE,
      clinicalStatus: concept,
      verificationStatus: concept,
      type: str,
      category: [str],
      criticality: str,
      code: concept,
      onsetDateTime: str,
      recordedDate: str,
      lastOccurrence: str,
      reaction: [
        {
          fields: { substance: concept, manifestation: [concept], severity: str, onset: str },
        },
      ],
    },
    essential: ['code'],
  },
  Encounter: {
    fields: {
      ...RESOURCE,
      status: str,
      class: coding,
      type: [concept],
      serviceType: concept,
      period,
      reasonCode: [concept],
      hospitalization: { fields: { dischargeDisposition: concept } },
    },
  },
  Procedure: {
    fields: {
      ...RESOURCE,
      status: str,
      category: concept,
      code: concept,
      performedDateTime: str,
      performedPeriod: period,
      reasonCode: [concept],
    },
    essential: ['code'],
  },
  ServiceRequest: {
    fields: {
      ...RESOURCE,
      status: str,
      intent: str,
      category: [concept],
      code: concept,
      authoredOn: str,
      occurrenceDateTime: str,
      reasonCode: [concept],
      doNotPerform: bool,
    },
  },
  CarePlan: {
    fields: {
      ...RESOURCE,
      status: str,
      intent: str,
      category: [concept],
      period,
      created: str,
      activity: [{ fields: { detail: { fields: { code: concept, status: str } } } }],
    },
  },
};

const DROP = Symbol('unreadable');
type Read = unknown;

/** Where the reader is, as a stack: turned into text only when something is wrong. */
interface Cursor {
  label: string;
  parts: (string | number)[];
  issues: DataQualityIssue[];
}

function where(at: Cursor): string {
  let out = at.label;
  for (const p of at.parts) out += typeof p === 'number' ? `[${p}]` : `.${p}`;
  return out;
}

function ignored(at: Cursor, problem: string): typeof DROP {
  at.issues.push({ kind: 'element-ignored', where: where(at), problem });
  return DROP;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === 'object' && !Array.isArray(v);

/** `value` read as `spec`: itself when well formed, a repaired copy, undefined (absent) or DROP. */
function read(value: unknown, spec: Spec, at: Cursor): Read {
  if (value === null || value === undefined) return undefined;
  if (typeof spec === 'string') return readPrimitive(value, spec, at);
  if (Array.isArray(spec)) return readArray(value, spec[0] as Primitive | Complex, at);
  return readComplex(value, spec as Complex, at);
}

function readPrimitive(value: unknown, spec: Primitive, at: Cursor): Read {
  if (spec === 'number') {
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    return ignored(at, 'must be a number');
  }
  if (typeof value === spec) return value;
  if (Array.isArray(value) && value.length === 1 && typeof value[0] === spec) return value[0] as unknown;
  return ignored(at, `must be a ${spec}`);
}

function readArray(value: unknown, item: Primitive | Complex, at: Cursor): Read {
  if (!Array.isArray(value)) {
    // One value where R4 has an array (the cds-hooks sandbox's `category: {…}`): a one-item array.
    const one = read(value, item, at);
    return one === DROP || one === undefined ? one : [one];
  }
  let out: unknown[] | undefined;
  for (let i = 0; i < value.length; i++) {
    const v: unknown = value[i];
    at.parts.push(i);
    const r = read(v, item, at);
    at.parts.pop();
    if (r === v && out === undefined) continue;
    out ??= value.slice(0, i);
    if (r !== DROP && r !== undefined) out.push(r);
  }
  return out ?? value;
}

function readComplex(value: unknown, spec: Complex, at: Cursor): Read {
  // An array where R4 has one value (STU3's `performer: [...]`): its first item.
  const node: unknown = Array.isArray(value) ? value.find((v) => v !== null && v !== undefined) : value;
  if (node === undefined) return undefined;
  if (!isObject(node)) return ignored(at, 'must be a JSON object');
  let out: Record<string, unknown> | undefined = node === value ? undefined : { ...node };
  const issuesBefore = at.issues.length;
  for (const key in spec.fields) {
    if (!Object.hasOwn(node, key)) continue;
    const v = node[key];
    at.parts.push(key);
    const r = read(v, spec.fields[key] as Spec, at);
    at.parts.pop();
    if (r === v) continue;
    if (r === DROP && spec.essential?.includes(key)) return DROP;
    out ??= { ...node };
    if (r === DROP || r === undefined) delete out[key];
    else out[key] = r;
  }
  // Only what was lost to a malformed element makes it unreadable; nulls are mere absence.
  if (out && spec.needsContent && at.issues.length > issuesBefore && !hasContent(out, spec)) return DROP;
  return out ?? node;
}

function hasContent(node: Record<string, unknown>, spec: Complex): boolean {
  for (const key in spec.fields) {
    const v = node[key];
    if (v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0)) return true;
  }
  return false;
}

/** Issues listed per record at most; the rest are counted in one closing entry. */
export const MAX_ISSUES = 20;

export interface ReadResult<T> {
  /** Only the resources the model can read, repaired where R4 allows (copies; inputs untouched). */
  resources: T[];
  issues: DataQualityIssue[];
}

/**
 * Reads `resources` as the model needs them: each is returned as is when well formed, repaired
 * when an element it does not need breaks its datatype, and skipped (with a `resource-skipped`
 * issue) when what it is about cannot be read. Never throws.
 */
export function readResources<T = Resource>(resources: readonly unknown[]): ReadResult<T> {
  const out: T[] = [];
  const issues: DataQualityIssue[] = [];
  for (const resource of resources) {
    const r = readResource(resource, issues);
    if (r !== undefined) out.push(r as T);
  }
  return { resources: out, issues };
}

function label(r: Record<string, unknown>): string {
  const type = typeof r.resourceType === 'string' ? r.resourceType : 'Resource';
  return `${type}/${typeof r.id === 'string' ? r.id : '?'}`;
}

function readResource(resource: unknown, issues: DataQualityIssue[], nested = false): unknown {
  if (resource === null || resource === undefined) return undefined;
  if (!isObject(resource) || typeof resource.resourceType !== 'string') {
    issues.push({ kind: 'resource-skipped', where: '(resource)', problem: 'must be a FHIR resource' });
    return undefined;
  }
  const contained = nested ? resource.contained : readContained(resource.contained, issues);
  const spec = RESOURCES[resource.resourceType];
  if (!spec) return withContained(resource, resource, contained);
  const at: Cursor = { label: label(resource), parts: [], issues: [] };
  const r = readComplex(resource, spec, at);
  if (r === DROP) {
    issues.push({ kind: 'resource-skipped', where: at.label, problem: firstProblem(at) ?? 'unreadable' });
    return undefined;
  }
  const read = r as Record<string, unknown>;
  if (spec.anyOf && !spec.anyOf.some((k) => read[k] !== undefined)) {
    const problem = firstProblem(at) ?? `has no ${spec.anyOf.join(' or ')}`;
    issues.push({ kind: 'resource-skipped', where: at.label, problem });
    return undefined;
  }
  issues.push(...at.issues);
  return withContained(read, resource, contained);
}

/** `read` with the resource's contained resources as read, when reading changed them. */
function withContained(
  read: Record<string, unknown>,
  resource: Record<string, unknown>,
  contained: unknown,
): Record<string, unknown> {
  return contained === resource.contained ? read : { ...read, contained };
}

/** The first issue found in a resource, without the resource's own label. */
function firstProblem(at: Cursor): string | undefined {
  const first = at.issues[0];
  return first ? `${first.where.slice(at.label.length + 1)} ${first.problem}` : undefined;
}

/**
 * Contained resources (a MedicationRequest's Medication), read one level deep: R4 forbids
 * contained resources inside contained ones, and a deeper nest is no reason to recurse.
 */
function readContained(contained: unknown, issues: DataQualityIssue[]): unknown {
  if (contained === undefined) return undefined;
  if (contained === null) return undefined;
  const list: unknown[] = Array.isArray(contained) ? contained : [contained];
  let changed = list !== contained;
  const out: unknown[] = [];
  for (const item of list) {
    const r = readResource(item, issues, true);
    if (r !== item) changed = true;
    if (r !== undefined) out.push(r);
  }
  return changed ? out : contained;
}

/** The first MAX_ISSUES issues, then one entry counting the rest. */
export function capIssues(issues: readonly DataQualityIssue[]): DataQualityIssue[] {
  if (issues.length <= MAX_ISSUES) return [...issues];
  return [
    ...issues.slice(0, MAX_ISSUES),
    {
      kind: 'element-ignored',
      where: '(record)',
      problem: `${issues.length - MAX_ISSUES} more data-quality issues not listed`,
    },
  ];
}

/**
 * The record the model reads, every list read by `readResources` (the Patient repaired but never
 * skipped: the hook is about that patient), with the data-quality issues found. Never throws.
 */
export function readPatientRecord(record: PatientRecord): {
  record: PatientRecord;
  issues: DataQualityIssue[];
} {
  const issues: DataQualityIssue[] = [];
  const list = <T>(items: readonly unknown[] | undefined): T[] => {
    const r = readResources<T>(Array.isArray(items) ? items : []);
    issues.push(...r.issues);
    return r.resources;
  };
  const patientAt: Cursor = {
    label: label(record.patient as unknown as Record<string, unknown>),
    parts: [],
    issues,
  };
  const patient = readComplex(record.patient, RESOURCES.Patient as Complex, patientAt);
  return {
    record: {
      ...record,
      patient: (patient === DROP
        ? { resourceType: 'Patient', id: record.patient.id }
        : patient) as PatientRecord['patient'],
      conditions: list(record.conditions),
      observations: list(record.observations),
      medicationRequests: list(record.medicationRequests),
      medicationStatements: list(record.medicationStatements),
      medications: list(record.medications),
      allergies: list(record.allergies),
      encounters: list(record.encounters),
      procedures: list(record.procedures),
      serviceRequests: list(record.serviceRequests),
      carePlans: list(record.carePlans),
      draftOrders: list(record.draftOrders),
      selections: Array.isArray(record.selections)
        ? record.selections.filter((s): s is string => typeof s === 'string')
        : [],
    },
    issues: capIssues(issues),
  };
}
