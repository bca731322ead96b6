import type { LabValue, PatientFacts } from '../facts';
import type { FindingDef, FindingRule } from '../knowledge/schema';
import { recent } from './derived';

export type FindingState = 'present' | 'absent' | 'unknown';

export interface FindingEvaluation {
  state: FindingState;
  /** Findings (ids in Assessment.findings) that establish the state. */
  findingIds: string[];
  /** The values that met (present) or failed (absent) the rule, newest first. */
  values: LabValue[];
}

export interface EvaluationContext {
  facts: PatientFacts;
  recencyMonths: number;
  /** Derived code → finding ids (findings/derived.ts). */
  derived: ReadonlyMap<string, string[]>;
  /** Finding ids by finding code (symptoms), built once. */
  byCode: ReadonlyMap<string, string[]>;
}

const SNOMED = 'http://snomed.info/sct';

/**
 * The lookup keys a symptom, history or procedure rule reads (`symptom:…`, `history:…`,
 * `system|code`): they depend only on the knowledge base, so each rule's are made once.
 */
const RULE_KEYS = new WeakMap<FindingRule, readonly string[]>();

function ruleKeys(rule: FindingRule): readonly string[] {
  let keys = RULE_KEYS.get(rule);
  if (!keys) {
    keys =
      rule.type === 'symptom'
        ? [`symptom:${rule.symptom}`, `symptom:${rule.symptom}:absent`]
        : rule.type === 'history'
          ? rule.conditionIds.map((id) => `history:${id}`)
          : rule.type === 'procedure'
            ? rule.snomed.map((c) => `${SNOMED}|${c}`)
            : [];
    RULE_KEYS.set(rule, keys);
  }
  return keys;
}

/** Every list `lists` gives for `keys`, in key order, in one array. */
function gather(lists: ReadonlyMap<string, readonly string[]>, keys: readonly string[]): string[] {
  const out: string[] = [];
  for (const key of keys) {
    const list = lists.get(key);
    if (list) for (const id of list) out.push(id);
  }
  return out;
}

const compare = (op: '>=' | '>' | '<' | '<=', a: number, b: number) =>
  op === '>=' ? a >= b : op === '>' ? a > b : op === '<' ? a < b : a <= b;

/** Reads one knowledge-base finding from the facts: present, absent (tested and negative) or unknown. */
export function evaluateFinding(def: FindingDef, ctx: EvaluationContext): FindingEvaluation {
  const rule = def.rule;
  const unknown: FindingEvaluation = { state: 'unknown', findingIds: [], values: [] };
  switch (rule.type) {
    case 'lab': {
      const values =
        rule.window === 'all'
          ? (ctx.facts.labs.get(rule.analyte) ?? [])
          : recent(ctx.facts, rule.analyte, ctx.recencyMonths);
      if (!values.length) return unknown;
      const threshold =
        (ctx.facts.sex === 'female' ? rule.female : ctx.facts.sex === 'male' ? rule.male : undefined) ??
        rule.value;
      if (rule.select === 'latest') {
        const latest = values[0] as LabValue;
        const met = compare(rule.op, latest.value, threshold);
        return { state: met ? 'present' : 'absent', findingIds: [latest.findingId], values: [latest] };
      }
      const meeting = values.filter((v) => compare(rule.op, v.value, threshold));
      if (meeting.length >= rule.count)
        return { state: 'present', findingIds: meeting.map((v) => v.findingId), values: meeting };
      if (meeting.length === 0)
        return {
          state: 'absent',
          findingIds: values.slice(0, 1).map((v) => v.findingId),
          values: values.slice(0, 1),
        };
      return unknown;
    }
    case 'lab-range': {
      const values =
        rule.window === 'all'
          ? (ctx.facts.labs.get(rule.analyte) ?? [])
          : recent(ctx.facts, rule.analyte, ctx.recencyMonths);
      const latest = values[0];
      if (!latest) return unknown;
      const met = latest.value >= rule.min && latest.value < rule.max;
      return { state: met ? 'present' : 'absent', findingIds: [latest.findingId], values: [latest] };
    }
    case 'derived': {
      const ids = ctx.derived.get(rule.code);
      if (ids?.length) return { state: 'present', findingIds: ids, values: [] };
      const against = gather(ctx.derived, rule.absentIf);
      return against.length ? { state: 'absent', findingIds: against, values: [] } : unknown;
    }
    case 'symptom': {
      const [presentKey, absentKey] = ruleKeys(rule) as [string, string];
      const present = ctx.byCode.get(presentKey);
      if (present?.length) return { state: 'present', findingIds: present, values: [] };
      const absent = ctx.byCode.get(absentKey);
      return absent?.length ? { state: 'absent', findingIds: absent, values: [] } : unknown;
    }
    case 'recorded': {
      const ids = rule.conditionIds.flatMap((id) =>
        (ctx.facts.recordedConditions.get(id) ?? []).map((f) => f.id),
      );
      return ids.length ? { state: 'present', findingIds: [...new Set(ids)], values: [] } : unknown;
    }
    case 'medication': {
      const uses = (ctx.facts.medicationUse ?? []).filter(
        (u) =>
          (!rule.active || u.active) &&
          (rule.ingredients.some((i) => u.ingredients.includes(i) || u.ingredient === i) ||
            rule.classes.some((c) => u.classes.includes(c))),
      );
      return uses.length
        ? { state: 'present', findingIds: uses.map((u) => u.findingId), values: [] }
        : unknown;
    }
    case 'procedure': {
      const codes = ruleKeys(rule);
      const done = (ctx.facts.procedures ?? []).filter((p) => p.codes.some((c) => codes.includes(c)));
      return done.length
        ? { state: 'present', findingIds: done.map((p) => p.findingId), values: [] }
        : unknown;
    }
    case 'reason': {
      const named = (ctx.facts.reasons ?? []).filter((r) => rule.conditionIds.includes(r.conditionId));
      return named.length
        ? { state: 'present', findingIds: named.map((r) => r.findingId), values: [] }
        : unknown;
    }
    case 'history': {
      const ids = gather(ctx.byCode, ruleKeys(rule));
      return ids.length ? { state: 'present', findingIds: ids, values: [] } : unknown;
    }
    case 'smoker': {
      if (ctx.facts.currentSmoker === undefined) return unknown;
      const ids = ctx.byCode.get('smoking-status') ?? [];
      return { state: ctx.facts.currentSmoker ? 'present' : 'absent', findingIds: ids.slice(-1), values: [] };
    }
  }
}
