/**
 * The hook handlers (hook id → handler). Every hook reads the same record and runs the same
 * pipeline; the order hooks add the EHR's draft orders (and, for order-select, the selections) to
 * what is assessed. The card policy (cards/policy.ts) then decides per hook what is worth a card.
 */
import { hookContextSchemas } from '@rationale/shared-types';
import { assessPatient, chooseCards, type PatientData } from '../assessment';
import type { ServiceHook } from '../config';
import type { BundleJson } from '../fhir/fhir-gateway';
import { gatherResources } from '../fhir/record';
import { logStoreFailure } from '../logger';
import type { HookCall, HookHandler, HookHandlers, HookOutcome } from './handler';
import { ORDER_ALERT_REPEAT_WINDOW_MS, orderAlertKeys } from './order-alerts';
import { SUPPLEMENTARY_PREFETCH_KEYS } from './registry';
import type { HookDeps } from './types';

/** Draft orders and selections to assess with the record (order hooks only). */
type Orders = Pick<PatientData, 'draftOrders' | 'selections'>;

/**
 * Gathers the patient's resources (prefetch first, then the FHIR server), assesses them with the
 * draft orders through `assessPatient`, and picks the cards. Shared by every handler.
 */
async function assessAndChoose<H extends ServiceHook>(
  hook: HookCall<H>,
  deps: HookDeps,
  orders: Orders,
): Promise<HookOutcome> {
  const { request, patientId } = hook;
  const gathered = await gatherResources(
    {
      templates: hook.service.prefetch,
      prefetch: request.prefetch,
      context: { ...hook.context, patientId },
      patientId,
      fhirServer: request.fhirServer,
      accessToken: request.fhirAuthorization?.access_token,
      supplementary: SUPPLEMENTARY_PREFETCH_KEYS,
    },
    {
      gateway: deps.gateway,
      timeoutMs: deps.config.fhir.timeoutMs,
      maxResources: deps.config.fhir.maxResources,
    },
  );
  const result = await assessPatient(
    {
      data: { patientId, resources: gathered.resources, dataQuality: gathered.report.dataQuality, ...orders },
      now: hook.now,
      hook: hook.service.hook,
      hookInstance: request.hookInstance,
      startedAt: hook.startedAt,
    },
    {
      assess: deps.assess,
      settings: deps.config.modelSettings,
      llm: deps.llm,
      newId: deps.newId,
      ...(deps.siteModels ? { siteModels: deps.siteModels } : {}),
    },
  );
  const keys = orders.draftOrders
    ? orderAlertKeys(result.assessment.safety, orders.draftOrders, hook.context.encounterId)
    : undefined;
  const shownAtOrderSelect =
    keys && hook.service.hook === 'order-sign' ? await alertsShownAtOrderSelect(hook, deps, keys) : undefined;
  const cards = chooseCards(
    result.assessment,
    {
      hook: hook.service.hook,
      service: deps.config.services[hook.service.hook],
      profile: hook.call.caller.profile,
      minSuggestedPosterior: deps.config.modelSettings.minSuggestedPosterior,
      snoozedTopics: await hook.snoozedTopics,
      ...(shownAtOrderSelect ? { shownAtOrderSelect } : {}),
      appLaunchUrl: hook.call.appLaunchUrl,
      newUuid: deps.newId,
    },
    deps.renderCards,
  );
  return {
    ...result,
    cards,
    gathered: { report: gathered.report, resources: gathered.resources.length },
    ...(keys ? { orderAlertKeys: keys } : {}),
  };
}

/**
 * The ids of the alerts whose key order-select returned for this patient within the window: the
 * same alert on the same order is returned once (hooks/order-alerts.ts). A store that does not
 * answer means every alert is returned again, never one lost.
 */
async function alertsShownAtOrderSelect<H extends ServiceHook>(
  hook: HookCall<H>,
  deps: HookDeps,
  keys: ReadonlyMap<string, string>,
): Promise<ReadonlySet<string>> {
  if (keys.size === 0) return new Set();
  const since = new Date(hook.now.getTime() - ORDER_ALERT_REPEAT_WINDOW_MS);
  const shown = await deps.store
    .orderAlertsShown(hook.patientId, [...new Set(keys.values())], since, hook.now)
    .catch((e: unknown) => {
      logStoreFailure(hook.call.logger, e, 'order alerts checked afresh');
      return new Set<string>();
    });
  return new Set([...keys].filter(([, key]) => shown.has(key)).map(([alertId]) => alertId));
}

/** The context's draftOrders as the gateway's Bundle type (validated as a Bundle by the schema). */
function draftOrdersOf(context: { draftOrders: { resourceType: string } }): BundleJson {
  return context.draftOrders as unknown as BundleJson;
}

/** A hook that assesses the record alone (no draft orders). */
function recordOnly<H extends ServiceHook>(hook: H): HookHandler<H> {
  return {
    hook,
    context: hookContextSchemas[hook],
    handle: (call, deps) => assessAndChoose(call, deps, {}),
  };
}

export const patientView: HookHandler<'patient-view'> = recordOnly('patient-view');

export const orderSelect: HookHandler<'order-select'> = {
  hook: 'order-select',
  context: hookContextSchemas['order-select'],
  handle: (call, deps) =>
    assessAndChoose(call, deps, {
      draftOrders: draftOrdersOf(call.context),
      selections: call.context.selections,
    }),
};

export const orderSign: HookHandler<'order-sign'> = {
  hook: 'order-sign',
  context: hookContextSchemas['order-sign'],
  handle: (call, deps) => assessAndChoose(call, deps, { draftOrders: draftOrdersOf(call.context) }),
};

export const encounterStart: HookHandler<'encounter-start'> = recordOnly('encounter-start');

export const encounterDischarge: HookHandler<'encounter-discharge'> = recordOnly('encounter-discharge');

/** Hook id → handler. */
export const HOOK_HANDLERS: HookHandlers = Object.freeze({
  'patient-view': patientView,
  'order-select': orderSelect,
  'order-sign': orderSign,
  'encounter-start': encounterStart,
  'encounter-discharge': encounterDischarge,
});
