/**
 * A hook handler is data plus one function, typed by its hook's context (STYLE.md, in the style of
 * Medplum's FhirRouter): the context schema the router validates against, the prefetch templates
 * the service advertises, and `handle`, which gathers the record, runs the one pipeline and picks
 * the cards. The router (hooks/dispatch.ts) validates, dispatches, stores and answers; nothing else.
 */
import type { CdsRequest, hookContextSchemas } from '@rationale/shared-types';
import type { z } from 'zod';
import type { AssessPatientResult, CardChoice } from '../assessment';
import type { ServiceHook } from '../config';
import type { GatherReport } from '../fhir/record';
import type { ServiceDefinition } from './registry';
import type { HookCallContext, HookDeps } from './types';

/** The validated context of a hook, from the Hook Library's context table. */
export type HookContext<H extends ServiceHook> = z.infer<(typeof hookContextSchemas)[H]>;

/** One validated hook call, as a handler receives it. */
export interface HookCall<H extends ServiceHook> {
  service: ServiceDefinition;
  request: CdsRequest;
  /** The context, validated by the handler's schema, with `patientId` normalized. */
  context: HookContext<H>;
  patientId: string;
  now: Date;
  /** When the hook call began (performance.now() ms): the site models' budgets count from it. */
  startedAt: number;
  /** Topics snoozed for this patient; read while the record is gathered. */
  snoozedTopics: Promise<ReadonlySet<string>>;
  call: HookCallContext;
}

/** What a handler hands back to the router: the assessment and the chosen cards. */
export interface HookOutcome extends AssessPatientResult {
  cards: CardChoice;
  /** How each prefetch key was had: counts for the log. */
  gathered: { report: GatherReport; resources: number };
  /** Order hooks: each order-safety alert's key (alert id → key), stored with its card. */
  orderAlertKeys?: ReadonlyMap<string, string>;
}

export interface HookHandler<H extends ServiceHook> {
  hook: H;
  /** The context schema the router validates `context` against. */
  context: (typeof hookContextSchemas)[H];
  handle(call: HookCall<H>, deps: HookDeps): Promise<HookOutcome>;
}

/** The handler table: one typed handler per hook the service answers. */
export type HookHandlers = { readonly [H in ServiceHook]: HookHandler<H> };
