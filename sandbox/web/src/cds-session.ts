/**
 * The page's CDS Hooks client state for one open chart: discovered services, the cards each
 * service last returned, and the inspector's log. When a hook fires again, the cards of that
 * service id replace its earlier ones (CDS Hooks STU2 L555; cds-hooks.md pain point §13.6).
 */
import { useCallback, useMemo, useRef, useState } from 'react';
import {
  ehrApi,
  type Card,
  type CdsService,
  type FeedbackEntry,
  type FeedbackResult,
  type HookCall,
  type HookName,
  type HookResult,
} from './api';
import type { EhrSettings } from './settings';

export interface ServiceRef {
  serviceBase: string;
  serviceId: string;
  hook: HookName;
  title?: string;
}

export interface ServiceCards {
  service: ServiceRef;
  cards: Card[];
  /** Cards the EHR profile refused to show (the inspector says why). */
  rejected: number;
  hookInstance: string;
  firedAt: string;
}

export type LogEntry =
  | { kind: 'hook'; at: string; result: HookResult; serviceBase: string; replaced?: number }
  | { kind: 'feedback'; at: string; result: FeedbackResult; outcome: string }
  | {
      kind: 'discovery';
      at: string;
      url: string;
      status: 'ok' | 'error';
      message: string;
      durationMs?: number;
    }
  | { kind: 'error'; at: string; message: string };

export interface DiscoveryState {
  url: string;
  status: 'loading' | 'ok' | 'error';
  services: CdsService[];
  error?: string;
}

/** Key of a service's card slot: cards are replaced per service id and hook. */
export function serviceKey(service: ServiceRef): string {
  return `${service.serviceBase}#${service.serviceId}#${service.hook}`;
}

export const INDICATOR_ORDER: Record<Card['indicator'], number> = { critical: 0, warning: 1, info: 2 };

export function useCdsSession(settings: EhrSettings, patientId: string, userId: string) {
  const [discovery, setDiscovery] = useState<Record<string, DiscoveryState>>({});
  const [cardsByService, setCardsByService] = useState<Record<string, ServiceCards>>({});
  const [log, setLog] = useState<LogEntry[]>([]);
  const [pending, setPending] = useState<Record<string, number>>({});
  const discoveryRef = useRef<Record<string, Promise<CdsService[]>>>({});
  const cardsRef = useRef(cardsByService);
  cardsRef.current = cardsByService;

  const addLog = useCallback(
    (entry: LogEntry) => setLog((previous) => [entry, ...previous].slice(0, 200)),
    [],
  );

  const discover = useCallback(
    (url: string): Promise<CdsService[]> => {
      discoveryRef.current[url] ??= (async () => {
        setDiscovery((d) => ({ ...d, [url]: { url, status: 'loading', services: [] } }));
        try {
          const result = await ehrApi.discover(url);
          setDiscovery((d) => ({ ...d, [url]: { url, status: 'ok', services: result.services } }));
          addLog({
            kind: 'discovery',
            at: new Date().toISOString(),
            url,
            status: 'ok',
            message: `${result.services.length} services`,
            durationMs: result.durationMs,
          });
          return result.services;
        } catch (error) {
          delete discoveryRef.current[url];
          const message = (error as Error).message;
          setDiscovery((d) => ({ ...d, [url]: { url, status: 'error', services: [], error: message } }));
          addLog({ kind: 'discovery', at: new Date().toISOString(), url, status: 'error', message });
          return [];
        }
      })();
      return discoveryRef.current[url];
    },
    [addLog],
  );

  /** Fires a hook at every configured service that answers it; resolves when all have answered. */
  const fire = useCallback(
    async (hook: HookName, extra: Pick<HookCall, 'draftOrders' | 'selections'> = {}): Promise<void> => {
      const counterKey = hook;
      setPending((p) => ({ ...p, [counterKey]: (p[counterKey] ?? 0) + 1 }));
      try {
        await Promise.all(
          settings.cdsServices.map(async (serviceBase) => {
            const services = (await discover(serviceBase)).filter((s) => s.hook === hook);
            await Promise.all(
              services.map(async (service) => {
                const ref: ServiceRef = { serviceBase, serviceId: service.id, hook, title: service.title };
                try {
                  const result = await ehrApi.fireHook({
                    serviceBase,
                    serviceId: service.id,
                    hook,
                    patientId,
                    userId,
                    prefetchMode: settings.prefetchMode,
                    sendFhirAuthorization: settings.sendFhirAuthorization,
                    profile: settings.profile,
                    ...extra,
                  });
                  const key = serviceKey(ref);
                  const replaced = cardsRef.current[key]?.cards.length;
                  if (!result.skipped) {
                    const slot: ServiceCards = {
                      service: ref,
                      cards: result.cards,
                      rejected: result.conformance.rejected.length,
                      hookInstance: result.hookInstance,
                      firedAt: new Date().toISOString(),
                    };
                    cardsRef.current = { ...cardsRef.current, [key]: slot };
                    setCardsByService(cardsRef.current);
                  }
                  addLog({ kind: 'hook', at: new Date().toISOString(), result, serviceBase, replaced });
                } catch (error) {
                  addLog({
                    kind: 'error',
                    at: new Date().toISOString(),
                    message: `${hook} → ${service.id}: ${(error as Error).message}`,
                  });
                }
              }),
            );
          }),
        );
      } finally {
        setPending((p) => ({ ...p, [counterKey]: (p[counterKey] ?? 1) - 1 }));
      }
    },
    [settings, discover, patientId, userId, addLog],
  );

  const sendFeedback = useCallback(
    async (service: ServiceRef, entry: FeedbackEntry) => {
      try {
        const result = await ehrApi.sendFeedback(service.serviceBase, service.serviceId, [entry]);
        addLog({ kind: 'feedback', at: new Date().toISOString(), result, outcome: entry.outcome });
        return result;
      } catch (error) {
        addLog({
          kind: 'error',
          at: new Date().toISOString(),
          message: `feedback → ${service.serviceId}: ${(error as Error).message}`,
        });
        return undefined;
      }
    },
    [addLog],
  );

  const clearHook = useCallback((hook: HookName) => {
    const next = Object.fromEntries(
      Object.entries(cardsRef.current).filter(([, slot]) => slot.service.hook !== hook),
    );
    cardsRef.current = next;
    setCardsByService(next);
  }, []);

  const cardsFor = useCallback(
    (hooks: HookName[]) =>
      Object.values(cardsByService)
        .filter((slot) => hooks.includes(slot.service.hook))
        .flatMap((slot) => slot.cards.map((card, index) => ({ card, index, slot })))
        .sort((a, b) => INDICATOR_ORDER[a.card.indicator] - INDICATOR_ORDER[b.card.indicator]),
    [cardsByService],
  );

  const rejectedFor = useCallback(
    (hooks: HookName[]) =>
      Object.values(cardsByService)
        .filter((slot) => hooks.includes(slot.service.hook))
        .reduce((sum, slot) => sum + slot.rejected, 0),
    [cardsByService],
  );

  return useMemo(
    () => ({
      discovery,
      cardsByService,
      log,
      pending,
      fire,
      sendFeedback,
      cardsFor,
      rejectedFor,
      clearHook,
      addLog,
    }),
    [discovery, cardsByService, log, pending, fire, sendFeedback, cardsFor, rejectedFor, clearHook, addLog],
  );
}

export type CdsSession = ReturnType<typeof useCdsSession>;
