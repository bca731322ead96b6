/**
 * Small, deterministic stand-ins for the model (`assess`), the card renderer (`renderCards`) and the
 * model card, so the protocol layer is tested on its own. They honour their contracts: the renderer
 * applies budget and snoozes and builds spec-conforming cards with a SMART link to the assessment.
 */
import {
  type Assessment,
  type Hypothesis,
  type ModelCard,
  type PatientRecord,
  type SafetyAlert,
} from '@rationale/shared-types';
import { appContextFor } from '../cards/render';
import type { CardRenderOptions, RenderCards, RenderedCard, RenderResult } from '../cards/types';
import type { ModelSettings } from '../model/settings';

const A1C = '4548-4';

/** Suggests diabetes when an HbA1c ≥ 6.5 % is on record without a diabetes Condition; flags every draft order when an allergy is recorded. */
export function fakeAssess(record: PatientRecord, now: Date, _settings: ModelSettings): Assessment {
  const a1cs = record.observations.filter((o) => o.code?.coding?.some((c) => c.code === A1C));
  const high = a1cs.filter((o) => (o.valueQuantity?.value ?? 0) >= 6.5);
  const hasDiabetes = record.conditions.some((c) => c.code?.coding?.some((x) => x.code === '44054006'));
  const hypotheses: Hypothesis[] = [];
  if (high.length && !hasDiabetes) {
    hypotheses.push({
      id: 'h1',
      conditionId: 't2d',
      label: 'Type 2 diabetes',
      status: 'suggested',
      prior: 0.1,
      posterior: 0.9,
      codes: [{ system: 'http://snomed.info/sct', code: '44054006', display: 'Diabetes mellitus type 2' }],
      contributions: [],
      rationale: `HbA1c ${high.map((o) => o.valueQuantity?.value).join(' and ')} %`,
      citationIds: [],
      origin: 'knowledge-model',
    });
  }
  const safety: SafetyAlert[] = record.allergies.length
    ? record.draftOrders.map((d, i) => ({
        id: `s${i}`,
        ruleId: 'allergy-check',
        type: 'drug-allergy',
        severity: 'high',
        contraindicated: false,
        order: { reference: `${d.resourceType}/${d.id ?? i}`, label: 'draft order' },
        title: 'Draft order conflicts with a recorded allergy',
        detail: 'Recorded allergy.',
        findingIds: [],
        citationIds: [],
      }))
    : [];
  return {
    id: '',
    model: { name: 'fake', version: '0', knowledgeBaseHash: 'x' },
    assessedAt: now.toISOString(),
    patient: { reference: `Patient/${record.patient.id}` },
    findings: [],
    hypotheses,
    nextBestTests: [],
    scores: [],
    recommendations: [],
    safety,
    citations: [],
    dataGaps: [],
  };
}

function card(
  assessment: Assessment,
  options: CardRenderOptions,
  topic: string,
  summary: string,
  itemId: string,
): RenderedCard {
  const suggestionUuid = options.newUuid();
  return {
    topic,
    suggestionUuids: [suggestionUuid],
    card: {
      uuid: options.newUuid(),
      summary,
      detail: '**Why:** see the reasoning.',
      indicator: topic.startsWith('safety') ? 'warning' : 'info',
      source: {
        label: options.sourceLabel,
        topic: { system: 'https://rationale.example/topics', code: topic },
      },
      suggestions: [
        {
          label: 'Add to problem list',
          uuid: suggestionUuid,
          actions: [
            {
              type: 'create',
              description: 'Add diabetes to the problem list',
              resource: { resourceType: 'Condition' },
            },
          ],
        },
      ],
      selectionBehavior: options.profile === 'epic' ? 'any' : 'at-most-one',
      overrideReasons: [
        {
          system: 'https://rationale.example/override',
          code: 'not-appropriate',
          display: 'Not clinically appropriate',
        },
      ],
      links: options.appLaunchUrl
        ? [
            {
              label: 'Open the reasoning',
              url: options.appLaunchUrl,
              type: 'smart',
              appContext: appContextFor(assessment.id, itemId),
            },
          ]
        : undefined,
    },
  };
}

/** Renders one card per suggested hypothesis and per safety alert, skipping snoozed topics, within budget. */
export const fakeRenderCards: RenderCards = (assessment, options): RenderResult => {
  const candidates: RenderedCard[] = [
    ...assessment.safety.map((s) => card(assessment, options, `safety-${s.ruleId}`, s.title, s.id)),
    ...assessment.hypotheses
      .filter((h) => h.status === 'suggested')
      .map((h) =>
        card(assessment, options, `dx-${h.conditionId}`, `Possible ${h.label}: ${h.rationale}`, h.id),
      ),
  ];
  const result: RenderResult = { cards: [], suppressed: [] };
  for (const c of candidates) {
    if (options.snoozedTopics.has(c.topic)) result.suppressed.push({ topic: c.topic, reason: 'snoozed' });
    else if (result.cards.length >= options.budget)
      result.suppressed.push({ topic: c.topic, reason: 'budget' });
    else result.cards.push(c);
  }
  return result;
};

export function fakeModelCard(options: { llm?: { model: string; promptVersion: string } }): ModelCard {
  return {
    name: 'fake',
    version: '0',
    knowledgeBaseHash: 'x',
    releaseDate: '2026-01-01',
    developer: { name: 'Rationale', contact: 'https://rationale.example' },
    fundingSource: 'none',
    interventionType: 'evidence-based',
    outputDescription: 'cards',
    outputTypes: ['recommendation'],
    intendedUse: 'test',
    intendedUsers: ['physicians'],
    intendedPopulation: 'adults',
    decisionRole: 'informs',
    cautionedOutOfScopeUses: [],
    knownLimitations: [],
    knownRisks: [],
    inputs: [],
    demographicAndSocialInputs: {
      race: { used: false },
      ethnicity: { used: false },
      language: { used: false },
      sexualOrientation: { used: false },
      genderIdentity: { used: false },
      sex: { used: true },
      dateOfBirth: { used: true },
      socialDeterminantsOfHealth: { used: false },
      healthStatusAssessments: { used: false },
    },
    fairness: 'n/a',
    validation: { description: 'n/a', results: [] },
    maintenance: 'n/a',
    updateSchedule: 'n/a',
    evidence: [],
    llm: options.llm
      ? { enabled: true, model: options.llm.model, promptVersion: options.llm.promptVersion }
      : { enabled: false },
  };
}
