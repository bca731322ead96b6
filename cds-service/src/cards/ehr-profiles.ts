/**
 * EHR profiles: the card policy's output adapted to what each EHR renders (reference/cds-hooks.md
 * §10 Epic, §11 Oracle Health). Applied after the policy, so every profile shows the same cards;
 * only their shape changes.
 *
 * - generic: CDS Hooks 2.0 as written; a choice between suggestions is `at-most-one`.
 * - epic: `selectionBehavior: any` only; exactly one action per suggestion, its meaning in
 *   `action.description` (Epic ignores `suggestion.label`); no HTML in `detail`, which is marked
 *   as CommonMark with Epic's content-type extension; topic codes alphanumeric, at most 100 characters.
 * - oracle: `appContext` is not supported, so the detail says how to find the assessment (the app
 *   opens the patient's latest one); one action per suggestion, `any`; only `patient-view` fires.
 */
import {
  EHR_PROFILE_HOOKS,
  type Action,
  type Assessment,
  type Card,
  type HookName,
  type Suggestion,
} from '@rationale/shared-types';
import type { EhrProfileName } from './types';
import { REASONING_LINK_LABEL } from './render';
import { containsHtml, isoDate } from './text';
import { alphanumericCode, isEpicTopicCode } from './topics';

export interface EhrProfile {
  name: EhrProfileName;
  /** Hooks the EHR is known to fire; the registry and the CLI read it. */
  hooks: readonly HookName[];
  selectionBehaviors: ReadonlyArray<'at-most-one' | 'any'>;
  oneActionPerSuggestion: boolean;
  htmlInDetail: boolean;
  /** Whether `link.appContext` reaches the app. */
  appContext: boolean;
}

export const EHR_PROFILES: Readonly<Record<EhrProfileName, EhrProfile>> = {
  generic: {
    name: 'generic',
    hooks: EHR_PROFILE_HOOKS.generic,
    selectionBehaviors: ['at-most-one', 'any'],
    oneActionPerSuggestion: false,
    htmlInDetail: false,
    appContext: true,
  },
  epic: {
    name: 'epic',
    hooks: EHR_PROFILE_HOOKS.epic,
    selectionBehaviors: ['any'],
    oneActionPerSuggestion: true,
    htmlInDetail: false,
    appContext: true,
  },
  oracle: {
    name: 'oracle',
    hooks: EHR_PROFILE_HOOKS.oracle,
    selectionBehaviors: ['any'],
    oneActionPerSuggestion: true,
    htmlInDetail: false,
    appContext: false,
  },
};

/** True when the EHR behind `profile` fires `hook` (Oracle: patient-view only). */
export function profileSupportsHook(profile: EhrProfileName, hook: HookName): boolean {
  return EHR_PROFILES[profile].hooks.includes(hook);
}

/** Epic's card extension that selects how `detail` is rendered (reference/cds-hooks.md §10). */
export const EPIC_DETAIL_CONTENT_TYPE = 'com.epic.cdshooks.card.detail.content-type';

export interface ProfileContext {
  assessment: Assessment;
  newUuid: () => string;
}

function actionKey(a: Action): string {
  return a.type === 'delete'
    ? `delete ${a.resourceId ?? ''}`
    : `${a.type} ${JSON.stringify(a.resource ?? null)}`;
}

/**
 * One suggestion per action, the meaning carried by the action's description. The first piece
 * keeps the suggestion's uuid; an action already offered by an earlier suggestion is not offered
 * twice (a "replace" and a "remove" suggestion share the same delete).
 */
export function splitSuggestions(suggestions: readonly Suggestion[], newUuid: () => string): Suggestion[] {
  const out: Suggestion[] = [];
  const byKey = new Map<string, Suggestion>();
  for (const s of suggestions) {
    const actions = s.actions ?? [];
    if (actions.length <= 1) {
      const only = actions[0];
      const key = only ? actionKey(only) : `label ${s.label}`;
      const existing = byKey.get(key);
      if (existing) {
        if (s.isRecommended) existing.isRecommended = true;
        continue;
      }
      const copy: Suggestion = { ...s, ...(only ? { label: only.description } : {}) };
      byKey.set(key, copy);
      out.push(copy);
      continue;
    }
    let first = true;
    for (const action of actions) {
      const key = actionKey(action);
      const existing = byKey.get(key);
      if (existing) {
        if (s.isRecommended) existing.isRecommended = true;
        continue;
      }
      const piece: Suggestion = {
        label: action.description,
        uuid: first && s.uuid ? s.uuid : newUuid(),
        ...(s.isRecommended !== undefined ? { isRecommended: s.isRecommended } : {}),
        actions: [action],
        ...(s.extension ? { extension: s.extension } : {}),
      };
      first = false;
      byKey.set(key, piece);
      out.push(piece);
    }
  }
  return out;
}

/** Escapes anything an HTML renderer would read as a tag, for EHRs that must get no HTML. */
function stripHtml(detail: string): string {
  return containsHtml(detail) ? detail.replace(/(^|[^\\])<(?=[A-Za-z/!?])/gu, '$1\\<') : detail;
}

/** "Open Rationale from this patient's chart" text for EHRs that drop `appContext`. */
export function findAssessmentNote(assessment: Assessment): string {
  const when = isoDate(assessment.assessedAt) ?? assessment.assessedAt;
  const id = assessment.id ? ` (assessment \`${assessment.id}\`)` : '';
  return `**Finding this assessment:** open "${REASONING_LINK_LABEL}" from this patient's chart; the app shows the patient's latest assessment, made ${when}${id}.`;
}

/** Adapts one card to the EHR profile. Pure except for uuids of split suggestions. */
export function applyEhrProfile(card: Card, profileName: EhrProfileName, ctx: ProfileContext): Card {
  const profile = EHR_PROFILES[profileName];
  let out: Card = { ...card };

  if (out.suggestions && out.suggestions.length > 0) {
    const suggestions = profile.oneActionPerSuggestion
      ? splitSuggestions(out.suggestions, ctx.newUuid)
      : out.suggestions;
    const behavior =
      out.selectionBehavior && profile.selectionBehaviors.includes(out.selectionBehavior)
        ? out.selectionBehavior
        : 'any';
    out = { ...out, suggestions, selectionBehavior: behavior };
  }

  if (!profile.htmlInDetail && out.detail) out = { ...out, detail: stripHtml(out.detail) };

  if (profileName === 'epic' && out.detail) {
    // Epic shows detail as plain text unless the card names its content type; ours is CommonMark.
    out = {
      ...out,
      extension: { ...out.extension, [EPIC_DETAIL_CONTENT_TYPE]: 'text/markdown; variant=CommonMark' },
    };
  }

  if (out.source.topic && profileName === 'epic' && !isEpicTopicCode(out.source.topic.code)) {
    // Topic codes are built alphanumeric; this keeps a hand-made code within Epic's rule too.
    out = {
      ...out,
      source: {
        ...out.source,
        topic: { ...out.source.topic, code: alphanumericCode(out.source.topic.code) },
      },
    };
  }

  if (!profile.appContext && out.links?.some((l) => l.type === 'smart')) {
    out = { ...out, detail: `${out.detail ? `${out.detail}\n\n` : ''}${findAssessmentNote(ctx.assessment)}` };
  }
  return out;
}
