import { useRef, useState } from 'react';
import { draftMedicationRequest, ORDER_CATALOG } from '../../../src/ehr/order-catalog';
import { ehrApi, type Action, type Resource } from '../api';
import type { CdsSession } from '../cds-session';
import { asChartResource, medicationText } from '../fhir-format';
import { CardList } from './CardList';

export interface OrderEntryProps {
  session: CdsSession;
  patientId: string;
  userId: string;
  onSigned: () => void;
  onLaunch: (url: string, title: string, relaunch: () => Promise<string>) => void;
}

type Draft = Resource & { id: string };

function bundle(drafts: Draft[]) {
  return { resourceType: 'Bundle', type: 'collection', entry: drafts.map((resource) => ({ resource })) };
}

/**
 * Order entry: pick a medication → a draft MedicationRequest in the basket → `order-select`;
 * sign → `order-sign`, whose cards show before the signature is confirmed.
 */
export function OrderEntry({ session, patientId, userId, onSigned, onLaunch }: OrderEntryProps) {
  const [choice, setChoice] = useState(ORDER_CATALOG[0]?.key ?? '');
  const [basket, setBasketState] = useState<Draft[]>([]);
  const basketRef = useRef<Draft[]>([]);
  const [stage, setStage] = useState<'composing' | 'reviewing-signature' | 'signing'>('composing');
  const [message, setMessage] = useState('');
  const setBasket = (next: Draft[]) => {
    basketRef.current = next;
    setBasketState(next);
  };
  const newDraftId = () => `draft-${crypto.randomUUID().slice(0, 8)}`;

  async function add() {
    const medication = ORDER_CATALOG.find((m) => m.key === choice);
    if (!medication) return;
    const draft = draftMedicationRequest(
      medication,
      { id: newDraftId(), patientId, userId },
      new Date(),
    ) as unknown as Draft;
    const next = [...basketRef.current, draft];
    setBasket(next);
    setStage('composing');
    setMessage('');
    session.clearHook('order-sign');
    await session.fire('order-select', {
      selections: [`MedicationRequest/${draft.id}`],
      draftOrders: bundle(next),
    });
  }

  function remove(id: string) {
    const next = basketRef.current.filter((d) => d.id !== id);
    setBasket(next);
    if (next.length === 0) {
      session.clearHook('order-select');
      session.clearHook('order-sign');
      setStage('composing');
    }
  }

  async function sign() {
    setStage('reviewing-signature');
    await session.fire('order-sign', { draftOrders: bundle(basketRef.current) });
  }

  async function confirmSignature() {
    setStage('signing');
    try {
      const actions: Action[] = basketRef.current.map((draft) => {
        const { id: _draftId, ...rest } = draft;
        return {
          type: 'create',
          description: `Sign ${medicationText(draft)}`,
          resource: { ...rest, status: 'active' },
        };
      });
      const result = await ehrApi.apply(patientId, actions);
      setMessage(`Signed: ${result.created.join(', ')}`);
      setBasket([]);
      session.clearHook('order-select');
      session.clearHook('order-sign');
      onSigned();
    } catch (error) {
      setMessage(`Could not sign: ${(error as Error).message}`);
    } finally {
      setStage('composing');
    }
  }

  /** Suggestions on order cards act on the basket: delete a draft, or add a draft alternative. */
  function localActions(actions: Action[]): Action[] {
    const handled: Action[] = [];
    let next = basketRef.current;
    for (const action of actions) {
      const target =
        action.resourceId ??
        (action.type === 'delete' && action.resource?.id
          ? `${action.resource.resourceType}/${action.resource.id}`
          : undefined);
      if (action.type === 'delete' && target && next.some((d) => `${d.resourceType}/${d.id}` === target)) {
        next = next.filter((d) => `${d.resourceType}/${d.id}` !== target);
        handled.push(action);
      } else if (
        action.type === 'create' &&
        action.resource?.resourceType === 'MedicationRequest' &&
        action.resource.status === 'draft'
      ) {
        next = [...next, { ...(action.resource as Resource), id: newDraftId() }];
        handled.push(action);
      }
    }
    setBasket(next);
    return handled;
  }

  const orderCards = session.cardsFor(['order-select', 'order-sign']);
  const busy = (session.pending['order-select'] ?? 0) + (session.pending['order-sign'] ?? 0) > 0;

  return (
    <section className="order-entry" aria-label="Order entry">
      <h2>Order entry</h2>
      <div className="order-compose">
        <label>
          Medication{' '}
          <select value={choice} onChange={(e) => setChoice(e.target.value)}>
            {ORDER_CATALOG.map((m) => (
              <option key={m.key} value={m.key}>
                {m.text} (RxNorm {m.rxnorm})
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => void add()}>
          Add order
        </button>
        <p className="muted small">Exercises: {ORDER_CATALOG.find((m) => m.key === choice)?.exercises}</p>
      </div>
      <h3>Order basket</h3>
      {basket.length === 0 ? (
        <p className="muted">No pending orders</p>
      ) : (
        <ul aria-label="Order basket">
          {basket.map((d) => (
            <li key={d.id}>
              {medicationText(d)}{' '}
              <span className="muted small">
                {asChartResource(d).dosageInstruction?.[0]?.text} · {d.id}
              </span>{' '}
              <button type="button" onClick={() => remove(d.id)} aria-label={`Remove ${medicationText(d)}`}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="order-actions">
        <button
          type="button"
          disabled={basket.length === 0 || stage !== 'composing'}
          onClick={() => void sign()}
        >
          Sign orders
        </button>
        {stage === 'reviewing-signature' && (
          <button
            type="button"
            disabled={busy || basket.length === 0}
            onClick={() => void confirmSignature()}
          >
            Confirm signature
          </button>
        )}
        {message && <span role="status">{message}</span>}
      </div>
      <CardList
        session={session}
        cards={orderCards}
        patientId={patientId}
        userId={userId}
        title="Order safety"
        busy={busy}
        rejected={session.rejectedFor(['order-select', 'order-sign'])}
        emptyText={
          basket.length
            ? 'No order-safety cards for these orders.'
            : 'Add an order to see order-select cards.'
        }
        localActions={localActions}
        onLaunch={onLaunch}
      />
    </section>
  );
}
