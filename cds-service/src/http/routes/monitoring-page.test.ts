/**
 * @jest-environment jsdom
 */
import { renderMonitoringPage } from '../../monitoring/page';
import type { MonitoringReport } from '../../monitoring/report';

const QUERY = {
  from: new Date('2025-03-01T00:00:00Z'),
  to: new Date('2025-03-17T00:00:00Z'),
  period: 'week' as const,
};

const ROW: MonitoringReport['rows'][number] = {
  period: '2025-03-03',
  topic: 'dxckd',
  shown: 4,
  silent: 1,
  accepted: 1,
  overridden: 1,
  overrideReasons: { '<img src=x onerror=alert(1)>': 1 },
  snoozed: 1,
  appAgree: 2,
  appDisagree: 0,
  acceptanceRate: 0.25,
};

const SUMMARY: NonNullable<MonitoringReport['summary']> = {
  totals: {
    cardsShown: 4,
    cardsSilent: 1,
    uniquePatients: 2,
    uniqueClinicians: 1,
    hookCalls: 3,
    appLaunches: 1,
    appLaunchAssessments: 1,
  },
  byService: [
    { service: 'rationale-patient-view', calls: 3, cardsShown: 4, uniquePatients: 2, uniqueClinicians: 1 },
  ],
  byRole: [{ role: 'Practitioner', cardsShown: 4, uniqueClinicians: 1, accepted: 1, overridden: 1 }],
  byTopic: [
    { topic: 'dxckd', display: 'Possible Chronic kidney disease', uniquePatients: 2, uniqueClinicians: 1 },
  ],
  byVersion: [
    {
      model: 'rationale-knowledge-model',
      version: '1.0.0',
      knowledgeBaseHash: 'sha256-abc',
      assessments: 3,
      cardsShown: 4,
      cardsSilent: 1,
    },
  ],
  byDataQuality: [{ kind: 'resource-skipped', issues: 3, assessments: 2 }],
};

const REPORT: MonitoringReport = {
  from: '2025-03-01T00:00:00.000Z',
  to: '2025-03-17T00:00:00.000Z',
  period: 'week',
  generatedAt: '2025-03-20T12:00:00.000Z',
  overrideReasonCodes: ['<img src=x onerror=alert(1)>'],
  rows: [ROW],
  totals: [{ ...ROW, period: 'total' }],
  summary: SUMMARY,
  configuration: {
    silent: false,
    silentHooks: ['order-sign'],
    rows: [{ setting: 'LLM reasoner', value: 'off' }],
  },
};

type FetchCall = [string, { headers: Record<string, string> }];

// cds-service compiles without the DOM library; the few DOM members this test touches, typed here.
interface Element {
  textContent: string | null;
  value: string;
  children: ArrayLike<Element> & Iterable<Element>;
  getAttribute(name: string): string | null;
  dispatchEvent(event: unknown): boolean;
  click(): void;
}
interface Document {
  documentElement: { innerHTML: string };
  body: { appendChild(node: Element): void };
  createElement(tag: string): Element;
  querySelector(selector: string): Element | null;
  querySelectorAll(selector: string): ArrayLike<Element> & Iterable<Element>;
  getElementById(id: string): Element | null;
}
const dom = globalThis as unknown as {
  document: Document;
  window: { fetch: unknown };
  Event: new (type: string, init?: { cancelable?: boolean; bubbles?: boolean }) => unknown;
};
const document = dom.document;

/** Loads the page into jsdom and runs its inline script against a stubbed fetch. */
function loadPage(response: Partial<Response>): jest.Mock {
  const html = renderMonitoringPage({ nonce: 'n', basePath: '/admin', query: QUERY });
  document.documentElement.innerHTML = html
    .replace(/^<!doctype html>\s*<html lang="en">/, '')
    .replace(/<\/html>\s*$/, '');
  const script = document.querySelector('script')?.textContent ?? '';
  const fetchMock = jest.fn(() => Promise.resolve(response));
  dom.window.fetch = fetchMock;
  // jsdom runs an inserted script element, as a browser would.
  const element = document.createElement('script');
  element.textContent = script;
  document.body.appendChild(element);
  return fetchMock;
}

async function settle(): Promise<void> {
  for (let i = 0; i < 30; i++) await Promise.resolve();
}

function submit(token: string): void {
  document.getElementById('token')!.value = token;
  document
    .getElementById('filters')!
    .dispatchEvent(new dom.Event('submit', { cancelable: true, bubbles: true }));
}

describe('the monitoring page script', () => {
  it('sends the typed token as a header, never in the URL, and moves in the report the server rendered', async () => {
    const authorized = renderMonitoringPage({ nonce: 'n', basePath: '/admin', query: QUERY, report: REPORT });
    const fetchMock = loadPage({ ok: true, status: 200, text: () => Promise.resolve(authorized) });
    submit('s3cret-admin-token');
    await settle();

    expect(fetchMock).toHaveBeenCalledTimes(1);
    const [url, init] = fetchMock.mock.calls[0] as FetchCall;
    expect(url).toBe('/admin/?from=2025-03-01&to=2025-03-16&period=week');
    expect(url).not.toContain('s3cret');
    expect(init.headers).toEqual({ Authorization: 'Bearer s3cret-admin-token' });

    const cells = [...document.querySelectorAll('#rows tbody tr')].map((tr) =>
      [...tr.children].map((c) => c.textContent),
    );
    expect(cells).toEqual([
      [
        'Possible Chronic kidney disease',
        '2025-03-03',
        '4',
        '1',
        '1',
        '25.0%',
        '1',
        '<img src=x onerror=alert(1)>: 1',
        '1',
        '2',
        '0',
      ],
    ]);
    expect(document.querySelector('#rows tbody img')).toBeNull();
    // Impressions beside unique patients and clinicians; card types by their readable names.
    expect(document.getElementById('cards-shown')?.textContent).toBe('4');
    expect(document.getElementById('unique-patients')?.textContent).toBe('2');
    expect(document.getElementById('unique-clinicians')?.textContent).toBe('1');
    expect(document.querySelector('#by-topic tbody th')?.textContent).toBe('Possible Chronic kidney disease');
    // What of the records could not be read, by kind in words.
    expect(
      [...document.querySelectorAll('#by-data-quality tbody tr')].map((tr) =>
        [...tr.children].map((c) => c.textContent),
      ),
    ).toEqual([['A resource the model needs was unreadable and skipped', '3', '2']]);
    expect(document.getElementById('silent-status')?.textContent).toMatch(/Partly silent: order-sign/);
    expect(document.querySelector('#configuration tbody td')?.textContent).toBe('off');
    expect(document.querySelector('#rows tbody th')?.getAttribute('scope')).toBe('row');
    expect(document.querySelectorAll('#totals tbody tr')).toHaveLength(1);
    expect(document.getElementById('status')?.textContent).toBe(
      '1 topics, 4 cards shown, 1 accepted, 2025-03-01 to 2025-03-17 by week.',
    );
  });

  it('says so when the token is refused, and keeps the tables empty', async () => {
    loadPage({ ok: false, status: 401 });
    submit('wrong');
    await settle();
    expect(document.getElementById('status')?.textContent).toBe('The admin token was not accepted.');
    expect(document.querySelectorAll('#rows tbody tr')).toHaveLength(0);
  });

  it('asks for the CSV with the same filters and header', async () => {
    const fetchMock = loadPage({ ok: false, status: 503 });
    document.getElementById('token')!.value = 'tok';
    document.getElementById('period')!.value = 'month';
    document.getElementById('csv')!.click();
    await settle();
    const [url, init] = fetchMock.mock.calls[0] as FetchCall;
    expect(url).toBe('/admin/monitoring.csv?from=2025-03-01&to=2025-03-16&period=month');
    expect(init.headers).toEqual({ Authorization: 'Bearer tok' });
    expect(document.getElementById('status')?.textContent).toBe('The report could not be loaded (HTTP 503).');
  });
});
