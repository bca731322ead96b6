/**
 * The service's domain lists, declared once for every package: the hooks the service answers, the
 * hooks that carry draft orders, the EHR profiles that shape cards and the hooks each EHR fires.
 */
import { HOOKS, type HookName } from './cds-hooks';

/** Hooks the service answers (the Hook Library hooks the model has something to say about). */
export const SERVICE_HOOKS = [
  'patient-view',
  'order-select',
  'order-sign',
  'encounter-start',
  'encounter-discharge',
] as const satisfies readonly HookName[];
export type ServiceHook = (typeof SERVICE_HOOKS)[number];

/** Hooks whose context carries `draftOrders` (Hook Library: order-select, order-sign). */
export const ORDER_HOOKS = ['order-select', 'order-sign'] as const satisfies readonly ServiceHook[];
export type OrderHook = (typeof ORDER_HOOKS)[number];

/** True for the hooks that carry draft orders. */
export function isOrderHook(hook: string | undefined): hook is OrderHook {
  return hook !== undefined && (ORDER_HOOKS as readonly string[]).includes(hook);
}

/** How cards are shaped for the EHR that called: CDS Hooks as written, Epic, Oracle Health. */
export const EHR_PROFILE_NAMES = ['generic', 'epic', 'oracle'] as const;
export type EhrProfileName = (typeof EHR_PROFILE_NAMES)[number];

/**
 * The hooks each EHR fires (reference/cds-hooks.md §10 Epic, §11 Oracle Health); the others are
 * never called there. The service adapts its cards by it and the sandbox refuses the others.
 */
export const EHR_PROFILE_HOOKS: Readonly<Record<EhrProfileName, readonly HookName[]>> = {
  generic: HOOKS,
  epic: ['patient-view', 'order-select', 'order-sign'],
  oracle: ['patient-view'],
};
