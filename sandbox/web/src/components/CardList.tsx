import { useState } from 'react';
import type { Action, Card } from '../api';
import { ehrApi } from '../api';
import type { CdsSession, ServiceCards } from '../cds-session';
import { serviceKey } from '../cds-session';
import { CdsCard, type CardOutcome } from './CdsCard';

type Suggestion = NonNullable<Card['suggestions']>[number];
type Link = NonNullable<Card['links']>[number];

export interface CardListProps {
  session: CdsSession;
  cards: Array<{ card: Card; index: number; slot: ServiceCards }>;
  patientId: string;
  userId: string;
  /** Heading of the region, e.g. "Decision support". */
  title: string;
  busy: boolean;
  emptyText: string;
  /** Cards the EHR profile refused to display. */
  rejected?: number;
  /**
   * Splits a suggestion's actions: those the page applies itself (to draft orders in the basket)
   * and the rest, applied to the FHIR server.
   */
  localActions?: (actions: Action[]) => Action[];
  onApplied?: () => void;
  /** `relaunch` creates a fresh launch of the same link (launch codes are single-use). */
  onLaunch: (url: string, title: string, relaunch: () => Promise<string>) => void;
}

function cardKey(slot: ServiceCards, card: Card, index: number): string {
  return `${serviceKey(slot.service)}#${slot.hookInstance}#${card.uuid ?? index}`;
}

/** Cards sorted critical first, with accept / override / launch wired to the EHR API. */
export function CardList({
  session,
  cards,
  patientId,
  userId,
  title,
  busy,
  emptyText,
  rejected = 0,
  localActions,
  onApplied,
  onLaunch,
}: CardListProps) {
  const [outcomes, setOutcomes] = useState<Record<string, CardOutcome>>({});
  const setOutcome = (key: string, outcome: CardOutcome) => setOutcomes((o) => ({ ...o, [key]: outcome }));

  async function accept(slot: ServiceCards, card: Card, index: number, suggestion: Suggestion) {
    const key = cardKey(slot, card, index);
    const previous = outcomes[key];
    const already = previous && 'acceptedSuggestions' in previous ? (previous.acceptedSuggestions ?? []) : [];
    const suggestionKey = suggestion.uuid ?? String(card.suggestions?.indexOf(suggestion) ?? 0);
    setOutcome(key, { status: 'working' });
    try {
      const actions = suggestion.actions ?? [];
      const handledLocally = localActions ? localActions(actions) : [];
      const remote = actions.filter((a) => !handledLocally.includes(a));
      const applied = remote.length
        ? await ehrApi.apply(patientId, remote)
        : { created: [], updated: [], deleted: [] };
      const parts = [
        applied.created.length ? `created ${applied.created.join(', ')}` : '',
        applied.updated.length ? `updated ${applied.updated.join(', ')}` : '',
        applied.deleted.length ? `deleted ${applied.deleted.join(', ')}` : '',
        handledLocally.length ? `${handledLocally.length} change(s) to the order basket` : '',
      ].filter(Boolean);
      // Accepted-suggestion feedback needs both uuids (STU2 §Feedback).
      let feedbackNote = '';
      if (card.uuid && suggestion.uuid) {
        const result = await session.sendFeedback(slot.service, {
          card: card.uuid,
          outcome: 'accepted',
          acceptedSuggestions: [{ id: suggestion.uuid }],
          outcomeTimestamp: new Date().toISOString(),
        });
        feedbackNote = result ? `; feedback ${result.status}` : '; feedback failed';
      }
      setOutcome(key, {
        status: 'accepted',
        acceptedSuggestions: [...already, suggestionKey],
        message: `Accepted: ${parts.join('; ') || 'no actions'}${feedbackNote}`,
      });
      onApplied?.();
    } catch (error) {
      setOutcome(key, {
        status: 'error',
        acceptedSuggestions: already,
        message: `Could not apply: ${(error as Error).message}`,
      });
    }
  }

  async function override(
    slot: ServiceCards,
    card: Card,
    index: number,
    reason: NonNullable<Card['overrideReasons']>[number] | undefined,
    comment: string,
  ) {
    const key = cardKey(slot, card, index);
    if (!card.uuid) {
      setOutcome(key, {
        status: 'overridden',
        message: 'Dismissed (the card has no uuid, so no feedback can be sent)',
      });
      return;
    }
    setOutcome(key, { status: 'working' });
    const overrideReason: {
      reason?: { system?: string; code?: string; display?: string };
      userComment?: string;
    } = {};
    if (reason) overrideReason.reason = reason;
    if (comment.trim()) overrideReason.userComment = comment.trim();
    const result = await session.sendFeedback(slot.service, {
      card: card.uuid,
      outcome: 'overridden',
      ...(Object.keys(overrideReason).length ? { overrideReason } : {}),
      outcomeTimestamp: new Date().toISOString(),
    });
    setOutcome(key, {
      status: 'overridden',
      message: result
        ? `Overridden${reason ? `: ${reason.display}` : ''} (feedback ${result.status})`
        : 'Overridden, but the feedback could not be sent',
    });
  }

  async function launch(link: Link) {
    try {
      const request = { patientId, userId, appContext: link.appContext, url: link.url };
      const { url } = await ehrApi.launch(request);
      onLaunch(url, link.label, async () => (await ehrApi.launch(request)).url);
    } catch (error) {
      session.addLog({
        kind: 'error',
        at: new Date().toISOString(),
        message: `launch ${link.url}: ${(error as Error).message}`,
      });
    }
  }

  return (
    <section className="card-list" aria-label={title} aria-busy={busy}>
      <h2>
        {title} {busy && <span className="muted small">(asking CDS services…)</span>}
      </h2>
      {cards.length === 0 && !busy && <p className="muted">{emptyText}</p>}
      {rejected > 0 && (
        <p role="note" className="small error">
          {rejected} card(s) not shown: they break the EHR profile&apos;s rules (see the inspector).
        </p>
      )}
      {cards.map(({ card, index, slot }) => {
        const key = cardKey(slot, card, index);
        const outcome = outcomes[key] ?? { status: 'open' };
        return (
          <CdsCard
            key={key}
            card={card}
            serviceLabel={slot.service.title ?? slot.service.serviceId}
            outcome={outcome}
            onAccept={(s) => void accept(slot, card, index, s)}
            onOverride={(r, c) => void override(slot, card, index, r, c)}
            onLaunch={(l) => void launch(l)}
          />
        );
      })}
    </section>
  );
}
