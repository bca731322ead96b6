/**
 * Checks the premises each rule declares (knowledge/treatment/premises.ts) against one patient.
 * Pure: the same context gives the same results.
 */
import type { PremiseResult } from '@rationale/shared-types';
import { RULE_PREMISES, type PremiseSpec } from '../knowledge/treatment/premises';
import { threshold } from '../knowledge/treatment/rules';
import { conditionState, fmt, medsOfClass, monthsSince, type RuleContext } from './context';

function check(spec: PremiseSpec, ctx: RuleContext, id: string): PremiseResult {
  const base = { id, label: spec.label, citationIds: [...spec.citationIds] };
  switch (spec.kind) {
    case 'established': {
      const states = spec.conditionIds.map((c) => ({ id: c, state: conditionState(ctx, c) }));
      const confirmed = states.find((s) => s.state.confirmed);
      if (confirmed)
        return {
          ...base,
          met: true,
          detail: `${confirmed.id} ${confirmed.state.status === 'recorded' ? 'recorded' : 'meets its criteria'}`,
          findingIds: confirmed.state.findingIds,
        };
      const unconfirmed = states.find((s) => s.state.present);
      return {
        ...base,
        met: false,
        detail: unconfirmed
          ? `${unconfirmed.id} suggested by the data, but its diagnostic criteria are not met`
          : `${spec.conditionIds.join(' or ')} not recorded and not shown by the data`,
        findingIds: unconfirmed?.state.findingIds ?? [],
      };
    }
    case 'recent-lab': {
      const newest = ctx.facts.labs.get(spec.analyte)?.[0];
      const met = newest !== undefined && monthsSince(newest.time, ctx.facts.now) <= spec.months;
      return {
        ...base,
        met,
        detail: newest
          ? `last ${spec.analyte} ${fmt(newest.value)} on ${newest.date.slice(0, 10)}${met ? '' : ` (older than ${spec.months} months)`}`
          : `no ${spec.analyte} on record`,
        findingIds: newest ? [newest.findingId] : [],
      };
    }
    case 'bp-readings': {
      const sT = threshold(spec.thresholds.ruleId, spec.thresholds.sbp);
      const dT = threshold(spec.thresholds.ruleId, spec.thresholds.dbp);
      const sbp = (ctx.facts.labs.get('sbp') ?? []).filter(
        (v) => monthsSince(v.time, ctx.facts.now) <= spec.months,
      );
      const dbp = ctx.facts.labs.get('dbp') ?? [];
      const byDay = new Map<string, string[]>();
      for (const s of sbp) {
        const d = dbp.find((x) => x.date === s.date);
        if (s.value < sT && (d === undefined || d.value < dT)) continue;
        const day = s.date.slice(0, 10);
        if (!byDay.has(day)) byDay.set(day, [s.findingId, ...(d ? [d.findingId] : [])]);
      }
      const days = [...byDay.keys()].sort();
      return {
        ...base,
        met: days.length >= spec.count,
        detail: `${days.length} elevated reading day${days.length === 1 ? '' : 's'} (≥ ${sT}/${dT}) in ${spec.months} months${days.length > 0 ? `: ${days.join(', ')}` : ''}; ${spec.count} needed`,
        findingIds: [...byDay.values()].flat(),
      };
    }
    case 'active-medication': {
      const meds = medsOfClass(ctx.facts, ...spec.classes);
      return {
        ...base,
        met: meds.length > 0,
        detail:
          meds.length > 0 ? meds.map((m) => m.display).join(', ') : `no active ${spec.classes.join(' or ')}`,
        findingIds: meds.map((m) => m.findingId),
      };
    }
  }
}

/** Stable premise id: `established:ckd`, `recent-lab:a1c`, `bp-readings`, `active-medication:opioid`. */
function premiseId(spec: PremiseSpec): string {
  switch (spec.kind) {
    case 'established':
      return `established:${spec.conditionIds.join('|')}`;
    case 'recent-lab':
      return `recent-lab:${spec.analyte}`;
    case 'bp-readings':
      return 'bp-readings';
    case 'active-medication':
      return `active-medication:${spec.classes.join('|')}`;
  }
}

/** Every premise the rule declares, checked for this patient (empty for a rule without a declaration). */
export function checkPremises(ruleId: string, ctx: RuleContext): PremiseResult[] {
  return (RULE_PREMISES[ruleId] ?? []).map((spec) => check(spec, ctx, premiseId(spec)));
}
