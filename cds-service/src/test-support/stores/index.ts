/**
 * In-memory stores for HTTP tests, one per aggregate (STYLE.md "Small interfaces"), composed here
 * into what `createApp` takes. A test that needs one aggregate builds that one alone; a test that
 * needs SQL's semantics (monitoring's counts, write-behind, expiry across replicas) runs on PGlite
 * (store/testing.ts) instead of a fake.
 */
import type { AppStore } from '../../http/app';
import { memoryAssessmentStore, type MemoryAssessmentStore } from './assessments';
import { memoryFeedbackStore, type MemoryFeedbackStore } from './feedback';
import type { Outage } from './outage';
import {
  memoryAuditLog,
  memoryHookCallLog,
  memoryOrderAlertLedger,
  memoryReplayGuard,
  type MemoryAuditLog,
  type MemoryHookCallLog,
  type MemoryReplayGuard,
} from './small';

export { memoryAssessmentStore, memoryFeedbackStore };
export { memoryAuditLog, memoryHookCallLog, memoryOrderAlertLedger, memoryReplayGuard };

export type MemoryStores = AppStore &
  MemoryAssessmentStore &
  MemoryFeedbackStore &
  MemoryReplayGuard &
  MemoryAuditLog &
  MemoryHookCallLog & {
    /** Set to make every call reject with `store-unavailable` (and `healthy()` false). */
    failing: boolean;
  };

/** Every aggregate in memory, sharing one outage switch. */
export function memoryStores(): MemoryStores {
  const outage: Outage = { down: false };
  const feedback = memoryFeedbackStore(outage);
  const audit = memoryAuditLog(outage);
  return {
    ...memoryAssessmentStore(outage, { cards: feedback, audit }),
    ...feedback,
    ...audit,
    ...memoryOrderAlertLedger(outage, feedback.issuedCards),
    ...memoryReplayGuard(outage),
    ...memoryHookCallLog(outage),
    healthy: async () => !outage.down,
    get failing() {
      return outage.down;
    },
    set failing(down: boolean) {
      outage.down = down;
    },
  };
}
