/**
 * Card topics: one stable `source.topic` Coding per card type. Feedback, snoozes and monitoring key
 * on the code, and Epic files overrides under it, so the code is derived only from the knowledge
 * base's stable ids (condition id, rule id), never from text or values. Epic requires an
 * alphanumeric code of at most 100 characters (reference/cds-hooks.md §10).
 */
import type {
  CantMiss,
  Hypothesis,
  Recommendation,
  SafetyAlert,
  SiteModelPrediction,
  SiteModelResult,
} from '@rationale/shared-types';

export const TOPIC_SYSTEM = 'https://rationale.health/cds/topic';
export const TOPIC_CODE_MAX = 100;

export type TopicKind = 'dx' | 'rx' | 'safety' | 'ml';

export interface Topic {
  system: string;
  code: string;
  display: string;
}

/**
 * `dx` + condition id, `rx` + rule id, `safety` + rule id, lower-case alphanumeric:
 * `dxckd`, `rxstatindiabetes4075`, `safetyddiwarfarinnsaid`. Ids too long for Epic keep a
 * readable prefix and end in a hash of the whole id, so two long ids never share a code.
 */
export function topicCode(kind: TopicKind, id: string): string {
  return alphanumericCode(`${kind}${id}`);
}

/** Lower-case alphanumeric, at most 100 characters; a longer code keeps its start and ends in a hash of the whole. */
export function alphanumericCode(text: string): string {
  const code = text.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (code.length > 0 && code.length <= TOPIC_CODE_MAX) return code;
  const hash = fnv1a32(text).toString(36);
  return `${code.slice(0, TOPIC_CODE_MAX - hash.length)}${hash}`;
}

/** True for a code Epic accepts: alphanumeric, 1 to 100 characters. */
export function isEpicTopicCode(code: string): boolean {
  return /^[A-Za-z0-9]{1,100}$/.test(code);
}

export function diagnosisTopic(h: Hypothesis): Topic {
  return { system: TOPIC_SYSTEM, code: topicCode('dx', h.conditionId), display: `Possible ${h.label}` };
}

/** A can't-miss problem files under its condition's diagnosis topic: one card per condition. */
export function cantMissTopic(c: CantMiss): Topic {
  return { system: TOPIC_SYSTEM, code: topicCode('dx', c.conditionId), display: c.label };
}

export function recommendationTopic(r: Recommendation): Topic {
  return { system: TOPIC_SYSTEM, code: topicCode('rx', r.ruleId), display: r.title };
}

export function safetyTopic(a: SafetyAlert): Topic {
  return { system: TOPIC_SYSTEM, code: topicCode('safety', a.ruleId), display: a.title };
}

/** A site model's output files under `ml` + model id + condition id: `mlt2driskt2d`. */
export function siteModelTopic(result: SiteModelResult, p: SiteModelPrediction): Topic {
  return {
    system: TOPIC_SYSTEM,
    code: topicCode('ml', `${result.modelId}${p.conditionId}`),
    display: `${p.label} (${result.modelId})`,
  };
}

/** 32-bit FNV-1a: a small, stable, dependency-free hash for long topic ids. */
function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}
