/**
 * HFrEF: the four pillars of the 2022 AHA/ACC/HFSA guideline: ARNI (or ACE inhibitor/ARB), an
 * evidence-based beta-blocker, an MRA (eGFR above 30 and potassium below 5.0) and an SGLT2
 * inhibitor. One recommendation per missing pillar, each with its contraindications checked.
 */
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
import { hyperkalemiaCheck } from './ckd';
import {
  conditionState,
  declined,
  egfr,
  egfrText,
  fmt,
  labText,
  medsOfClass,
  readLab,
  type RuleContext,
} from './context';

const HF_PILLARS = ['hfref-arni', 'hfref-arni-switch', 'hfref-beta-blocker', 'hfref-mra', 'hfref-sglt2i'];

export function hfRecommendations(ctx: RuleContext): Candidate[] {
  const hf = conditionState(ctx, 'hfref');
  if (!hf.present) return [];
  const out: Candidate[] = [];
  // Every pillar quotes the LVEF: each reads it, so an LVEF older than the look-back is noted on each.
  const [lvef] = HF_PILLARS.map((id) => readLab(ctx, id, 'lvef'));
  const base = `HFrEF${lvef ? ` (${labText('LVEF', lvef, '%')})` : ''}`;
  const ids = [...hf.findingIds, ...(lvef ? [lvef.findingId] : [])];
  const angioedema = conditionCheck(ctx, 'angioedema-history', 'History of angioedema');

  // Pillar 1: renin-angiotensin inhibition, ARNI preferred.
  const arni = medsOfClass(ctx.facts, 'arni');
  const aceiArb = medsOfClass(ctx.facts, 'acei', 'arb');
  if (arni.length === 0) {
    const switching = aceiArb.length > 0;
    const arniRule = switching ? 'hfref-arni-switch' : 'hfref-arni';
    const k = readLab(ctx, arniRule, 'potassium');
    const checks = [
      pregnancy(ctx),
      angioedema,
      hyperkalemiaCheck(ctx, arniRule, threshold('hfref-arni', 'potassium')),
    ];
    if (!anyPresent(checks) && !declined(ctx.facts, aceiArb.length ? ['arni'] : ['raas-inhibitor'])) {
      out.push(
        candidate(arniRule, {
          title: switching
            ? `Replace ${aceiArb.map((m) => m.ingredient).join(', ')} with sacubitril/valsartan`
            : 'Start sacubitril/valsartan (ARNI)',
          rationale: switching
            ? `${base}; on ${aceiArb.map((m) => m.display).join(', ')}. Replacing an ACE inhibitor or ARB with an ARNI lowers death and HF hospitalization; stop an ACE inhibitor ${threshold('hfref-arni-switch', 'washoutHours')} hours before the first dose.`
            : `${base}; no ARNI, ACE inhibitor or ARB active.`,
          dataComplete: hf.confirmed && k !== undefined,
          findingIds: [...ids, ...aceiArb.map((m) => m.findingId), ...(k ? [k.findingId] : [])],
          conditionIds: ['hfref'],
          contraindicationsChecked: checks,
          proposedOrders: [proposedOrder('sacubitril-valsartan-24-26')],
        }),
      );
    }
  }

  // Pillar 2: evidence-based beta-blocker.
  if (medsOfClass(ctx.facts, 'beta-blocker-hfref').length === 0 && !declined(ctx.facts, ['beta-blocker'])) {
    const other = medsOfClass(ctx.facts, 'beta-blocker');
    const asthma = conditionCheck(
      ctx,
      'asthma',
      'Asthma (carvedilol avoided; cardioselective agent proposed)',
    );
    const checks: Contraindication[] = [asthma];
    out.push(
      candidate('hfref-beta-blocker', {
        title: other.length
          ? `Switch ${other.map((m) => m.ingredient).join(', ')} to an evidence-based beta-blocker`
          : 'Start an evidence-based beta-blocker',
        rationale: `${base}; ${other.length ? `on ${other.map((m) => m.display).join(', ')}, which is not one of carvedilol, metoprolol succinate or bisoprolol` : 'no beta-blocker active'}.`,
        dataComplete: hf.confirmed,
        findingIds: [...ids, ...other.map((m) => m.findingId)],
        conditionIds: ['hfref'],
        contraindicationsChecked: checks,
        proposedOrders: [proposedOrder(asthma.present ? 'bisoprolol-1.25' : 'carvedilol-3.125')],
        ...(other.length ? { kind: 'intensify' as const } : {}),
      }),
    );
  }

  // Pillar 3: MRA.
  if (medsOfClass(ctx.facts, 'mra').length === 0 && !declined(ctx.facts, ['mra'])) {
    const gfr = egfr(ctx, 'hfref-mra');
    const k = readLab(ctx, 'hfref-mra', 'potassium');
    const egfrLimit = threshold('hfref-mra', 'egfr');
    const kLimit = threshold('hfref-mra', 'potassium');
    const checks: Contraindication[] = [
      {
        label: `eGFR ${egfrLimit} or below`,
        present: gfr !== undefined && gfr.value <= egfrLimit,
        findingIds: gfr && gfr.value <= egfrLimit ? gfr.findingIds : [],
      },
      hyperkalemiaCheck(ctx, 'hfref-mra', kLimit),
    ];
    if (!anyPresent(checks)) {
      const missing = [gfr ? '' : 'eGFR', k ? '' : 'potassium'].filter(Boolean);
      out.push(
        candidate('hfref-mra', {
          title: missing.length
            ? `Start an MRA once ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} confirmed`
            : 'Start an MRA (spironolactone)',
          rationale: `${base}; no MRA active. ${gfr ? `${egfrText(gfr)} (above ${egfrLimit})` : 'eGFR not known'}; ${k ? `${labText('potassium', k, 'mmol/L')} (below ${fmt(kLimit)})` : 'potassium not known'}.`,
          dataComplete: hf.confirmed && missing.length === 0,
          findingIds: [...ids, ...(gfr?.findingIds ?? []), ...(k ? [k.findingId] : [])],
          conditionIds: ['hfref'],
          contraindicationsChecked: checks,
          proposedOrders: [proposedOrder('spironolactone-25')],
        }),
      );
    }
  }

  // Pillar 4: SGLT2 inhibitor.
  if (medsOfClass(ctx.facts, 'sglt2i').length === 0 && !declined(ctx.facts, ['sglt2i'])) {
    const gfr = egfr(ctx, 'hfref-sglt2i');
    const egfrMin = threshold('hfref-sglt2i', 'egfrMin');
    const checks: Contraindication[] = [
      pregnancy(ctx),
      conditionCheck(ctx, 'type-1-diabetes', 'Type 1 diabetes (ketoacidosis risk)'),
      conditionCheck(ctx, 'esrd-dialysis', 'Dialysis'),
      {
        label: `eGFR below ${egfrMin}`,
        present: gfr !== undefined && gfr.value < egfrMin,
        findingIds: gfr && gfr.value < egfrMin ? gfr.findingIds : [],
      },
    ];
    if (!anyPresent(checks)) {
      out.push(
        candidate('hfref-sglt2i', {
          title: 'Start an SGLT2 inhibitor (dapagliflozin)',
          rationale: `${base}; no SGLT2 inhibitor active${gfr ? `; ${egfrText(gfr)}` : ''}.`,
          dataComplete: hf.confirmed && gfr !== undefined,
          findingIds: [...ids, ...(gfr?.findingIds ?? [])],
          conditionIds: ['hfref'],
          contraindicationsChecked: checks,
          proposedOrders: [proposedOrder('dapagliflozin-10')],
        }),
      );
    }
  }
  return out;
}
