/**
 * Type 2 diabetes: ADA Standards of Care 2025. A1c goal below 7% (intensify above it), SGLT2
 * inhibitor or GLP-1 RA with proven benefit for ASCVD, HF or CKD independent of A1c, metformin
 * limits by eGFR (FDA 2016), and an A1c at least every 6 months.
 */
import { proposedOrder } from '../knowledge/treatment/orders';
import { threshold } from '../knowledge/treatment/rules';
import { anyPresent, candidate, conditionCheck, pregnancy, type Candidate } from './build';
import {
  conditionState,
  declined,
  egfr,
  egfrText,
  fmt,
  labText,
  medsOfClass,
  lookBackMonths,
  readLab,
  type RuleContext,
} from './context';

/**
 * The individualized A1c goal (ADA 2025 §6 and §13): below 7% for many adults; less stringent
 * (below 8%) for an older adult with a complication (CKD G4-5, heart failure) or on a therapy that
 * causes hypoglycemia (insulin, a sulfonylurea). `why` names what relaxed it.
 */
export function individualizedA1cGoal(ctx: RuleContext, egfrValue?: number): { goal: number; why?: string } {
  const goal = threshold('t2d-a1c-above-goal', 'a1c');
  const age = ctx.facts.ageYears;
  if (age === undefined || age < threshold('t2d-a1c-above-goal', 'olderAdultAge')) return { goal };
  const reasons = [
    egfrValue !== undefined && egfrValue < threshold('t2d-a1c-above-goal', 'egfrComplication')
      ? `eGFR ${fmt(egfrValue, 0)}`
      : '',
    conditionState(ctx, 'heart-failure').present || conditionState(ctx, 'hfref').present
      ? 'heart failure'
      : '',
    medsOfClass(ctx.facts, 'insulin').length > 0 ? 'on insulin' : '',
    medsOfClass(ctx.facts, 'sulfonylurea').length > 0 ? 'on a sulfonylurea' : '',
  ].filter(Boolean);
  if (reasons.length === 0) return { goal };
  return {
    goal: threshold('t2d-a1c-above-goal', 'a1cLessStringent'),
    why: `less stringent goal: age ${Math.floor(age)}, ${reasons.join(', ')}`,
  };
}

export function diabetesRecommendations(ctx: RuleContext): Candidate[] {
  const t2d = conditionState(ctx, 't2d');
  if (!t2d.present) return [];
  const out: Candidate[] = [];
  const gfr = egfr(ctx, 't2d-a1c-above-goal');
  const testMonths = lookBackMonths(ctx, 'a1c-testing', 'a1c');
  const a1cForTesting = readLab(ctx, 'a1c-testing', 'a1c');
  const a1c = readLab(ctx, 't2d-a1c-above-goal', 'a1c');
  const lastA1c = ctx.facts.labs.get('a1c')?.[0];

  // Hospice: the exclusion framework withholds testing and intensification, with the reason kept.
  if (!a1cForTesting) {
    out.push(
      candidate('a1c-testing', {
        title: 'Order a hemoglobin A1c',
        rationale: `Type 2 diabetes; ${lastA1c ? `no A1c in the last ${testMonths} months` : 'no A1c on record'} (due at least every ${testMonths} months).`,
        dataComplete: true,
        findingIds: [...t2d.findingIds, ...(lastA1c ? [lastA1c.findingId] : [])],
        conditionIds: ['t2d'],
        contraindicationsChecked: [],
        proposedOrders: [proposedOrder('a1c')],
      }),
    );
  }

  const { goal, why } = individualizedA1cGoal(ctx, gfr?.value);
  if (a1c && a1c.value >= goal) {
    const metformin = medsOfClass(ctx.facts, 'biguanide');
    const noStart = threshold('metformin-renal', 'egfrDoNotStart');
    let orderKey: string | undefined;
    let plan: string;
    if (metformin.length === 0 && gfr && gfr.value >= noStart) {
      orderKey = 'metformin-500';
      plan = `Metformin is not active and ${egfrText(gfr)} permits starting it.`;
    } else if (medsOfClass(ctx.facts, 'glp1ra').length === 0 && !ctx.facts.pregnant) {
      orderKey = 'semaglutide-weekly';
      plan = metformin.length
        ? 'On metformin; add a GLP-1 receptor agonist.'
        : 'Metformin not started (eGFR below 45 or unknown); a GLP-1 receptor agonist is an option.';
    } else {
      plan = 'Review adherence and add or titrate an agent from another class.';
    }
    out.push(
      candidate('t2d-a1c-above-goal', {
        title: `Intensify glucose-lowering therapy: A1c ${fmt(a1c.value)}% above the < ${goal}% goal`,
        rationale: `Type 2 diabetes; ${labText('A1c', a1c, '%')}; goal < ${goal}%${why ? ` (${why})` : ''}. ${plan}`,
        dataComplete: t2d.confirmed,
        findingIds: [...t2d.findingIds, a1c.findingId, ...(gfr?.findingIds ?? [])],
        conditionIds: ['t2d'],
        contraindicationsChecked: [
          { label: 'Hospice or limited life expectancy (A1c goal relaxed)', present: false, findingIds: [] },
        ],
        proposedOrders: orderKey ? [proposedOrder(orderKey)] : [],
      }),
    );
  }

  out.push(...cardiorenal(ctx, t2d.findingIds, t2d.confirmed));
  out.push(...metforminRenal(ctx));
  return out;
}

function cardiorenal(ctx: RuleContext, t2dIds: string[], confirmed: boolean): Candidate[] {
  const out: Candidate[] = [];
  const ascvd = conditionState(ctx, 'ascvd');
  const hf = conditionState(ctx, 'hfref');
  const ckd = conditionState(ctx, 'ckd');
  const gfr = egfr(ctx, 't2d-cardiorenal-protection');
  const onSglt2 = medsOfClass(ctx.facts, 'sglt2i').length > 0;
  const onProven = medsOfClass(ctx.facts, 'sglt2i-proven-benefit', 'glp1ra-proven-benefit').length > 0;
  const egfrMin = threshold('ckd-sglt2i', 'egfrMin');
  if ((hf.present || ckd.present) && !onSglt2 && !(gfr && gfr.value < egfrMin)) {
    const checks = [
      pregnancy(ctx),
      conditionCheck(ctx, 'type-1-diabetes', 'Type 1 diabetes (ketoacidosis risk)'),
      conditionCheck(ctx, 'esrd-dialysis', 'Dialysis'),
    ];
    if (!anyPresent(checks) && !declined(ctx.facts, ['sglt2i'])) {
      const why = [hf.present ? 'heart failure' : '', ckd.present ? 'CKD' : ''].filter(Boolean).join(' and ');
      out.push(
        candidate('t2d-cardiorenal-protection', {
          title: 'Start an SGLT2 inhibitor with proven cardiorenal benefit',
          rationale: `Type 2 diabetes with ${why}${gfr ? `; ${egfrText(gfr)}` : ''}; no SGLT2 inhibitor active. Indicated independent of A1c.`,
          dataComplete: confirmed && gfr !== undefined,
          findingIds: [...t2dIds, ...hf.findingIds, ...ckd.findingIds, ...(gfr?.findingIds ?? [])],
          conditionIds: ['t2d', ...(hf.present ? ['hfref'] : []), ...(ckd.present ? ['ckd'] : [])],
          contraindicationsChecked: checks,
          proposedOrders: [proposedOrder('empagliflozin-10')],
          idSuffix: 'sglt2i',
          therapyKey: 'sglt2i',
        }),
      );
    }
  }
  if (ascvd.present && !onProven && !hf.present && !ckd.present) {
    const checks = [pregnancy(ctx)];
    if (!anyPresent(checks) && !declined(ctx.facts, ['glp1ra'])) {
      out.push(
        candidate('t2d-cardiorenal-protection', {
          title: 'Start a GLP-1 receptor agonist with proven cardiovascular benefit',
          rationale:
            'Type 2 diabetes with clinical ASCVD; no GLP-1 RA or SGLT2 inhibitor with proven cardiovascular benefit active. Indicated independent of A1c.',
          dataComplete: confirmed && ascvd.confirmed,
          findingIds: [...t2dIds, ...ascvd.findingIds],
          conditionIds: ['t2d', 'ascvd'],
          contraindicationsChecked: checks,
          proposedOrders: [proposedOrder('semaglutide-weekly')],
          idSuffix: 'glp1ra',
          therapyKey: 'glp1ra',
        }),
      );
    }
  }
  return out;
}

function metforminRenal(ctx: RuleContext): Candidate[] {
  const metformin = medsOfClass(ctx.facts, 'biguanide')[0];
  if (!metformin) return [];
  const gfr = egfr(ctx, 'metformin-renal');
  if (!gfr) return [];
  const contra = threshold('metformin-renal', 'egfrContraindicated');
  const noStart = threshold('metformin-renal', 'egfrDoNotStart');
  if (gfr.value < contra) {
    return [
      candidate('metformin-renal', {
        title: `Stop metformin: eGFR ${fmt(gfr.value, 0)} is below ${contra}`,
        rationale: `On ${metformin.display}; ${egfrText(gfr)}. Metformin is contraindicated below eGFR ${contra}; linagliptin needs no renal dose adjustment.`,
        dataComplete: true,
        findingIds: [metformin.findingId, ...gfr.findingIds],
        conditionIds: ['t2d'],
        contraindicationsChecked: [],
        proposedOrders: [proposedOrder('linagliptin-5')],
        citationIds: ['fda-label-linagliptin'],
      }),
    ];
  }
  if (gfr.value < noStart) {
    return [
      candidate('metformin-renal', {
        title: `Reassess metformin: eGFR ${fmt(gfr.value, 0)} is below ${noStart}`,
        rationale: `On ${metformin.display}; ${egfrText(gfr)}. With eGFR ${contra}-${noStart} assess the benefit and risk of continuing; do not start it new.`,
        dataComplete: true,
        findingIds: [metformin.findingId, ...gfr.findingIds],
        conditionIds: ['t2d'],
        contraindicationsChecked: [],
        proposedOrders: [],
        kind: 'monitor',
        priority: 'moderate',
      }),
    ];
  }
  return [];
}
