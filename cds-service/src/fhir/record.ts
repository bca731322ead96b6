/**
 * Gathers the PatientRecord the model reads: prefetch first, then the EHR's FHIR server for what
 * prefetch lacks (CDS Hooks STU2 §Providing FHIR Resources, L228-282):
 * - a missing key is fetched from `fhirServer` with `fhirAuthorization`, only when the server is
 *   allowlisted, within one time budget for the whole gathering;
 * - `null`, or a search Bundle with no entries, means "no data" (no query);
 * - an OperationOutcome, or a Bundle holding an error OperationOutcome, counts as missing;
 * - a Bundle with a `next` link has its remaining pages read from the same server;
 * - a key that can be had neither way is a 412 (`fhir-unavailable`).
 * Every key of the service's prefetch is required (without medications, allergies or conditions the
 * model could recommend what is already prescribed or contraindicated, and without observations it
 * would report data gaps that are not there), except the supplementary keys a caller names: one of
 * those that can be had neither way is a data-quality issue the assessment carries, not a 412, so
 * an EHR whose hand-entered prefetch predates a key still gets its order-safety alerts.
 */
import {
  emptyRecord,
  type DataQualityIssue,
  type Medication,
  type Patient,
  type PatientRecord,
  type Resource,
} from '@rationale/shared-types';
import { CdsError } from '../errors';
import {
  bundleResources,
  FhirRequestError,
  nextLink,
  type BundleJson,
  type FhirGateway,
} from './fhir-gateway';

/** Strips a `Patient/` prefix some clients put on `patientId` (e.g. the opioid CDS examples). */
export function normalizePatientId(patientId: string): string {
  const m = /^(?:.*\/)?Patient\/([^/]+)$/.exec(patientId.trim());
  return m?.[1] ?? patientId.trim();
}

/** Replaces `{{context.x}}` tokens with root-level primitive context values, URL-encoded. */
export function resolveTemplate(template: string, context: Record<string, unknown>): string | undefined {
  let unresolved = false;
  const out = template.replace(/\{\{\s*context\.([A-Za-z0-9_]+)\s*\}\}/g, (_, field: string) => {
    const v = context[field];
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
      return encodeURIComponent(String(v));
    unresolved = true;
    return '';
  });
  return unresolved || /\{\{/.test(out) ? undefined : out;
}

export interface GatherInput {
  /** The service's prefetch templates, by key. */
  templates: Readonly<Record<string, string>>;
  prefetch?: Record<string, unknown>;
  /** The hook context, with `patientId` already normalized. */
  context: Record<string, unknown>;
  patientId: string;
  fhirServer?: string;
  accessToken?: string;
  /** Keys read when they can be had, reported as a data-quality issue when not (never a 412). */
  supplementary?: ReadonlySet<string>;
}

export interface GatherDeps {
  gateway: FhirGateway;
  /** Total budget for every FHIR request of this gathering, bodies included. */
  timeoutMs: number;
  /** Cap on the resources read for one patient (FHIR_MAX_RESOURCES); past it, keys are cut. */
  maxResources?: number;
}

/** Default cap on one patient's resources: several times what the prefetch templates ask for. */
export const DEFAULT_MAX_RESOURCES_PER_PATIENT = 5000;

/** How each key was obtained: counts for the log, never contents. */
export interface GatherReport {
  prefetched: string[];
  fetched: string[];
  empty: string[];
  /** Keys that could not be had, with the reason (no URLs, no tokens). */
  unavailable: { key: string; reason: string }[];
  /** What was read only in part (a response cut at its size cap, resources past the cap). */
  dataQuality: DataQualityIssue[];
}

export interface GatherResult {
  resources: Resource[];
  report: GatherReport;
}

/**
 * Collects the resources of every prefetch key, fetching what is missing. Throws CdsError
 * `fhir-unavailable` (412) naming the keys that could not be had.
 */
export async function gatherResources(input: GatherInput, deps: GatherDeps): Promise<GatherResult> {
  const report: GatherReport = { prefetched: [], fetched: [], empty: [], unavailable: [], dataQuality: [] };
  // The budget runs from here; its timer is made only when something must be fetched (a complete
  // prefetch, the usual case, reads nothing over the network).
  const started = performance.now();
  let signal: AbortSignal | undefined;
  const budget = () =>
    (signal ??= AbortSignal.timeout(Math.max(0, Math.ceil(deps.timeoutMs - (performance.now() - started)))));
  const prefetch = input.prefetch ?? {};
  const optionsFor = (key: string) => ({
    accessToken: input.accessToken,
    signal: budget(),
    onTruncated: () =>
      report.dataQuality.push({
        kind: 'response-truncated',
        where: `prefetch.${key}`,
        problem:
          'a FHIR response was larger than the size cap (FHIR_MAX_RESPONSE_BYTES): only the entries before the cap were read',
      }),
  });

  const fetchKey = async (key: string, template: string): Promise<Resource[]> => {
    if (!input.fhirServer) throw new FhirRequestError('not-allowlisted');
    const url = resolveTemplate(template, input.context);
    if (!url) throw new FhirRequestError('invalid-response');
    const limit = newestFirstLimit(template);
    const resources = await deps.gateway.fetchResources(input.fhirServer, url, {
      ...optionsFor(key),
      maxResources: limit,
    });
    report.fetched.push(key);
    return limit === undefined ? resources : resources.slice(0, limit);
  };

  const perKey = Object.entries(input.templates).map(async ([key, template]): Promise<Resource[]> => {
    try {
      if (!(key in prefetch) || prefetch[key] === undefined) return await fetchKey(key, template);
      const value = prefetch[key];
      if (value === null) {
        report.empty.push(key);
        return [];
      }
      // An OperationOutcome in place of data reports an error: treat the key as missing.
      if (!isResourceJson(value) || value.resourceType === 'OperationOutcome')
        return await fetchKey(key, template);
      if (value.resourceType !== 'Bundle') {
        report.prefetched.push(key);
        return [value];
      }
      const bundle = value as BundleJson;
      let first: Resource[];
      try {
        first = bundleResources(bundle);
      } catch {
        return await fetchKey(key, template); // a Bundle carrying an error OperationOutcome
      }
      const limit = newestFirstLimit(template);
      if (limit !== undefined && first.length >= limit) {
        // The newest N the template asks for are all here: later pages are older history.
        report.prefetched.push(key);
        return first.slice(0, limit);
      }
      if (nextLink(bundle)) {
        if (!input.fhirServer) throw new FhirRequestError('not-allowlisted');
        const rest = await deps.gateway.fetchRemainingPages(input.fhirServer, bundle, {
          ...optionsFor(key),
          maxResources: limit === undefined ? undefined : limit - first.length,
        });
        report.prefetched.push(key);
        const all = [...first, ...rest];
        return limit === undefined ? all : all.slice(0, limit);
      }
      (first.length ? report.prefetched : report.empty).push(key);
      return first;
    } catch (e) {
      const reason = e instanceof FhirRequestError ? describe(e) : 'error';
      if (input.supplementary?.has(key))
        report.dataQuality.push({
          kind: 'key-unavailable',
          where: `prefetch.${key}`,
          problem: `not read (${reason}): care recorded only there (such as hospice or palliative care) is not taken into account`,
        });
      else report.unavailable.push({ key, reason });
      return [];
    }
  });

  const results = await Promise.all(perKey);
  if (report.unavailable.length) {
    const keys = report.unavailable.map((u) => u.key);
    throw new CdsError(
      'fhir-unavailable',
      `Required data could not be obtained for prefetch key(s) ${keys.join(', ')}: ${report.unavailable
        .map((u) => `${u.key} (${u.reason})`)
        .join('; ')}`,
      { expression: keys.map((k) => `prefetch.${k}`) },
    );
  }
  const keys = Object.keys(input.templates);
  return { resources: dedupe(capResources(results, keys, deps.maxResources, report)), report };
}

/**
 * At most `max` resources for one patient, taken key by key in template order (the Patient first),
 * each cut key reported as a data-quality issue: a record past the cap is assessed on what fits,
 * never held whole in memory.
 */
function capResources(
  perKey: Resource[][],
  keys: readonly string[],
  max: number | undefined,
  report: GatherReport,
): Resource[] {
  const cap = max ?? DEFAULT_MAX_RESOURCES_PER_PATIENT;
  let room = cap;
  const out: Resource[] = [];
  perKey.forEach((list, i) => {
    if (list.length > room) {
      report.dataQuality.push({
        kind: 'resources-capped',
        where: `prefetch.${keys[i] ?? i}`,
        problem: `more resources than the per-patient cap (FHIR_MAX_RESOURCES = ${cap}): ${list.length - room} not read`,
      });
    }
    const kept = list.length > room ? list.slice(0, room) : list;
    room -= kept.length;
    out.push(...kept);
  });
  return out;
}

/**
 * The N of a newest-first template (`_sort=…&_count=N`, see hooks/registry.ts PREFETCH_COUNTS): the
 * first N results are the whole answer it wants, so later pages need not be read.
 */
export function newestFirstLimit(template: string): number | undefined {
  const query = template.split('?')[1];
  if (!query) return undefined;
  const params = new URLSearchParams(query);
  const count = Number(params.get('_count'));
  return params.has('_sort') && Number.isInteger(count) && count > 0 ? count : undefined;
}

function describe(e: FhirRequestError): string {
  switch (e.reason) {
    case 'not-allowlisted':
      return 'missing from prefetch and fhirServer is absent or not on the allowlist';
    case 'timeout':
      return 'the FHIR server did not answer within the time budget';
    case 'http':
      return `the FHIR server answered ${e.status}`;
    case 'outcome':
      return 'the FHIR server answered with an OperationOutcome';
    case 'foreign-link':
      return 'a next link pointed outside fhirServer';
    case 'too-large':
      return 'the FHIR response was larger than the size cap and not a Bundle that could be read in part';
    default:
      return `the FHIR server could not be read (${e.reason})`;
  }
}

function isResourceJson(v: unknown): v is Resource {
  return !!v && typeof v === 'object' && typeof (v as { resourceType?: unknown }).resourceType === 'string';
}

function dedupe(resources: Resource[]): Resource[] {
  const seen = new Set<string>();
  return resources.filter((r) => {
    if (!r.id) return true;
    const key = `${r.resourceType}/${r.id}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Groups FHIR resources into the PatientRecord the model reads. The Patient must be the one named
 * by `patientId` (or the only Patient, when it has no id). Used by the hooks, the CLI and the eval.
 */
export function recordFromResources(resources: Resource[], patientId: string): PatientRecord {
  const id = normalizePatientId(patientId);
  const patients = resources.filter((r): r is Patient => r.resourceType === 'Patient');
  const patient =
    patients.find((p) => p.id === id) ??
    (patients.length === 1 && !patients[0]?.id ? patients[0] : undefined);
  if (!patient) {
    throw new CdsError(
      'fhir-unavailable',
      'The Patient named in context.patientId was not found in the data',
      {
        expression: ['prefetch.patient'],
      },
    );
  }
  const record: PatientRecord = emptyRecord(patient);
  for (const r of resources) {
    switch (r.resourceType) {
      case 'Condition':
        record.conditions.push(r);
        break;
      case 'Observation':
        record.observations.push(r);
        break;
      case 'MedicationRequest':
        record.medicationRequests.push(r);
        break;
      case 'MedicationStatement':
        record.medicationStatements.push(r);
        break;
      case 'Medication':
        record.medications.push(r);
        break;
      case 'AllergyIntolerance':
        record.allergies.push(r);
        break;
      case 'Encounter':
        record.encounters.push(r);
        break;
      case 'Procedure':
        record.procedures.push(r);
        break;
      case 'ServiceRequest':
        record.serviceRequests.push(r);
        break;
      case 'CarePlan':
        record.carePlans.push(r);
        break;
      default:
        break;
    }
  }
  return record;
}

/**
 * Adds order-select / order-sign context: draft orders go to `draftOrders` (and out of
 * `medicationRequests`, so a draft is never taken for an active prescription); Medication entries
 * of draftOrders (Epic sends them as separate entries, or contained) go to `medications`.
 */
export function withDraftOrders(
  record: PatientRecord,
  draftOrders: BundleJson | undefined,
  selections: string[] | undefined,
): PatientRecord {
  if (!draftOrders) return record;
  const drafts: Resource[] = [];
  const medications = [...record.medications];
  // Read liberally: entries and contained resources may come as one object, or hold nulls; what is
  // not a resource is left for the shape check to report (fhir/shape.ts).
  for (const e of asList(draftOrders.entry)) {
    const r = isObject(e) ? e.resource : undefined;
    if (!isObject(r)) continue;
    const resource = r as unknown as Resource;
    if (resource.resourceType === 'Medication') {
      medications.push(resource);
      continue;
    }
    for (const c of asList(r.contained))
      if (isObject(c) && c.resourceType === 'Medication') medications.push(c as unknown as Medication);
    drafts.push(resource);
  }
  const draftKeys = new Set(drafts.filter((d) => d.id).map((d) => `${d.resourceType}/${d.id}`));
  return {
    ...record,
    medicationRequests: record.medicationRequests.filter(
      (m) => !m.id || !draftKeys.has(`MedicationRequest/${m.id}`),
    ),
    serviceRequests: record.serviceRequests.filter((s) => !s.id || !draftKeys.has(`ServiceRequest/${s.id}`)),
    medications: dedupe(medications) as Medication[],
    draftOrders: drafts,
    selections: selections ?? [],
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** An R4 0..* element as a list: absent is empty, one value a one-item list. */
function asList(v: unknown): unknown[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}
