/**
 * Conformance checks on every CDS service response, as the inspector reports them (cds-hooks.md
 * pain points §13.5, §13.7, §13.8). The shared zod schema checks CDS Hooks 2.0; an EHR profile adds
 * what Epic or Oracle Health enforce (cds-hooks.md §10, §11). Cards a strict EHR would refuse are
 * rejected here, so the page shows what the physician in that EHR would see.
 */
import {
  cardSchema,
  cdsResponseSchema,
  EHR_PROFILE_HOOKS,
  EHR_PROFILE_NAMES,
  type Card,
  type HookName,
} from '@rationale/shared-types';
import type { z } from 'zod';

export const EHR_PROFILES = EHR_PROFILE_NAMES;
export type EhrProfile = (typeof EHR_PROFILES)[number];

/** Hooks each profile fires; the others are never called in that EHR. */
export const PROFILE_HOOKS: Readonly<Record<EhrProfile, readonly HookName[]>> = EHR_PROFILE_HOOKS;

export interface ConformanceIssue {
  severity: 'error' | 'warning' | 'info';
  /** Short rule id, e.g. `schema`, `epic.selection-behavior`. */
  rule: string;
  /** JSON path in the response body, e.g. `cards[0].suggestions[1]`. */
  path: string;
  message: string;
}

export interface ConformanceResult {
  issues: ConformanceIssue[];
  /** The cards the EHR displays, adapted to the profile (e.g. appContext dropped for Oracle). */
  cards: Card[];
  /** Cards the EHR refuses to display, with the reasons. */
  rejected: Array<{ index: number; summary?: string; reasons: string[] }>;
  systemActions: NonNullable<z.infer<typeof cdsResponseSchema>['systemActions']>;
}

export interface CheckOptions {
  profile: EhrProfile;
  hook: string;
  /** SMART launch URLs registered with the EHR; a SMART link to another URL is not launchable. */
  registeredLaunchUrls: readonly string[];
}

const HTML_TAG = /<\/?[a-zA-Z][a-zA-Z0-9-]*(\s[^<>]*)?\/?>/;
const EPIC_TOPIC_CODE = /^[A-Za-z0-9]{1,100}$/;
const EPIC_DETAIL_CONTENT_TYPE = 'com.epic.cdshooks.card.detail.content-type';

/** Checks one CDS service HTTP response against CDS Hooks 2.0 and the EHR profile. */
export function checkResponse(status: number, body: unknown, options: CheckOptions): ConformanceResult {
  const issues: ConformanceIssue[] = [];
  const result: ConformanceResult = { issues, cards: [], rejected: [], systemActions: [] };
  if (status !== 200) {
    checkErrorResponse(status, body, issues);
    return result;
  }
  if (!isObject(body) || !Array.isArray(body.cards)) {
    issues.push({
      severity: 'error',
      rule: 'schema',
      path: 'cards',
      message: 'a 200 response must be a JSON object with a `cards` array',
    });
    return result;
  }
  const envelope = cdsResponseSchema.safeParse(body);
  if (!envelope.success) {
    // Per-card problems are reported below with their card index; keep only the envelope's own.
    for (const issue of envelope.error.issues) {
      if (issue.path[0] !== 'cards') issues.push(schemaIssue(issue));
    }
  } else {
    result.systemActions = envelope.data.systemActions ?? [];
  }
  if (options.profile === 'epic' && result.systemActions.length) {
    result.systemActions.forEach((action, i) => {
      if (!(action.type === 'update' && action.resource?.resourceType === 'ServiceRequest')) {
        issues.push({
          severity: 'warning',
          rule: 'epic.system-actions',
          path: `systemActions[${i}]`,
          message: 'Epic applies systemActions only as ServiceRequest updates that annotate unsigned orders',
        });
      }
    });
  }

  const seenUuids = new Set<string>();
  body.cards.forEach((raw, index) => {
    const path = `cards[${index}]`;
    const parsed = cardSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) issues.push(schemaIssue(issue, path));
      result.rejected.push({
        index,
        summary: isObject(raw) && typeof raw.summary === 'string' ? raw.summary : undefined,
        reasons: parsed.error.issues.map((i) => `${i.path.join('.') || 'card'}: ${i.message}`),
      });
      return;
    }
    const card = parsed.data;
    const reasons = checkCard(card, raw as Record<string, unknown>, path, options, issues);
    if (card.uuid) {
      if (seenUuids.has(card.uuid)) {
        issues.push({
          severity: 'error',
          rule: 'card.uuid-unique',
          path: `${path}.uuid`,
          message: `uuid ${card.uuid} is used by more than one card`,
        });
      }
      seenUuids.add(card.uuid);
    }
    if (reasons.length) result.rejected.push({ index, summary: card.summary, reasons });
    else result.cards.push(adaptCard(card, options.profile, path, issues));
  });
  return result;
}

function checkErrorResponse(status: number, body: unknown, issues: ConformanceIssue[]): void {
  if (status === 412) {
    issues.push({
      severity: 'info',
      rule: 'status.412',
      path: '',
      message:
        'the service answered 412: the data it needs was neither prefetched nor readable from fhirServer (STU2 L282)',
    });
  } else if (status === 401) {
    issues.push({
      severity: 'error',
      rule: 'status.401',
      path: '',
      message: 'the service refused the JWT (401)',
    });
  } else {
    issues.push({
      severity: 'error',
      rule: 'status',
      path: '',
      message: `the service answered HTTP ${status}`,
    });
  }
  // CDS Hooks 3.0 ballot: non-2xx SHOULD carry an OperationOutcome (R3 L817-840). A 401 says nothing.
  if (status !== 401 && !(isObject(body) && body.resourceType === 'OperationOutcome')) {
    issues.push({
      severity: 'warning',
      rule: 'error-body',
      path: '',
      message: 'error responses SHOULD carry a FHIR OperationOutcome body (CDS Hooks 3.0 ballot)',
    });
  }
}

/** Checks a schema-valid card; returns the reasons the profile refuses it (empty: displayed). */
function checkCard(
  card: Card,
  raw: Record<string, unknown>,
  path: string,
  options: CheckOptions,
  issues: ConformanceIssue[],
): string[] {
  const reasons: string[] = [];
  const epic = options.profile === 'epic';
  const push = (severity: ConformanceIssue['severity'], rule: string, at: string, message: string) =>
    issues.push({ severity, rule, path: at, message });

  // STU2 §Card Attributes and §1: no empty arrays or strings for optional fields.
  for (const key of ['suggestions', 'links', 'overrideReasons'] as const) {
    if (Array.isArray(raw[key]) && (raw[key] as unknown[]).length === 0) {
      push('warning', 'empty-field', `${path}.${key}`, `send no \`${key}\` rather than an empty array`);
    }
  }
  if (!card.uuid) {
    push(
      epic ? 'error' : 'warning',
      'card.uuid',
      `${path}.uuid`,
      'no uuid: the EHR cannot send feedback for this card (Epic requires it)',
    );
  }
  if (card.detail && HTML_TAG.test(stripCode(card.detail))) {
    const epicAllows =
      epic &&
      typeof card.extension?.[EPIC_DETAIL_CONTENT_TYPE] === 'string' &&
      String(card.extension[EPIC_DETAIL_CONTENT_TYPE]).includes('html');
    if (!epicAllows) {
      push(
        epic ? 'error' : 'warning',
        'detail.html',
        `${path}.detail`,
        'detail contains raw HTML; it is stripped when rendered (send GFM only)',
      );
    }
  }
  if (card.source.url && !isAbsoluteUrl(card.source.url)) {
    push('warning', 'source.url', `${path}.source.url`, 'source.url must be an absolute URL');
  }
  if (card.source.icon && !isAbsoluteUrl(card.source.icon)) {
    push('warning', 'source.icon', `${path}.source.icon`, 'source.icon must be an absolute URL');
  }
  if (epic) {
    if (!card.source.topic) {
      push(
        'warning',
        'epic.topic',
        `${path}.source.topic`,
        'Epic stores overrides per source.topic.code; send a stable topic',
      );
    } else if (!EPIC_TOPIC_CODE.test(card.source.topic.code)) {
      push(
        'error',
        'epic.topic',
        `${path}.source.topic.code`,
        'Epic needs an alphanumeric source.topic.code of at most 100 characters',
      );
    }
  }

  card.suggestions?.forEach((suggestion, s) => {
    const at = `${path}.suggestions[${s}]`;
    if (!suggestion.uuid) {
      push(
        epic ? 'error' : 'warning',
        'suggestion.uuid',
        `${at}.uuid`,
        'no uuid: accepted-suggestion feedback cannot name this suggestion',
      );
    }
    const actions = suggestion.actions ?? [];
    if (epic && actions.length > 1) {
      push(
        'error',
        'epic.one-action',
        `${at}.actions`,
        `Epic takes one action per suggestion; this one has ${actions.length}`,
      );
      reasons.push(`suggestion ${s} has ${actions.length} actions (Epic takes one)`);
    }
    actions.forEach((action, a) => {
      const actionPath = `${at}.actions[${a}]`;
      if ((action.type === 'create' || action.type === 'update') && !action.resource) {
        push('error', 'action.resource', actionPath, `a ${action.type} action needs the full resource`);
        reasons.push(`${actionPath}: ${action.type} without a resource`);
      }
      if (action.type === 'update' && action.resource && !action.resource.id) {
        push(
          'error',
          'action.resource',
          `${actionPath}.resource.id`,
          'an update action needs the resource id',
        );
        reasons.push(`${actionPath}: update without an id`);
      }
      if (action.type === 'delete' && !action.resourceId) {
        push(
          'warning',
          'action.resourceId',
          actionPath,
          'a delete action SHOULD name resourceId (an id in `resource` is deprecated)',
        );
      }
    });
  });
  if (card.suggestions?.length) {
    if (epic && card.selectionBehavior !== 'any') {
      push(
        'error',
        'epic.selection-behavior',
        `${path}.selectionBehavior`,
        `Epic supports only selectionBehavior "any", not "${card.selectionBehavior}"`,
      );
      reasons.push(`selectionBehavior "${card.selectionBehavior}" (Epic supports only "any")`);
    }
  } else if (card.selectionBehavior) {
    push(
      'info',
      'selection-behavior',
      `${path}.selectionBehavior`,
      'selectionBehavior without suggestions has no effect',
    );
  }

  card.links?.forEach((link, l) => {
    const at = `${path}.links[${l}]`;
    if (!isAbsoluteUrl(link.url)) {
      push('error', 'link.url', `${at}.url`, 'link.url must be an absolute URL');
      return;
    }
    if (link.type === 'absolute' && link.appContext) {
      push('warning', 'link.appContext', `${at}.appContext`, 'appContext is meaningful only on smart links');
    }
    if (link.type === 'smart' && !isRegistered(link.url, options.registeredLaunchUrls)) {
      push(
        epic ? 'error' : 'warning',
        'link.smart-registered',
        `${at}.url`,
        `SMART app URL ${link.url} is not registered with this EHR${epic ? ' (Epic hides links to unregistered apps)' : ''}`,
      );
    }
  });
  return reasons;
}

/** The card as the profile's EHR passes it on to the page. */
function adaptCard(card: Card, profile: EhrProfile, path: string, issues: ConformanceIssue[]): Card {
  if (profile !== 'oracle' || !card.links?.some((l) => l.appContext)) return card;
  issues.push({
    severity: 'info',
    rule: 'oracle.app-context',
    path: `${path}.links`,
    message:
      'Oracle Health does not pass appContext to the app; it was dropped, so the app must find its assessment another way',
  });
  return { ...card, links: card.links.map(({ appContext: _dropped, ...link }) => link) };
}

function schemaIssue(issue: z.core.$ZodIssue, prefix = ''): ConformanceIssue {
  const rest = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
  return {
    severity: 'error',
    rule: 'schema',
    path: `${prefix}${prefix ? rest : rest.replace(/^\./, '')}`,
    message: issue.message,
  };
}

function isRegistered(url: string, registered: readonly string[]): boolean {
  const bare = url.split(/[?#]/, 1)[0];
  return registered.some((r) => r === bare);
}

function stripCode(markdown: string): string {
  return markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`]*`/g, '');
}

function isAbsoluteUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:';
  } catch {
    return false;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
