/**
 * CKD: KDIGO 2024. ACE inhibitor or ARB for albuminuria (with diabetes A2-A3, without diabetes
 * A3; 1B), SGLT2 inhibitor at eGFR 20+ with type 2 diabetes, UACR 200+ mg/g or heart failure
 * (1A), and a UACR test when none in 12 months for diabetes (ADA), CKD or hypertension.
 */
import type { Strength } from '@rationale/shared-types';
import { proposedOrder } from '../knowledge/treatment/orders';
import { threshold } from '../knowledge/treatment/rules';
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
  labText,
  medsOfClass,
  lookBackMonths,
  readLab,
  type RuleContext,
} from './context';

/**
 * Hyperkalemia as a contraindication: recorded/suggested, or potassium at or above the rule's
 * limit, read within the rule's look-back (an older potassium is treated as missing and noted).
 */
export function hyperkalemiaCheck(ctx: RuleContext, ruleId: string, limit: number): Contraindication {
  const state = conditionState(ctx, 'hyperkalemia');
  const k = readLab(ctx, ruleId, 'potassium');
  const high = k !== undefined && k.value >= limit;
  return {
    label: `Hyperkalemia (potassium ${limit} mmol/L or more)`,
    present: state.present || high,
    findingIds: [...state.findingIds, ...(k && high ? [k.findingId] : [])],
  };
}

export function ckdRecommendations(ctx: RuleContext): Candidate[] {
  const out: Candidate[] = [];
  const ckd = conditionState(ctx, 'ckd');
  const t2d = conditionState(ctx, 't2d');
  const t1d = conditionState(ctx, 'type-1-diabetes');
  const diabetes = t2d.present || t1d.present;
  const uacr = readLab(ctx, 'ckd-raasi-albuminuria', 'uacr');
  const gfr = egfr(ctx, 'ckd-sglt2i');

  if (ckd.present && uacr && medsOfClass(ctx.facts, 'raas-inhibitor').length === 0) {
    const limit = threshold('ckd-raasi-albuminuria', diabetes ? 'uacrDiabetes' : 'uacrNoDiabetes');
    if (uacr.value >= limit) {
      const angioedema = conditionCheck(
        ctx,
        'angioedema-history',
        'History of angioedema (ACE inhibitor avoided, ARB proposed)',
      );
      const checks = [
        pregnancy(ctx),
        hyperkalemiaCheck(ctx, 'ckd-raasi-albuminuria', threshold('ckd-raasi-albuminuria', 'potassium')),
      ];
      if (!anyPresent(checks) && !declined(ctx.facts, ['raas-inhibitor'])) {
        out.push(
          candidate('ckd-raasi-albuminuria', {
            title: `Start an ${angioedema.present ? 'ARB' : 'ACE inhibitor or ARB'} for albuminuric CKD`,
            rationale: `CKD with ${labText('UACR', uacr, 'mg/g')}, at or above ${limit} mg/g ${diabetes ? 'with' : 'without'} diabetes; no ACE inhibitor or ARB active. Titrate to the maximum tolerated dose.`,
            dataComplete: ckd.confirmed,
            findingIds: [
              ...ckd.findingIds,
              uacr.findingId,
              ...(diabetes ? [...t2d.findingIds, ...t1d.findingIds] : []),
            ],
            conditionIds: ['ckd', ...(t2d.present ? ['t2d'] : [])],
            contraindicationsChecked: [...checks, angioedema],
            proposedOrders: [proposedOrder(angioedema.present ? 'losartan-50' : 'lisinopril-10')],
          }),
        );
      }
    }
  }

  if (
    ckd.present &&
    gfr &&
    gfr.value >= threshold('ckd-sglt2i', 'egfrMin') &&
    medsOfClass(ctx.facts, 'sglt2i').length === 0
  ) {
    const hf = conditionState(ctx, 'hfref');
    const uacrNow = readLab(ctx, 'ckd-sglt2i', 'uacr');
    const albuminuric = uacrNow !== undefined && uacrNow.value >= threshold('ckd-sglt2i', 'uacr');
    if (t2d.present || albuminuric || hf.present) {
      const checks = [
        pregnancy(ctx),
        conditionCheck(ctx, 'type-1-diabetes', 'Type 1 diabetes (ketoacidosis risk)'),
        conditionCheck(ctx, 'esrd-dialysis', 'Dialysis'),
      ];
      if (!anyPresent(checks) && !declined(ctx.facts, ['sglt2i'])) {
        const why = [
          t2d.present ? 'type 2 diabetes' : '',
          albuminuric && uacrNow ? labText('UACR', uacrNow, 'mg/g') : '',
          hf.present ? 'heart failure' : '',
        ]
          .filter(Boolean)
          .join(', ');
        out.push(
          candidate('ckd-sglt2i', {
            title: 'Start an SGLT2 inhibitor for CKD',
            rationale: `CKD with ${egfrText(gfr)} (20 or more) and ${why}; no SGLT2 inhibitor active.`,
            dataComplete: ckd.confirmed,
            findingIds: [
              ...ckd.findingIds,
              ...gfr.findingIds,
              ...t2d.findingIds,
              ...(albuminuric && uacrNow ? [uacrNow.findingId] : []),
              ...hf.findingIds,
            ],
            conditionIds: ['ckd'],
            contraindicationsChecked: checks,
            proposedOrders: [proposedOrder('empagliflozin-10')],
          }),
        );
      }
    }
  }

  out.push(
    ...uacrTest(ctx, {
      ckd: ckd.present,
      diabetes,
      ckdIds: ckd.findingIds,
      diabetesIds: [...t2d.findingIds, ...t1d.findingIds],
    }),
  );
  return out;
}

function uacrTest(
  ctx: RuleContext,
  s: { ckd: boolean; diabetes: boolean; ckdIds: string[]; diabetesIds: string[] },
): Candidate[] {
  const htn = conditionState(ctx, 'htn');
  if (!s.ckd && !s.diabetes && !htn.present) return [];
  // Hospice and dialysis: the exclusion framework withholds it, with the reason kept.
  const months = lookBackMonths(ctx, 'uacr-testing', 'uacr');
  const last = ctx.facts.labs.get('uacr')?.[0];
  if (readLab(ctx, 'uacr-testing', 'uacr')) return [];
  // Strength of the guideline that applies: ADA for diabetes, else AHA/ACC 2025 for hypertension, else KDIGO.
  const strength: Strength | undefined = s.diabetes
    ? undefined
    : htn.present
      ? { scheme: 'AHA/ACC', class: '1', text: 'UACR testing recommended in adults with hypertension' }
      : { scheme: 'KDIGO', class: 'Practice Point', text: 'Monitor albuminuria at least annually in CKD' };
  const why = [s.diabetes ? 'diabetes' : '', s.ckd ? 'CKD' : '', htn.present ? 'hypertension' : '']
    .filter(Boolean)
    .join(', ');
  return [
    candidate('uacr-testing', {
      title: 'Order a urine albumin-to-creatinine ratio',
      rationale: `${why}; ${last ? `no UACR in the last ${months} months` : 'no UACR on record'} (due every ${months} months).`,
      dataComplete: true,
      findingIds: [...s.diabetesIds, ...s.ckdIds, ...htn.findingIds, ...(last ? [last.findingId] : [])],
      conditionIds: [
        ...(s.diabetes ? ['t2d'] : []),
        ...(s.ckd ? ['ckd'] : []),
        ...(htn.present ? ['htn'] : []),
      ],
      contraindicationsChecked: [],
      proposedOrders: [proposedOrder('uacr')],
      ...(strength ? { strength, priority: strength.scheme === 'KDIGO' ? 'weak' : 'moderate' } : {}),
    }),
  ];
}
