/**
 * `rationale dry-run`: the cards a patient bundle would get, without a server, an EHR or a database:
 * bundle → resources → PatientRecord → assess → renderCards, the same path a hook takes. Draft
 * MedicationRequests and ServiceRequests in the bundle stand for the order hooks' draftOrders.
 */
import type { Assessment, CdsResponse, PatientRecord, Resource } from '@rationale/shared-types';
import type { EhrProfileName, RenderCards, RenderResult } from '../cards/types';
import type { ServiceHook } from '../config';
import { recordFromResources, withDraftOrders } from '../fhir/record';
import type { AssessFn } from '../hooks/types';
import type { ModelSettings } from '../model/settings';
import { cardToMarkdown, suppressedToMarkdown } from './format';
import { CliError } from './errors';

export interface DryRunInput {
  hook: ServiceHook;
  /** Parsed JSON of the bundle file: a FHIR Bundle, or an array of resources. */
  bundle: unknown;
  /** The patient; defaults to the bundle's only Patient. */
  patientId?: string;
  profile: EhrProfileName;
  now: Date;
  budget: number;
  modelSettings: ModelSettings;
  appLaunchUrl?: string;
  newUuid: () => string;
}

export interface DryRunDeps {
  assess: AssessFn;
  renderCards: RenderCards;
}

export interface DryRunResult {
  assessment: Assessment;
  rendered: RenderResult;
  patientId: string;
  draftOrders: number;
}

const ORDER_HOOKS = new Set<string>(['order-select', 'order-sign']);
const ORDER_TYPES = new Set(['MedicationRequest', 'ServiceRequest', 'NutritionOrder', 'DeviceRequest']);

/** The resources of a Bundle (any type: collection, searchset, transaction) or of a JSON array. */
export function resourcesOf(json: unknown): Resource[] {
  const items: unknown[] = Array.isArray(json)
    ? json
    : isObject(json) && json['resourceType'] === 'Bundle'
      ? ((json['entry'] as unknown[] | undefined) ?? []).map((e) => (isObject(e) ? e['resource'] : undefined))
      : isObject(json) && typeof json['resourceType'] === 'string'
        ? [json]
        : [];
  if (items.length === 0)
    throw new CliError('input', 'the bundle file holds no FHIR resources (expected a Bundle with entries)');
  return items.filter((r): r is Resource => isObject(r) && typeof r['resourceType'] === 'string');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function choosePatient(resources: readonly Resource[], requested: string | undefined): string {
  if (requested) return requested.replace(/^Patient\//, '');
  const patients = resources.filter((r) => r.resourceType === 'Patient');
  const only = patients[0];
  if (patients.length === 1 && only?.id) return only.id;
  if (patients.length === 0) throw new CliError('input', 'the bundle has no Patient resource');
  throw new CliError('input', `the bundle has ${patients.length} Patient resources; name one with --patient`);
}

/**
 * Runs the model and the renderer on a bundle. On the order hooks, the bundle's `draft` requests
 * become draftOrders (all of them selected); on the others they are left out of the record.
 */
export function dryRun(input: DryRunInput, deps: DryRunDeps): DryRunResult {
  const resources = resourcesOf(input.bundle);
  const patientId = choosePatient(resources, input.patientId);
  const isDraft = (r: Resource) =>
    ORDER_TYPES.has(r.resourceType) && (r as { status?: string }).status === 'draft';
  const drafts = resources.filter(isDraft);
  let record: PatientRecord = recordFromResources(
    resources.filter((r) => !isDraft(r)),
    patientId,
  );
  if (ORDER_HOOKS.has(input.hook) && drafts.length > 0) {
    record = withDraftOrders(
      record,
      { resourceType: 'Bundle', entry: drafts.map((resource) => ({ resource })) },
      drafts.filter((d) => d.id).map((d) => `${d.resourceType}/${d.id}`),
    );
  }
  const assessment: Assessment = {
    ...deps.assess(record, input.now, input.modelSettings),
    id: 'dry-run',
    hook: input.hook,
    hookInstance: 'dry-run',
  };
  const rendered = deps.renderCards(assessment, {
    hook: input.hook,
    budget: input.budget,
    profile: input.profile,
    thresholds: { minSuggestedPosterior: input.modelSettings.minSuggestedPosterior },
    snoozedTopics: new Set(),
    ...(input.appLaunchUrl ? { appLaunchUrl: input.appLaunchUrl } : {}),
    sourceLabel: 'Rationale',
    newUuid: input.newUuid,
  });
  return { assessment, rendered, patientId, draftOrders: ORDER_HOOKS.has(input.hook) ? drafts.length : 0 };
}

/** The readable report: what was assessed, each card as the EHR would show it, and what was held back. */
export function dryRunMarkdown(
  result: DryRunResult,
  input: Pick<DryRunInput, 'hook' | 'profile' | 'budget'>,
): string {
  const a = result.assessment;
  const cards = result.rendered.cards;
  const counts = [
    `${a.findings.length} findings`,
    `${a.hypotheses.length} hypotheses`,
    `${a.recommendations.length} recommendations`,
    `${a.safety.length} order-safety alerts`,
  ].join(', ');
  return [
    `# Dry run: ${input.hook} for Patient/${result.patientId}`,
    '',
    `Profile ${input.profile} · budget ${input.budget} · assessed ${a.assessedAt} · ${counts}${result.draftOrders ? ` · ${result.draftOrders} draft orders` : ''}.`,
    `Model ${a.model.name} ${a.model.version} (knowledge base ${a.model.knowledgeBaseHash}).`,
    '',
    `## Cards (${cards.length})`,
    '',
    cards.length === 0
      ? '_No card: nothing met the card policy._'
      : cards.map((c, i) => cardToMarkdown(c, i + 1)).join('\n\n---\n\n'),
    '',
    `## Held back (${result.rendered.suppressed.length})`,
    '',
    suppressedToMarkdown(result.rendered.suppressed),
  ].join('\n');
}

/** The CDS Hooks response body the service would send. */
export function dryRunResponse(result: DryRunResult): CdsResponse {
  return { cards: result.rendered.cards.map((c) => c.card) };
}
