/**
 * Hook requests for the proof suites, built as an EHR builds them: the sandbox's FHIR store holds
 * the patients (its 50 generated patients plus chosen shared Synthea patients, read at run time from
 * ../shared/data/synthea-r4, never copied into the repository), and the sandbox's own CDS client
 * code fills the service's prefetch templates from it (prefetch mode `full`). Order hooks carry a
 * draft MedicationRequest from the sandbox's order catalog. Sized synthetic records (100 / 1,000 /
 * 10,000 resources) measure cost growth with record size.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Bundle } from '@medplum/fhirtypes';
import type { CdsRequest } from '@rationale/shared-types';
import { prefetchTemplates } from '../../../../cds-service/src/hooks/registry';
import { createSandboxApp, type SandboxApp } from '../../../../sandbox/src/app';
import { createConfig } from '../../../../sandbox/src/config';
import { buildHookRequest } from '../../../../sandbox/src/ehr/hook-request';
import { draftMedicationRequest, ORDER_CATALOG } from '../../../../sandbox/src/ehr/order-catalog';
import { loadBundle } from '../../../../sandbox/src/patients/loader';
import { REPO_ROOT } from './service';

export const SYNTHEA_DIR =
  process.env.RATIONALE_SYNTHEA_DIR ?? path.resolve(REPO_ROOT, '..', 'shared', 'data', 'synthea-r4');

export type BenchHook = 'patient-view' | 'order-sign' | 'order-select';

export interface SyntheaFile {
  file: string;
  entries: number;
  bundle: Bundle;
  patientId: string;
}

/** True when the shared Synthea patients are present on this machine. */
export function hasSynthea(): boolean {
  return existsSync(SYNTHEA_DIR) && readdirSync(SYNTHEA_DIR).some((f) => f.endsWith('.json'));
}

/** Every shared Synthea bundle with its patient, ordered by entry count (then file name). */
export function syntheaFiles(): SyntheaFile[] {
  return readdirSync(SYNTHEA_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const bundle = JSON.parse(readFileSync(path.join(SYNTHEA_DIR, file), 'utf8')) as Bundle;
      const patient = bundle.entry?.find((e) => e.resource?.resourceType === 'Patient');
      const id = patient?.resource?.id ?? patient?.fullUrl?.replace(/^urn:uuid:/, '') ?? '';
      return { file, entries: bundle.entry?.length ?? 0, bundle, patientId: id };
    })
    .filter((f) => f.patientId)
    .sort((a, b) => a.entries - b.entries || a.file.localeCompare(b.file));
}

/**
 * The shared Synthea bundles ordered by size (entries), with the median one and a spread
 * (smallest, quartiles, median, largest). Reads every file once; `files` when already read.
 */
export function syntheaSpread(files: SyntheaFile[] = syntheaFiles()): {
  median: SyntheaFile;
  spread: SyntheaFile[];
  count: number;
} {
  const at = (q: number) =>
    files[Math.min(files.length - 1, Math.floor(q * (files.length - 1)))] as SyntheaFile;
  const median = at(0.5);
  const spread = [...new Set([at(0), at(0.25), median, at(0.75), at(1)])];
  return { median, spread, count: files.length };
}

/** A chart chosen by the size of its patient-view request. */
export interface SizedChart {
  file: SyntheaFile;
  request: CdsRequest;
  /** Bytes of the request body (prefetch as the discovery templates request it). */
  bytes: number;
  resources: number;
}

/**
 * The median and 90th-percentile (nearest rank) charts of `files` by patient-view body size, with
 * prefetch filled from the workbench's FHIR store as the service's discovery templates ask (the
 * workbench must hold every file). What an EHR sends, not what the bundle holds: the templates'
 * code filters and page sizes decide a chart's weight on the wire.
 */
export async function chartsBySize(
  wb: Workbench,
  files: SyntheaFile[],
): Promise<{ median: SizedChart; p90: SizedChart; sizes: number[] }> {
  const charts: SizedChart[] = [];
  for (const file of files) charts.push(await sizedChart(wb, file));
  charts.sort((a, b) => a.bytes - b.bytes || a.file.file.localeCompare(b.file.file));
  const rank = (p: number) =>
    charts[Math.min(charts.length - 1, Math.max(0, Math.ceil((p / 100) * charts.length) - 1))] as SizedChart;
  return { median: rank(50), p90: rank(90), sizes: charts.map((c) => c.bytes) };
}

/** One file's patient-view request, as `chartsBySize` weighs it. */
export async function sizedChart(wb: Workbench, file: SyntheaFile): Promise<SizedChart> {
  const request = await wb.request('patient-view', file.patientId);
  return {
    file,
    request,
    bytes: Buffer.byteLength(JSON.stringify(request)),
    resources: prefetchResourceCount(request),
  };
}

export interface Workbench {
  sandbox: SandboxApp;
  /** A full CDS Hooks request (prefetch `full`, fhirServer and fhirAuthorization set). */
  request(hook: BenchHook, patientId: string, draft?: string): Promise<CdsRequest>;
}

/**
 * The sandbox in process with its generated patients, plus `synthea` bundles loaded into its store.
 * `fhirBaseUrl` is where the sandbox will be reachable if it is also served (fallback reads).
 */
export async function createWorkbench(
  options: { synthea?: SyntheaFile[]; baseUrl?: string } = {},
): Promise<Workbench> {
  const config = createConfig({
    baseUrl: options.baseUrl ?? 'http://127.0.0.1:1',
    referenceDate: '2025-06-01',
  });
  const sandbox = await createSandboxApp(config);
  for (const s of options.synthea ?? []) await loadBundle(sandbox.repo, s.bundle);
  const now = new Date();
  return {
    sandbox,
    async request(hook, patientId, draft) {
      const userId = 'Practitioner/rat-pr-001';
      let draftOrders: unknown;
      let selections: string[] | undefined;
      if (hook !== 'patient-view') {
        const med = ORDER_CATALOG.find((m) => m.key === (draft ?? 'ibuprofen'));
        if (!med) throw new Error(`no orderable ${draft}`);
        const order = draftMedicationRequest(med, { id: `draft-${med.key}`, patientId, userId }, now);
        draftOrders = { resourceType: 'Bundle', type: 'collection', entry: [{ resource: order }] };
        selections = [`MedicationRequest/draft-${med.key}`];
      }
      const { request } = await buildHookRequest(
        sandbox.services,
        { hook, prefetch: prefetchTemplates(hook) },
        {
          hook,
          patientId,
          userId,
          draftOrders,
          selections: hook === 'order-select' ? selections : undefined,
          prefetchMode: 'full',
          sendFhirAuthorization: true,
        },
        now,
      );
      return request;
    },
  };
}

/** Resources in a request's prefetch (entries of every Bundle, 1 per bare resource). */
export function prefetchResourceCount(request: CdsRequest): number {
  let n = 0;
  for (const v of Object.values(request.prefetch ?? {})) {
    if (!v) continue;
    const r = v as { resourceType?: string; entry?: unknown[] };
    n += r.resourceType === 'Bundle' ? (r.entry?.length ?? 0) : 1;
  }
  return n;
}

const LOINC: Array<[string, number, string]> = [
  ['4548-4', 6.1, '%'],
  ['33914-3', 72, 'mL/min/{1.73_m2}'],
  ['2160-0', 1.0, 'mg/dL'],
  ['2093-3', 210, 'mg/dL'],
  ['2085-9', 48, 'mg/dL'],
  ['18262-6', 130, 'mg/dL'],
  ['2823-3', 4.4, 'mmol/L'],
  ['39156-5', 29, 'kg/m2'],
  ['29463-7', 85, 'kg'],
  ['14959-1', 12, 'mg/g'],
];

function searchset(resources: object[]): object {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: resources.length,
    entry: resources.map((resource) => ({ resource, search: { mode: 'match' } })),
  };
}

/**
 * A patient-view request whose prefetch holds `n` resources in all: the Patient, conditions (2%),
 * medications (2%), encounters (2%) and observations (the rest: labs and blood-pressure panels over
 * ten years). An EHR may ignore `_count` and send everything; the service must cope.
 */
export function sizedRequest(n: number): CdsRequest {
  const pid = `sized-${n}`;
  const subject = { reference: `Patient/${pid}` };
  const start = Date.parse('2015-06-01T00:00:00Z');
  const span = 10 * 365 * 86_400_000;
  const at = (i: number) => new Date(start + Math.floor((i * span) / n)).toISOString();
  const few = Math.max(1, Math.floor(n * 0.02));
  const conditions = Array.from({ length: few }, (_, i) => ({
    resourceType: 'Condition',
    id: `c${i}`,
    subject,
    clinicalStatus: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }],
    },
    code: {
      coding: [
        { system: 'http://snomed.info/sct', code: ['38341003', '15777000', '55822004', '44054006'][i % 4] },
      ],
    },
    onsetDateTime: at(i),
  }));
  const medications = Array.from({ length: few }, (_, i) => ({
    resourceType: 'MedicationRequest',
    id: `m${i}`,
    status: i === 0 ? 'active' : 'completed',
    intent: 'order',
    subject,
    authoredOn: at(i),
    medicationCodeableConcept: {
      coding: [
        { system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: ['29046', '6809', '83367'][i % 3] },
      ],
    },
  }));
  const encounters = Array.from({ length: few }, (_, i) => ({
    resourceType: 'Encounter',
    id: `e${i}`,
    status: 'finished',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
    subject,
    period: { start: at(i * 50), end: at(i * 50) },
  }));
  const nObs = Math.max(0, n - 1 - 3 * few);
  const observations = Array.from({ length: nObs }, (_, i) => {
    if (i % 6 === 0) {
      return {
        resourceType: 'Observation',
        id: `bp${i}`,
        status: 'final',
        subject,
        code: { coding: [{ system: 'http://loinc.org', code: '85354-9' }] },
        effectiveDateTime: at(i),
        component: [
          {
            code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] },
            valueQuantity: { value: 118 + (i % 35), unit: 'mm[Hg]' },
          },
          {
            code: { coding: [{ system: 'http://loinc.org', code: '8462-4' }] },
            valueQuantity: { value: 72 + (i % 15), unit: 'mm[Hg]' },
          },
        ],
      };
    }
    const [code, value, unit] = LOINC[i % LOINC.length] as [string, number, string];
    return {
      resourceType: 'Observation',
      id: `o${i}`,
      status: 'final',
      subject,
      code: { coding: [{ system: 'http://loinc.org', code }] },
      effectiveDateTime: at(i),
      valueQuantity: {
        value: Math.round(value * (0.9 + ((i * 37) % 20) / 100) * 10) / 10,
        unit,
        system: 'http://unitsofmeasure.org',
        code: unit,
      },
    };
  });
  return {
    hook: 'patient-view',
    hookInstance: randomUUID(),
    context: { userId: 'Practitioner/rat-pr-001', patientId: pid },
    prefetch: {
      patient: { resourceType: 'Patient', id: pid, gender: 'female', birthDate: '1958-04-02' },
      conditions: searchset(conditions),
      observations: searchset(observations),
      medications: searchset(medications),
      allergies: searchset([]),
      encounters: searchset(encounters),
      procedures: searchset([]),
      serviceRequests: searchset([]),
      carePlans: searchset([]),
    },
  };
}

/**
 * A request body as a template whose hookInstance is replaced per send, so every call under load is
 * a distinct hook invocation (STU2: hookInstance is unique per call).
 */
export class BodyTemplate {
  private readonly head: string;
  private readonly tail: string;
  readonly bytes: number;
  constructor(request: CdsRequest) {
    const marker = '00000000-0000-4000-8000-00000000beef';
    const text = JSON.stringify({ ...request, hookInstance: marker });
    const i = text.indexOf(marker);
    this.head = text.slice(0, i);
    this.tail = text.slice(i + marker.length);
    this.bytes = Buffer.byteLength(text);
  }
  render(): string {
    return this.head + randomUUID() + this.tail;
  }
}
