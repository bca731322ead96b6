/**
 * Hypertension: 2025 AHA/ACC guideline. Treat at an average of 140/90 or more, or 130/80 or more
 * with clinical CVD, diabetes, CKD or PREVENT 10-year CVD risk 7.5% or more; target below 130/80;
 * stage 2 starts with two first-line agents, preferably a single-pill combination. The average is
 * of the two newest readings within the recency window (one reading leaves the data incomplete).
 */
import { proposedOrder } from '../knowledge/treatment/orders';
import { threshold } from '../knowledge/treatment/rules';
import { anyPresent, candidate, conditionCheck, pregnancy, type Candidate } from './build';
import {
  conditionState,
  declined,
  findScore,
  readScore,
  fmt,
  medsOfClass,
  readLabs,
  riskFraction,
  scoreFindingIds,
  type RuleContext,
} from './context';

export function htnRecommendations(ctx: RuleContext): Candidate[] {
  const htn = conditionState(ctx, 'htn');
  if (!htn.present) return [];
  const treatedNow = medsOfClass(ctx.facts, 'antihypertensive').length > 0;
  const ruleId = treatedNow ? 'htn-intensify' : 'htn-start';
  const sbp = readLabs(ctx, ruleId, 'sbp', 2);
  const dbp = readLabs(ctx, ruleId, 'dbp', 2);
  if (sbp.length === 0 || dbp.length === 0) return [];
  const avg = (xs: { value: number }[]) => xs.reduce((s, x) => s + x.value, 0) / xs.length;
  const s = Math.round(avg(sbp));
  const d = Math.round(avg(dbp));
  const readings = sbp
    .map((x, i) => `${fmt(x.value, 0)}/${dbp[i] ? fmt(dbp[i].value, 0) : '?'} (${x.date.slice(0, 10)})`)
    .join(', ');
  const bpText = `average BP ${s}/${d} mm Hg from ${readings}`;
  const ids = [...htn.findingIds, ...sbp.map((x) => x.findingId), ...dbp.map((x) => x.findingId)];
  const complete = htn.confirmed && sbp.length >= 2 && dbp.length >= 2;
  const checks = [pregnancy(ctx), conditionCheck(ctx, 'hospice', 'Hospice or palliative care')];
  if (anyPresent(checks)) return [];
  const treated = medsOfClass(ctx.facts, 'antihypertensive');

  if (treated.length > 0) {
    const sTarget = threshold('htn-intensify', 'sbpTarget');
    const dTarget = threshold('htn-intensify', 'dbpTarget');
    if (s < sTarget && d < dTarget) return [];
    return [
      candidate('htn-intensify', {
        title: `Intensify BP treatment: ${s}/${d} is above the < ${sTarget}/${dTarget} target`,
        rationale: `Hypertension on ${treated.map((m) => m.display).join(', ')}; ${bpText}. Increase the dose or add a first-line agent of another class.`,
        dataComplete: complete,
        findingIds: [...ids, ...treated.map((m) => m.findingId)],
        conditionIds: ['htn'],
        contraindicationsChecked: checks,
        proposedOrders: [],
      }),
    ];
  }
  if (declined(ctx.facts, ['antihypertensive'])) return [];
  const stage2 = s >= threshold('htn-start', 'sbpStage2') || d >= threshold('htn-start', 'dbpStage2');
  const stage1 = s >= threshold('htn-start', 'sbpStage1') || d >= threshold('htn-start', 'dbpStage1');
  if (!stage1) return [];
  const diabetes = conditionState(ctx, 't2d');
  const ckd = conditionState(ctx, 'ckd');
  const cvd = conditionState(ctx, 'ascvd');
  const stroke = conditionState(ctx, 'stroke-tia');
  // PREVENT decides only a stage-1 start with no other indication: there, a risk input that is
  // not current is said (readScore); elsewhere the score is shown when current, and only then.
  const decides = !stage2 && !cvd.present && !stroke.present && !diabetes.present && !ckd.present;
  const prevent = decides
    ? readScore(ctx, 'htn-start', ['prevent-cvd-10y'], { indication: true })
    : findScore(ctx.scores, 'prevent-cvd-10y');
  const preventHigh = prevent !== undefined && riskFraction(prevent) >= threshold('htn-start', 'preventRisk');
  const reasons = [
    cvd.present ? 'clinical CVD' : '',
    stroke.present && !cvd.present ? 'prior stroke' : '',
    diabetes.present ? 'diabetes' : '',
    ckd.present ? 'CKD' : '',
    preventHigh && prevent ? `PREVENT 10-year CVD risk ${fmt(riskFraction(prevent) * 100)}%` : '',
  ].filter(Boolean);
  if (!stage2 && reasons.length === 0) return [];
  const angioedema = conditionState(ctx, 'angioedema-history');
  const raasFirst = (diabetes.present || ckd.present) && !angioedema.present;
  const orderKey = stage2
    ? angioedema.present
      ? 'amlodipine-5'
      : 'lisinopril-hctz-20-12.5'
    : raasFirst
      ? 'lisinopril-10'
      : 'amlodipine-5';
  return [
    candidate('htn-start', {
      title: stage2
        ? 'Start two first-line BP agents, preferably a single-pill combination'
        : 'Start a first-line BP-lowering medication',
      rationale: `${stage2 ? 'Stage 2 hypertension' : `Stage 1 hypertension with ${reasons.join(', ')}`}; ${bpText}; no BP-lowering medication active. Target below 130/80.`,
      dataComplete: complete,
      findingIds: [
        ...ids,
        ...diabetes.findingIds,
        ...ckd.findingIds,
        ...cvd.findingIds,
        ...(preventHigh && prevent ? scoreFindingIds(prevent) : []),
      ],
      conditionIds: ['htn'],
      contraindicationsChecked: [
        ...checks,
        {
          label: 'History of angioedema (ACE inhibitor avoided)',
          present: angioedema.present,
          findingIds: angioedema.findingIds,
        },
      ],
      proposedOrders: [proposedOrder(orderKey)],
      therapyKey: orderKey.startsWith('lisinopril') ? 'raas-inhibitor' : 'antihypertensive',
    }),
  ];
}
