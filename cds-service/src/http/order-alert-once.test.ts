/**
 * An order alert is returned once across order-select → order-sign (issue 19 §5), through HTTP
 * with the real model, the real card renderer and the real store (PGlite): the cds-hooks sandbox's
 * own order-select and order-sign requests (amoxicillin for a patient allergic to penicillin).
 * Order-sign still alerts when order-select never ran, when the order changed, in another
 * encounter, and once the window has passed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { cdsResponseSchema, type Card } from '@rationale/shared-types';
import { renderCards } from '../cards';
import { assess } from '../model/assess';
import type { PostgresStore } from '../store/postgres-store';
import { testBackends, type OpenedStore } from '../store/testing';
import { ORDER_ALERT_REPEAT_WINDOW_MS } from '../hooks/order-alerts';
import { buildHarness, type Harness } from '../test-support/harness';

// Opening PGlite compiles PostgreSQL's WASM and runs initdb: seconds on a busy machine.
jest.setTimeout(60_000);

const DIR = join(__dirname, 'fixtures', 'real-clients');
type HookBody = { hook: string; hookInstance: string; context: Record<string, unknown> } & Record<
  string,
  unknown
>;
const fixture = (name: string): HookBody =>
  JSON.parse(readFileSync(join(DIR, `${name}.json`), 'utf8')) as HookBody;

const ALLERGY = /allerg/i;

let opened: OpenedStore;
let store: PostgresStore;
let h: Harness;
let now = new Date();

beforeAll(async () => {
  opened = await testBackends()
    .find((b) => b.name === 'pglite')!
    .open();
  store = opened.store;
  h = await buildHarness({ deps: { assess, renderCards, store, clock: () => now } });
});
afterAll(async () => {
  await opened?.cleanup();
});
beforeEach(() => {
  now = new Date();
});

/** A fresh copy of the fixture for `patient`, with a new hookInstance and `change` applied to it. */
function body(
  name: 'sandbox-order-select' | 'sandbox-order-sign',
  patient: string,
  change?: (b: HookBody) => void,
) {
  const b = fixture(name);
  b.hookInstance = crypto.randomUUID();
  // Another patient id, everywhere the fixture names it, so each test starts with nothing shown.
  const text = JSON.stringify(b).replaceAll('smart-1288992', patient);
  const copy = JSON.parse(text) as HookBody;
  change?.(copy);
  return copy;
}

async function post(b: HookBody): Promise<Card[]> {
  const path = `/cds-services/rationale-${b.hook}`;
  const res = await request(h.app)
    .post(path)
    .set('Authorization', `Bearer ${await h.token(path, { now })}`)
    .send(b);
  expect(res.status).toBe(200);
  return cdsResponseSchema.parse(res.body).cards;
}

const allergyCards = (cards: Card[]) => cards.filter((c) => ALLERGY.test(`${c.summary} ${c.detail ?? ''}`));

function draftOrder(b: HookBody): Record<string, unknown> {
  const bundle = b.context.draftOrders as { entry: { resource: Record<string, unknown> }[] };
  return bundle.entry[0]!.resource;
}

describe('an order alert is returned once across order-select and order-sign', () => {
  it('order-sign for the order order-select alerted on does not repeat the alert', async () => {
    const selected = await post(body('sandbox-order-select', 'once-1'));
    expect(allergyCards(selected)).toHaveLength(1);
    const signed = await post(body('sandbox-order-sign', 'once-1'));
    expect(allergyCards(signed)).toEqual([]);
    // The card order-select returned is stored with its key; order-sign issued none.
    const uuid = allergyCards(selected)[0]!.uuid!;
    expect((await store.getIssuedCard(uuid))?.orderAlertKey).toMatch(/^[\w-]{32}$/);
  });

  it('order-sign alerts when order-select never ran for the order', async () => {
    expect(allergyCards(await post(body('sandbox-order-sign', 'once-2')))).toHaveLength(1);
  });

  it('a changed order (another dose and frequency) is checked and alerted again at order-sign', async () => {
    await post(body('sandbox-order-select', 'once-3'));
    const changed = body('sandbox-order-sign', 'once-3', (b) => {
      draftOrder(b).dosageInstruction = [
        {
          timing: { repeat: { frequency: 3, period: 1, periodUnit: 'd' } },
          doseAndRate: [{ doseQuantity: { value: 2, system: 'http://unitsofmeasure.org', code: '{pill}' } }],
        },
      ];
    });
    expect(allergyCards(await post(changed))).toHaveLength(1);
  });

  it('the same order in another encounter, or signed after the window, is alerted again', async () => {
    await post(body('sandbox-order-select', 'once-4', (b) => (b.context.encounterId = 'enc-a')));
    const otherEncounter = body('sandbox-order-sign', 'once-4', (b) => (b.context.encounterId = 'enc-b'));
    expect(allergyCards(await post(otherEncounter))).toHaveLength(1);

    await post(body('sandbox-order-select', 'once-5'));
    now = new Date(Date.now() + ORDER_ALERT_REPEAT_WINDOW_MS + 60_000);
    expect(allergyCards(await post(body('sandbox-order-sign', 'once-5')))).toHaveLength(1);
  });

  it('order-sign alerts when the store cannot say what order-select returned', async () => {
    await post(body('sandbox-order-select', 'once-8'));
    const original = store.orderAlertsShown.bind(store);
    store.orderAlertsShown = () => Promise.reject(new Error('database down'));
    try {
      expect(allergyCards(await post(body('sandbox-order-sign', 'once-8')))).toHaveLength(1);
    } finally {
      store.orderAlertsShown = original;
    }
  });

  it("another patient's order-select does not silence this patient's order-sign", async () => {
    await post(body('sandbox-order-select', 'once-6'));
    expect(allergyCards(await post(body('sandbox-order-sign', 'once-7')))).toHaveLength(1);
  });
});
