/**
 * `rationale dry-run`: the cards a patient bundle would get, without a server, an EHR or a database.
 * An adapter of the one pipeline: bundle → resources → `assessPatient` (shape check, model,
 * provenance) → `chooseCards` (card policy, conformance, silent mode), exactly what the live hook
 * runs. Draft MedicationRequests and ServiceRequests in the bundle stand for the order hooks'
 * draftOrders.
 */
import { isOrderHook, type Assessment, type CdsResponse, type Resource } from '@rationale/shared-types';
import {
  assessPatient,
  chooseCards,
  type AssessFn,
  type CardChoice,
  type PatientData,
  type SiteModel,
} from '../assessment';
import type { EhrProfileName, RenderCards } from '../cards/types';
import type { ServiceHook, ServiceSettings } from '../config';
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
  /** The service's mode: a silent service's cards are chosen and shown here, but not returned. */
  mode?: ServiceSettings['mode'];
  modelSettings: ModelSettings;
  appLaunchUrl?: string;
  newUuid: () => string;
}

export interface DryRunDeps {
  assess: AssessFn;
  renderCards: RenderCards;
  /** The configuration's site models, opened (the dry run shows what the hook would). */
  siteModels?: readonly SiteModel[];
}

export interface DryRunResult {
  assessment: Readonly<Assessment>;
  cards: CardChoice;
  patientId: string;
  draftOrders: number;
}

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
 * Runs the pipeline and the card choice on a bundle, as the hook would. On the order hooks, the
 * bundle's `draft` requests become draftOrders (all of them selected); on the others they are left
 * out of the record. A malformed resource is refused as the hook refuses it (CdsError
 * `invalid-request`, naming the element).
 */
export async function dryRun(input: DryRunInput, deps: DryRunDeps): Promise<DryRunResult> {
  const resources = resourcesOf(input.bundle);
  const patientId = choosePatient(resources, input.patientId);
  const isDraft = (r: Resource) =>
    ORDER_TYPES.has(r.resourceType) && (r as { status?: string }).status === 'draft';
  const drafts = resources.filter(isDraft);
  const withOrders = isOrderHook(input.hook) && drafts.length > 0;
  const data: PatientData = {
    patientId,
    resources: resources.filter((r) => !isDraft(r)),
    ...(withOrders
      ? {
          draftOrders: { resourceType: 'Bundle', entry: drafts.map((resource) => ({ resource })) },
          selections: drafts.filter((d) => d.id).map((d) => `${d.resourceType}/${d.id}`),
        }
      : {}),
  };
  const { assessment } = await assessPatient(
    { data, now: input.now, hook: input.hook, hookInstance: 'dry-run' },
    {
      assess: deps.assess,
      settings: input.modelSettings,
      newId: () => 'dry-run',
      ...(deps.siteModels ? { siteModels: deps.siteModels } : {}),
    },
  );
  const cards = chooseCards(
    assessment,
    {
      hook: input.hook,
      service: { cardBudget: input.budget, mode: input.mode ?? 'active' },
      profile: input.profile,
      minSuggestedPosterior: input.modelSettings.minSuggestedPosterior,
      snoozedTopics: new Set(),
      ...(input.appLaunchUrl ? { appLaunchUrl: input.appLaunchUrl } : {}),
      newUuid: input.newUuid,
    },
    deps.renderCards,
  );
  return { assessment, cards, patientId, draftOrders: isOrderHook(input.hook) ? drafts.length : 0 };
}

/** The readable report: what was assessed, each card as the EHR would show it, and what was held back. */
export function dryRunMarkdown(
  result: DryRunResult,
  input: Pick<DryRunInput, 'hook' | 'profile' | 'budget'>,
): string {
  const a = result.assessment;
  const cards = result.cards.issued;
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
    ...(result.cards.silent
      ? ['_Silent mode: the service stores and counts these cards but returns none to the EHR._', '']
      : []),
    cards.length === 0
      ? '_No card: nothing met the card policy._'
      : cards.map((c, i) => cardToMarkdown(c, i + 1)).join('\n\n---\n\n'),
    '',
    `## Held back (${result.cards.suppressed.length})`,
    '',
    suppressedToMarkdown(result.cards.suppressed),
    ...(result.cards.dropped.length
      ? [
          '',
          `## Dropped for not conforming to CDS Hooks (${result.cards.dropped.length})`,
          '',
          ...result.cards.dropped.map((d) => `- \`${d.topic}\`: ${d.issues.join(', ')}`),
        ]
      : []),
  ].join('\n');
}

/** The CDS Hooks response body the service would send (no cards in silent mode). */
export function dryRunResponse(result: DryRunResult): CdsResponse {
  return { cards: result.cards.returned };
}
