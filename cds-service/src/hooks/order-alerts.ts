/**
 * An order alert is returned once across order-select → order-sign (issue 19 §5). The clinician
 * who saw "amoxicillin with a penicillin allergy" while composing the order does not need it again
 * when signing the same order: CDS Hooks' order-sign is the last look at the basket, and the same
 * card twice is one of the things that make physicians turn a CDS off.
 *
 * Each order-safety alert gets a key: the rule, the draft order's reference and its clinical
 * content (drug, dose, timing: everything but bookkeeping fields), the alert's own text (which
 * carries the values it rests on) and the encounter. Order-select stores the key with the card it
 * returned; order-sign withholds an alert whose key order-select returned for the same patient
 * within the window. A changed order (another drug or dose), a changed finding, another encounter,
 * or an order-sign with no order-select before it has a key nobody saw, and is alerted.
 */
import { createHash } from 'node:crypto';
import type { SafetyAlert } from '@rationale/shared-types';
import type { BundleJson } from '../fhir/fhir-gateway';

/**
 * How long an alert shown at order-select stands for order-sign: an ordering session, generously.
 * A basket signed a day later is checked and alerted afresh.
 */
export const ORDER_ALERT_REPEAT_WINDOW_MS = 12 * 3_600_000;

/**
 * Fields of a draft order that say nothing about what is ordered: they may differ between the
 * order-select and the order-sign copy of the same order without changing the order.
 */
const BOOKKEEPING = new Set(['id', 'meta', 'text', 'status', 'authoredOn', 'identifier']);

/** Alert id → its key, for the order-safety alerts of one assessment. */
export function orderAlertKeys(
  alerts: readonly SafetyAlert[],
  draftOrders: BundleJson | undefined,
  encounterId: string | undefined,
): Map<string, string> {
  const byReference = new Map<string, unknown>();
  for (const entry of Array.isArray(draftOrders?.entry) ? draftOrders.entry : []) {
    const resource = entry?.resource as { resourceType?: unknown; id?: unknown } | undefined;
    if (typeof resource?.resourceType === 'string' && typeof resource.id === 'string')
      byReference.set(`${resource.resourceType}/${resource.id}`, resource);
  }
  const keys = new Map<string, string>();
  for (const alert of alerts) {
    const order = byReference.get(alert.order.reference);
    const material = JSON.stringify([
      alert.ruleId,
      alert.order.reference,
      alert.order.code ?? null,
      order === undefined ? null : canonical(order, true),
      alert.title,
      alert.detail,
      encounterId ?? null,
    ]);
    keys.set(alert.id, createHash('sha256').update(material, 'utf8').digest('base64url').slice(0, 32));
  }
  return keys;
}

/** The value with object keys sorted (and, at the top, bookkeeping fields left out), for hashing. */
function canonical(value: unknown, top = false): unknown {
  if (Array.isArray(value)) return value.map((v) => canonical(v));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    if (top && BOOKKEEPING.has(key)) continue;
    out[key] = canonical((value as Record<string, unknown>)[key]);
  }
  return out;
}
