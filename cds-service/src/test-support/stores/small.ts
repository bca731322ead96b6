/**
 * The one-method stores in memory: the order-alert ledger (over the issued cards), the JWT replay
 * guard, the audit log and the hook-call log.
 */
import type {
  AuditEvent,
  AuditLog,
  HookCallLog,
  HookCallTiming,
  IssuedCard,
  OrderAlertLedger,
  ReplayGuard,
} from '../../store/store';
import { whileUp, type Outage } from './outage';

/** Order-safety cards returned (not silent) at order-select, as the ledger's query selects them. */
export function memoryOrderAlertLedger(
  outage: Outage,
  issuedCards: Map<string, IssuedCard>,
): OrderAlertLedger {
  return {
    async orderAlertsShown(patientId, keys, since, now) {
      await whileUp(outage);
      const shown = [...issuedCards.values()].filter(
        (c) =>
          c.patientId === patientId &&
          c.hook === 'order-select' &&
          !c.silent &&
          c.issuedAt >= since &&
          c.issuedAt <= now,
      );
      return new Set(keys.filter((k) => shown.some((c) => c.orderAlertKey === k)));
    },
  };
}

export interface MemoryReplayGuard extends ReplayGuard {
  /** `issuer\njti` → when its use expires. */
  readonly jtis: Map<string, Date>;
}

export function memoryReplayGuard(outage: Outage): MemoryReplayGuard {
  const jtis = new Map<string, Date>();
  return {
    jtis,
    async rememberJti(issuer, jti, expiresAt, now) {
      await whileUp(outage);
      const key = `${issuer}\n${jti}`;
      const seen = jtis.get(key);
      if (seen && seen > now) return false;
      jtis.set(key, expiresAt);
      return true;
    },
  };
}

export interface MemoryAuditLog extends AuditLog {
  readonly auditEvents: AuditEvent[];
}

export function memoryAuditLog(outage: Outage): MemoryAuditLog {
  const auditEvents: AuditEvent[] = [];
  return {
    auditEvents,
    async audit(event) {
      await whileUp(outage);
      auditEvents.push(event);
    },
  };
}

export interface MemoryHookCallLog extends HookCallLog {
  readonly hookCalls: HookCallTiming[];
}

export function memoryHookCallLog(outage: Outage): MemoryHookCallLog {
  const hookCalls: HookCallTiming[] = [];
  return {
    hookCalls,
    async recordHookCall(call) {
      await whileUp(outage);
      hookCalls.push(call);
    },
  };
}
