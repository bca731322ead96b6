/**
 * Statins: 2018 AHA/ACC cholesterol guideline (secondary prevention, LDL-C 190+, diabetes,
 * primary prevention by 10-year risk) and KDIGO 2024 (CKD, age 50+). One indication is chosen,
 * the strongest first; a patient on a lower intensity than indicated gets an `intensify`.
 */
import type { Score } from '@rationale/shared-types';
import { statinIntensity, type StatinIntensity } from '../knowledge/drugs';
import { proposedOrder } from '../knowledge/treatment/orders';
import { rule, threshold } from '../knowledge/treatment/rules';
import {
  anyPresent,
  candidate,
  conditionCheck,
  pregnancy,
  type Candidate,
  type Contraindication,
} from './build';
import {
  conditionState,
  declined,
  egfr,
  egfrText,
  findScore,
  readScore,
  fmt,
  labText,
  medsOfClass,
  readLab,
  riskFraction,
  scoreFindingIds,
  type RuleContext,
} from './context';

interface Indication {
  ruleId: string;
  intensity: Exclude<StatinIntensity, 'low'>;
  reason: string;
  findingIds: string[];
  conditionIds: string[];
  dataComplete: boolean;
}

/** The 10-year ASCVD risk scores the statin rules read, in order of preference. */
const RISK_SCORES = ['pce-ascvd-10y', 'prevent-ascvd-10y'] as const;

/**
 * The 10-year ASCVD risk as `ruleId` reads it (readScore): a score not computed because an input
 * is not current is noted against the rule; `indication` when the rule acts on the risk.
 */
function risk(
  ctx: RuleContext,
  ruleId: string,
  indication = false,
): { score: Score; fraction: number } | undefined {
  const score = readScore(ctx, ruleId, RISK_SCORES, { indication });
  return score ? { score, fraction: riskFraction(score) } : undefined;
}

const pct = (fraction: number): string => `${fmt(fraction * 100)}%`;

function indication(ctx: RuleContext): Indication | undefined {
  const age = ctx.facts.ageYears;
  if (age === undefined) return undefined;
  const ascvd = conditionState(ctx, 'ascvd');
  if (ascvd.present && age <= threshold('statin-secondary-prevention', 'maxAge')) {
    const ascvdLdl = readLab(ctx, 'statin-secondary-prevention', 'ldl');
    return {
      ruleId: 'statin-secondary-prevention',
      intensity: 'high',
      reason: `Clinical ASCVD, age ${age}${ascvdLdl ? `, ${labText('LDL-C', ascvdLdl)}` : ''}`,
      findingIds: [...ascvd.findingIds, ...(ascvdLdl ? [ascvdLdl.findingId] : [])],
      conditionIds: ['ascvd'],
      dataComplete: ascvd.confirmed,
    };
  }
  const ldl = readLab(ctx, 'statin-ldl-190', 'ldl');
  if (
    ldl &&
    ldl.value >= threshold('statin-ldl-190', 'ldl') &&
    age >= threshold('statin-ldl-190', 'minAge') &&
    age <= threshold('statin-ldl-190', 'maxAge')
  ) {
    return {
      ruleId: 'statin-ldl-190',
      intensity: 'high',
      reason: `${labText('LDL-C', ldl)}, age ${age}`,
      findingIds: [ldl.findingId],
      conditionIds: ['hyperlipidemia'],
      dataComplete: true,
    };
  }
  const t2d = conditionState(ctx, 't2d');
  const t1d = conditionState(ctx, 'type-1-diabetes');
  const diabetes = t2d.present ? t2d : t1d;
  const scoreNow = findScore(ctx.scores, RISK_SCORES[0]) ?? findScore(ctx.scores, RISK_SCORES[1]);
  const riskNow = scoreNow ? { score: scoreNow, fraction: riskFraction(scoreNow) } : undefined;
  if (
    diabetes.present &&
    age >= threshold('statin-diabetes-40-75', 'minAge') &&
    age <= threshold('statin-diabetes-40-75', 'maxAge')
  ) {
    const factors = riskFactors(ctx);
    const highRisk =
      (riskNow && riskNow.fraction >= ctx.settings.statinRiskThreshold) ||
      factors.labels.length >= threshold('statin-diabetes-high-risk', 'riskFactors');
    const ruleId = highRisk ? 'statin-diabetes-high-risk' : 'statin-diabetes-40-75';
    // The risk only raises the intensity here, and only when the risk factors do not already:
    // then a risk input that is not current is said on the card.
    const factorsDecide = factors.labels.length >= threshold('statin-diabetes-high-risk', 'riskFactors');
    const dr = riskNow ?? (factorsDecide ? undefined : risk({ ...ctx, acceptStale: false }, ruleId));
    // Both diabetes rules read the same LDL-C and UACR: note them against the one that applies.
    const diabetesLdl = readLab(ctx, ruleId, 'ldl');
    readLab(ctx, ruleId, 'uacr');
    const riskText = dr ? `, ${dr.score.label} ${pct(dr.fraction)}` : '';
    const factorText = factors.labels.length ? `; risk factors: ${factors.labels.join(', ')}` : '';
    return {
      ruleId,
      intensity: highRisk ? 'high' : 'moderate',
      reason: `Diabetes, age ${age}${riskText}${factorText}${diabetesLdl ? `; ${labText('LDL-C', diabetesLdl)}` : ''}`,
      findingIds: [
        ...diabetes.findingIds,
        ...(diabetesLdl ? [diabetesLdl.findingId] : []),
        ...(dr ? scoreFindingIds(dr.score) : []),
        ...factors.findingIds,
      ],
      conditionIds: [t2d.present ? 't2d' : 'type-1-diabetes'],
      dataComplete: diabetes.confirmed,
    };
  }
  const ppLdl = diabetes.present ? undefined : readLab(ctx, 'statin-primary-prevention', 'ldl');
  const r = diabetes.present ? undefined : risk(ctx, 'statin-primary-prevention', true);
  if (
    ppLdl &&
    r &&
    age >= threshold('statin-primary-prevention', 'minAge') &&
    age <= threshold('statin-primary-prevention', 'maxAge') &&
    ppLdl.value >= threshold('statin-primary-prevention', 'ldlMin') &&
    ppLdl.value <= threshold('statin-primary-prevention', 'ldlMax') &&
    r.fraction >= ctx.settings.statinRiskThreshold
  ) {
    const high = r.fraction >= threshold('statin-primary-prevention', 'highRisk');
    return {
      ruleId: 'statin-primary-prevention',
      intensity: high ? 'high' : 'moderate',
      reason: `Age ${age}, ${labText('LDL-C', ppLdl)}, ${r.score.label} ${pct(r.fraction)} (threshold ${pct(ctx.settings.statinRiskThreshold)})`,
      findingIds: [ppLdl.findingId, ...scoreFindingIds(r.score)],
      conditionIds: [],
      dataComplete: true,
    };
  }
  const gfr = egfr(ctx, 'statin-ckd-50');
  const dialysis = conditionState(ctx, 'esrd-dialysis');
  if (
    gfr &&
    !dialysis.present &&
    age >= threshold('statin-ckd-50', 'minAge') &&
    gfr.value < threshold('statin-ckd-50', 'egfr')
  ) {
    return {
      ruleId: 'statin-ckd-50',
      intensity: 'moderate',
      reason: `Age ${age}, ${egfrText(gfr)}, not on dialysis`,
      findingIds: gfr.findingIds,
      conditionIds: ['ckd'],
      dataComplete: true,
    };
  }
  return undefined;
}

/** Diabetes-specific risk factors counted for high-intensity therapy (2018 guideline). */
function riskFactors(ctx: RuleContext): { labels: string[]; findingIds: string[] } {
  const labels: string[] = [];
  const findingIds: string[] = [];
  if (ctx.facts.currentSmoker) labels.push('current smoker');
  for (const [id, label] of [
    ['htn', 'hypertension'],
    ['ckd', 'chronic kidney disease'],
  ] as const) {
    const s = conditionState(ctx, id);
    if (s.present) {
      labels.push(label);
      findingIds.push(...s.findingIds);
    }
  }
  // Read without noting: the diabetes rule notes a stale UACR once it knows which rule applies.
  const uacr = readLab({ ...ctx, staleReads: undefined }, 'statin-diabetes-40-75', 'uacr');
  if (uacr && uacr.value >= threshold('ckd-raasi-albuminuria', 'uacrDiabetes')) {
    labels.push(`albuminuria (UACR ${fmt(uacr.value)} mg/g)`);
    findingIds.push(uacr.findingId);
  }
  return { labels, findingIds };
}

function exclusions(ctx: RuleContext): Contraindication[] {
  return [
    pregnancy(ctx),
    conditionCheck(ctx, 'breastfeeding', 'Breastfeeding'),
    conditionCheck(ctx, 'esrd-dialysis', 'End-stage kidney disease or dialysis'),
    conditionCheck(ctx, 'cirrhosis', 'Cirrhosis'),
    conditionCheck(ctx, 'rhabdomyolysis', 'History of rhabdomyolysis'),
    conditionCheck(ctx, 'hospice', 'Hospice or palliative care'),
  ];
}

const ORDER_FOR: Record<Exclude<StatinIntensity, 'low'>, string> = {
  high: 'atorvastatin-40',
  moderate: 'atorvastatin-20',
};

/** Statin recommendations (at most one). */
export function lipidRecommendations(ctx: RuleContext): Candidate[] {
  const ind = indication(ctx);
  if (!ind) return [];
  const checks = exclusions(ctx);
  if (anyPresent(checks) || declined(ctx.facts, ['statin'])) return [];
  const statins = medsOfClass(ctx.facts, 'statin');
  if (statins.length === 0) {
    return [
      candidate(ind.ruleId, {
        title: `Start a ${ind.intensity}-intensity statin`,
        rationale: `${ind.reason}; no active statin.`,
        dataComplete: ind.dataComplete,
        findingIds: ind.findingIds,
        conditionIds: ind.conditionIds,
        contraindicationsChecked: checks,
        proposedOrders: [proposedOrder(ORDER_FOR[ind.intensity])],
      }),
    ];
  }
  if (ind.intensity !== 'high') return [];
  const current = statins
    .map((s) => ({ fact: s, intensity: intensityOf(s.ingredient, s.dailyDoseMg, s.classes) }))
    .sort((a, b) => a.fact.findingId.localeCompare(b.fact.findingId));
  if (current.some((c) => c.intensity === 'high' || c.intensity === undefined)) return [];
  const now = current.map((c) => `${c.fact.display} (${c.intensity} intensity)`).join(', ');
  const indicating = rule(ind.ruleId);
  return [
    candidate('statin-intensify', {
      title: 'Increase to a high-intensity statin',
      rationale: `${ind.reason}; current therapy ${now} is below the high intensity indicated.`,
      dataComplete: ind.dataComplete,
      findingIds: [...ind.findingIds, ...current.map((c) => c.fact.findingId)],
      conditionIds: ind.conditionIds,
      contraindicationsChecked: checks,
      proposedOrders: [proposedOrder('atorvastatin-40')],
      strength: indicating.strength,
      priority: indicating.priority,
      citationIds: indicating.citationIds,
      staleReadsOf: ind.ruleId,
    }),
  ];
}

function intensityOf(
  ingredient: string,
  dailyDoseMg: number | undefined,
  classes: string[],
): StatinIntensity | undefined {
  return (
    statinIntensity(ingredient, dailyDoseMg) ??
    (classes.includes('statin-high-intensity')
      ? 'high'
      : classes.includes('statin-moderate-intensity')
        ? 'moderate'
        : classes.includes('statin-low-intensity')
          ? 'low'
          : undefined)
  );
}
