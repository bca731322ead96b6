/**
 * Applies the declared exclusions (table.ts, per rule in knowledge/treatment/rule-exclusions.ts)
 * to every recommendation and to every order-safety alternative. A withheld recommendation is
 * kept with its reasons, so the app can say "not recommended because …"; an age band weakens a
 * recommendation to a shared decision (information) instead. Pure: facts in, a new list out.
 */
import type {
  ExclusionReason,
  Finding,
  Hypothesis,
  ProposedOrder,
  Recommendation,
  SafetyAlert,
  SuppressedRecommendation,
} from '@rationale/shared-types';
import type { PatientFacts } from '../facts';
import { DIAGNOSIS_EXCLUSIONS, SAFETY_CHECK_EXCLUSIONS } from '../knowledge/card-exclusions';
import { classifyMedication } from '../knowledge/drugs';
import { PROPOSED_ORDERS } from '../knowledge/treatment/orders';
import { RULE_EXCLUSIONS, type RuleExclusion } from '../knowledge/treatment/rule-exclusions';

const DAY_MS = 86_400_000;
/** Bleeding recorded this recently counts even when it is no longer active (a recent bleed). */
const RECENT_BLEEDING_DAYS = 90;
/** Classes an adverse-reaction condition rules out (the statin-associated muscle symptoms group, angioedema). */
const REACTION_CONDITIONS: ReadonlyArray<{ conditionIds: string[]; classes: string[] }> = [
  { conditionIds: ['statin-muscle-symptoms', 'rhabdomyolysis'], classes: ['statin'] },
  { conditionIds: ['angioedema-history'], classes: ['acei', 'arni'] },
];

/**
 * A same-purpose alternative when the intolerance is to one ingredient, not its class: another
 * statin after intolerance to one (2018 AHA/ACC cholesterol guideline: rechallenge with a
 * different statin), an ARB after ACE-inhibitor cough (2022 AHA/ACC/HFSA heart failure
 * guideline). Keys of PROPOSED_ORDERS.
 */
const SAME_PURPOSE_ALTERNATIVES: Readonly<Record<string, string>> = {
  atorvastatin: 'rosuvastatin-20',
  rosuvastatin: 'atorvastatin-40',
  lisinopril: 'losartan-50',
};

export interface ExclusionOutcome {
  recommendations: Recommendation[];
  suppressed: SuppressedRecommendation[];
}

/** Applies every rule's declared exclusions; unknown rule ids (LLM additions) pass unchanged. */
export function applyExclusions(recommendations: Recommendation[], facts: PatientFacts): ExclusionOutcome {
  const kept: Recommendation[] = [];
  const suppressed: SuppressedRecommendation[] = [];
  for (const rec of recommendations) {
    const declared = RULE_EXCLUSIONS.get(rec.ruleId)?.exclusions ?? [];
    const candidate = declared.some((d) => d.exclusion === 'intolerance') ? withAlternative(rec, facts) : rec;
    const reasons = declared.flatMap((d) => evaluate(d, candidate.proposedOrders, facts));
    const blocking = reasons.filter((r) => r.effect === 'suppress');
    if (blocking.length > 0) {
      suppressed.push({ recommendation: rec, reasons: blocking });
      continue;
    }
    const shared = reasons.find((r) => r.effect === 'shared-decision');
    kept.push(shared ? asSharedDecision(candidate, shared) : candidate);
  }
  return { recommendations: kept, suppressed };
}

/**
 * Diagnosis cards: a suggested (not recorded) diagnosis whose declaration (knowledge/card-exclusions.ts)
 * an exclusion meets keeps its place in the differential and carries the reasons; the card policy
 * shows no card for it.
 */
export function applyDiagnosisExclusions(hypotheses: Hypothesis[], facts: PatientFacts): Hypothesis[] {
  return hypotheses.map((h) => {
    if (h.status === 'recorded' || h.status === 'unlikely') return h;
    const declared = DIAGNOSIS_EXCLUSIONS.get(h.conditionId)?.exclusions ?? [];
    const reasons = declared.flatMap((d) => evaluate(d, [], facts)).filter((r) => r.effect === 'suppress');
    return reasons.length > 0 ? { ...h, exclusions: reasons } : h;
  });
}

/**
 * Order safety: a check whose declaration an exclusion meets (a Beers "avoid" in hospice care)
 * keeps its alert with the reasons, and the card policy shows no card for it; an alternative the
 * record rules out (documented intolerance, a teratogen in pregnancy) is not proposed, and the
 * alert says so instead.
 */
export function applySafetyExclusions(alerts: SafetyAlert[], facts: PatientFacts): SafetyAlert[] {
  return alerts.map((found) => {
    const declared = SAFETY_CHECK_EXCLUSIONS.get(found.type)?.exclusions ?? [];
    const reasons = declared.flatMap((d) => evaluate(d, [], facts)).filter((r) => r.effect === 'suppress');
    const alert = reasons.length > 0 ? { ...found, exclusions: reasons } : found;
    if (!alert.alternative) return alert;
    const intolerant = intoleranceTo(alert.alternative, facts);
    const classes = orderClasses(alert.alternative);
    const why = intolerant
      ? `documented intolerance (${intolerant.label})`
      : facts.pregnant && classes.includes('teratogen')
        ? 'pregnancy'
        : undefined;
    if (!why) return alert;
    const { alternative, ...rest } = alert;
    return {
      ...rest,
      detail: `${alert.detail} ${alternative.code.display} is not proposed as an alternative: ${why}.`,
      findingIds: [...new Set([...alert.findingIds, ...(intolerant?.findingIds ?? [])])],
    };
  });
}

/** The reasons one declared exclusion gives for this patient (none when it does not apply). */
function evaluate(
  declared: RuleExclusion,
  proposedOrders: readonly ProposedOrder[],
  facts: PatientFacts,
): ExclusionReason[] {
  const reason = (
    text: string,
    findings: Array<{ id: string }>,
    effect: ExclusionReason['effect'] = 'suppress',
  ): ExclusionReason[] => [
    {
      exclusionId: declared.exclusion,
      reason: text,
      effect,
      findingIds: findings.map((f) => f.id),
      citationIds: declared.citationIds,
    },
  ];
  switch (declared.exclusion) {
    case 'pregnancy': {
      if (!facts.pregnant) return [];
      const found = facts.findings.filter(
        (f) => f.kind === 'pregnancy' || f.code === 'pregnancy' || f.code === 'condition:pregnancy',
      );
      return reason(`Pregnancy${dated(found)}`, found);
    }
    case 'lactation':
      return conditionReason('breastfeeding', 'Breastfeeding', facts, reason);
    case 'hospice':
      return conditionReason('hospice', 'Hospice, palliative or comfort care', facts, reason);
    case 'dialysis':
      return conditionReason('esrd-dialysis', 'Dialysis or end-stage kidney disease', facts, reason);
    case 'major-bleeding': {
      const found = [
        ...(facts.recordedConditions.get('major-bleeding') ?? []),
        ...(facts.recordedConditions.get('gi-bleed') ?? []),
        ...facts.findings.filter(
          (f) =>
            (f.code === 'history:major-bleeding' || f.code === 'history:gi-bleed') &&
            f.date !== undefined &&
            facts.now.getTime() - Date.parse(f.date) <= RECENT_BLEEDING_DAYS * DAY_MS,
        ),
      ];
      return found.length > 0
        ? reason(`Active or recent bleeding: ${found[0]?.label}${dated(found)}`, found)
        : [];
    }
    case 'intolerance': {
      for (const order of proposedOrders) {
        const hit = intoleranceTo(order, facts);
        if (hit)
          return reason(
            `Documented intolerance: ${hit.label}`,
            hit.findingIds.map((id) => ({ id })),
          );
      }
      return [];
    }
    case 'age-band': {
      const age = facts.ageYears;
      if (age === undefined || declared.aboveAge === undefined || age <= declared.aboveAge) return [];
      return reason(
        `Age ${age}: above ${declared.aboveAge} the guideline supports a shared decision, not a standing recommendation`,
        facts.findings.filter((f) => f.id === 'patient-age'),
        'shared-decision',
      );
    }
  }
}

function conditionReason(
  conditionId: string,
  label: string,
  facts: PatientFacts,
  reason: (text: string, findings: Finding[]) => ExclusionReason[],
): ExclusionReason[] {
  const found = facts.recordedConditions.get(conditionId) ?? [];
  return found.length > 0 ? reason(`${label}: ${found[0]?.label}${dated(found)}`, found) : [];
}

function dated(found: Array<{ date?: string }>): string {
  const date = found.find((f) => f.date)?.date;
  return date ? ` (${date.slice(0, 10)})` : '';
}

function orderClasses(order: ProposedOrder): string[] {
  if (order.resourceType !== 'MedicationRequest') return [];
  return classifyMedication([order.code], order.code.display)?.classes ?? [];
}

/** The allergy, intolerance or adverse-reaction record that rules the proposed drug out, if any. */
function intoleranceTo(
  order: ProposedOrder,
  facts: PatientFacts,
): { label: string; findingIds: string[] } | undefined {
  if (order.resourceType !== 'MedicationRequest') return undefined;
  const drug = classifyMedication([order.code], order.code.display);
  if (!drug) return undefined;
  const ingredients = drug.ingredients ?? [drug.ingredient];
  for (const allergy of facts.allergies) {
    const sameDrug = allergy.ingredients.some((i) => ingredients.includes(i));
    const sameClass = allergy.classes.some((c) => drug.classes.includes(c));
    if (sameDrug || sameClass) return { label: allergy.substance, findingIds: [allergy.findingId] };
  }
  for (const { conditionIds, classes } of REACTION_CONDITIONS) {
    if (!classes.some((c) => drug.classes.includes(c))) continue;
    const found = conditionIds.flatMap((id) => facts.recordedConditions.get(id) ?? []);
    if (found[0]) return { label: found[0].label, findingIds: found.map((f) => f.id) };
  }
  return undefined;
}

function asSharedDecision(rec: Recommendation, why: ExclusionReason): Recommendation {
  return {
    ...rec,
    priority: 'weak',
    rationale: `${rec.rationale} ${why.reason}.`,
    findingIds: [...new Set([...rec.findingIds, ...why.findingIds])],
    citationIds: [...new Set([...rec.citationIds, ...why.citationIds])],
  };
}

/**
 * Swaps a proposed drug the patient did not tolerate for its declared same-purpose alternative,
 * and says so; left unchanged when there is none (evaluate() then withholds the recommendation).
 */
function withAlternative(rec: Recommendation, facts: PatientFacts): Recommendation {
  const notes: string[] = [];
  const findingIds: string[] = [];
  const orders = rec.proposedOrders.map((order) => {
    const hit = intoleranceTo(order, facts);
    if (!hit) return order;
    const ingredient = classifyMedication([order.code], order.code.display)?.ingredient ?? '';
    const key = SAME_PURPOSE_ALTERNATIVES[ingredient];
    const alternative = key ? PROPOSED_ORDERS.get(key) : undefined;
    if (!alternative || intoleranceTo(alternative, facts)) return order;
    notes.push(
      `Not ${ingredient}: documented intolerance (${hit.label}); ${alternative.code.display} proposed instead.`,
    );
    findingIds.push(...hit.findingIds);
    return alternative;
  });
  if (notes.length === 0) return rec;
  return {
    ...rec,
    rationale: `${rec.rationale} ${notes.join(' ')}`,
    proposedOrders: orders,
    findingIds: [...new Set([...rec.findingIds, ...findingIds])],
  };
}
