/**
 * Record text is hostile until shown otherwise (issue 18): a drug name, an observation label or a
 * condition text can carry HTML, Markdown link syntax, bare URLs, NUL or lone surrogates. Every card
 * field is checked here for every EHR profile: plain-text fields can open no HTML tag, the Markdown
 * detail renders (GFM, raw HTML allowed, as a permissive EHR renders it) with no tag, image or link
 * of the record's making, and nothing carries a control character or a lone surrogate.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { cardSchema, type Assessment, type Card, type CantMiss } from '@rationale/shared-types';
import type { EhrProfileName } from './types';
import {
  CITATIONS,
  FINDINGS,
  ckdHypothesis,
  renderAllHooks,
  statinRecommendation,
  typicalAssessment,
  warfarinNsaidAlert,
} from './fixtures';
import { escapeMarkdown, plainText, safeCard } from './text';

const HOSTILE =
  '<img src=x onerror=alert(1)> [click](https://evil.example/a) ![i](https://evil.example/i.png) ' +
  'https://evil.example/b www.evil.example mail@evil.example <https://evil.example/c> &#60;b&#62; ' +
  '*x* `y` | z \u0000 \uD800 \uDC00';

const UNSAFE =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/u;
const TAG_OPENER = /<[A-Za-z/!?]/;

function hostileAssessment(): Assessment {
  const cantMiss: CantMiss = {
    id: 'cm-1',
    conditionId: 'sepsis',
    label: `Sepsis ${HOSTILE}`,
    support: `qSOFA 2 ${HOSTILE}`,
    action: `Blood cultures ${HOSTILE}`,
    nextTests: [
      {
        label: `Lactate ${HOSTILE}`,
        code: { system: 'http://loinc.org', code: '2524-7', display: `Lactate ${HOSTILE}` },
      },
    ],
    findingIds: [],
    scoreIds: [],
    urgency: { class: 'cant-miss', basis: `Early mortality ${HOSTILE}`, citationIds: [] },
    citationIds: ['kdigo-ckd-2024'],
  };
  const order = {
    reference: 'MedicationRequest/draft-1',
    label: `ibuprofen ${HOSTILE}`,
    code: {
      system: 'http://www.nlm.nih.gov/research/umls/rxnorm',
      code: '5640',
      display: `ibuprofen ${HOSTILE}`,
    },
  };
  return typicalAssessment({
    findings: FINDINGS.map((f) => ({ ...f, label: `${f.label} ${HOSTILE}` })),
    hypotheses: [
      ckdHypothesis({
        label: `CKD ${HOSTILE}`,
        rationale: `eGFR 52 ${HOSTILE}`,
        criteria: {
          met: true,
          description: `KDIGO ${HOSTILE}`,
          findingIds: ['f-egfr-1', 'f-egfr-2'],
          citationIds: ['kdigo-ckd-2024'],
        },
      }),
    ],
    nextBestTests: [
      {
        id: 'nbt-uacr',
        label: `UACR ${HOSTILE}`,
        code: { system: 'http://loinc.org', code: '9318-7' },
        conditionIds: ['ckd'],
        expectedChange: 0.04,
        rationale: HOSTILE,
        citationIds: [],
      },
    ],
    recommendations: [
      statinRecommendation({
        title: `Start statin ${HOSTILE}`,
        rationale: `Diabetes ${HOSTILE}`,
        proposedOrders: [
          {
            resourceType: 'MedicationRequest',
            code: {
              system: 'http://www.nlm.nih.gov/research/umls/rxnorm',
              code: '83367',
              display: `atorvastatin ${HOSTILE}`,
            },
            instruction: `atorvastatin ${HOSTILE}`,
          },
        ],
        contraindicationsChecked: [{ label: `Myopathy ${HOSTILE}`, present: true, findingIds: [] }],
      }),
    ],
    safety: [
      warfarinNsaidAlert({
        title: `Warfarin + ${HOSTILE}`,
        detail: HOSTILE,
        order,
        alternative: {
          resourceType: 'MedicationRequest',
          code: {
            system: 'http://www.nlm.nih.gov/research/umls/rxnorm',
            code: '161',
            display: `acetaminophen ${HOSTILE}`,
          },
          instruction: `acetaminophen ${HOSTILE}`,
        },
      }),
    ],
    cantMiss: [cantMiss],
    citations: CITATIONS,
  });
}

/** Every plain-text field of a card, named. */
function plainFields(card: Card): Array<[string, string]> {
  return [
    ['summary', card.summary],
    ['source.label', card.source.label],
    ['source.topic.display', card.source.topic?.display ?? ''],
    ...(card.suggestions ?? []).flatMap((s, i): Array<[string, string]> => [
      [`suggestions[${i}].label`, s.label],
      ...(s.actions ?? []).map((a, j): [string, string] => [
        `suggestions[${i}].actions[${j}].description`,
        a.description,
      ]),
    ]),
    ...(card.links ?? []).map((l, i): [string, string] => [`links[${i}].label`, l.label]),
    ...(card.overrideReasons ?? []).map((r, i): [string, string] => [
      `overrideReasons[${i}].display`,
      r.display,
    ]),
  ];
}

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/**
 * GFM rendered by micromark (the parser under the sandbox's react-markdown) with raw HTML allowed,
 * as a permissive EHR renders it; in a child process because micromark is ESM-only.
 */
function renderGfm(markdown: readonly string[]): string[] {
  const script = `
    import { micromark } from 'micromark';
    import { gfm, gfmHtml } from 'micromark-extension-gfm';
    let input = '';
    process.stdin.on('data', (d) => (input += d));
    process.stdin.on('end', () => {
      const out = JSON.parse(input).map((m) =>
        micromark(m, { allowDangerousHtml: true, extensions: [gfm()], htmlExtensions: [gfmHtml()] }),
      );
      process.stdout.write(JSON.stringify(out));
    });`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: REPO_ROOT,
    input: JSON.stringify(markdown),
  });
  return JSON.parse(out.toString('utf8')) as string[];
}

const PROFILES: EhrProfileName[] = ['generic', 'epic', 'oracle'];

describe('record text in cards', () => {
  const rendered = PROFILES.map((profile) => ({
    profile,
    cards: renderAllHooks(hostileAssessment(), { profile, budget: 10 }).cards.map((c) => c.card),
  }));

  it('yields every kind of card for the hostile record, each valid CDS Hooks', () => {
    for (const { cards } of rendered) {
      // can't-miss, recommendation and diagnosis on patient-view; the safety card on order-sign
      expect(cards.length).toBeGreaterThanOrEqual(4);
      for (const card of cards) expect(cardSchema.safeParse(card).success).toBe(true);
    }
  });

  it('carries no HTML tag opener, control character or lone surrogate in any plain-text field', () => {
    const bad: string[] = [];
    for (const { profile, cards } of rendered) {
      for (const [i, card] of cards.entries()) {
        for (const [field, text] of plainFields(card)) {
          if (TAG_OPENER.test(text) || UNSAFE.test(text)) bad.push(`${profile} card ${i} ${field}: ${text}`);
        }
        expect(card.summary.length).toBeLessThan(140);
      }
    }
    expect(bad).toEqual([]);
    // The record's text is shown, neutralized, not dropped: the summary still names the drug.
    const safety = rendered[0]?.cards.find((c) => c.indicator !== 'info' && c.summary.startsWith('Warfarin'));
    expect(safety?.summary).toContain('Warfarin + \u2039img src=x onerror=alert(1)>');
    expect(safety?.suggestions?.[0]?.label).toContain('ibuprofen \u2039img');
    expect(safety?.suggestions?.[0]?.label).toContain('\uFFFD');
  });

  it('renders the Markdown detail with no tag, image or link from the record, and shows the text', () => {
    for (const { profile, cards } of rendered) {
      const details = cards.map((c) => c.detail ?? '');
      for (const d of details) expect(UNSAFE.test(d)).toBe(false);
      const html = renderGfm(details);
      for (const [i, h] of html.entries()) {
        const where = `${profile} card ${i}`;
        expect({ where, img: /<img/i.test(h) }).toEqual({ where, img: false });
        // The only tags are the renderer's own formatting and our citation links.
        const tags = [...h.matchAll(/<([a-z0-9]+)[\s>]/gi)].map((m) => m[1]?.toLowerCase());
        expect({ where, tags: tags.filter((t) => !['p', 'strong', 'a', 'code'].includes(t ?? '')) }).toEqual({
          where,
          tags: [],
        });
        const hrefs = [...h.matchAll(/href="([^"]*)"/g)].map((m) => m[1] ?? '');
        expect({ where, hrefs: hrefs.filter((u) => /evil|mailto|javascript/i.test(u)) }).toEqual({
          where,
          hrefs: [],
        });
        expect(h).not.toContain('<code>y</code>'); // backticks in record text stay literal
      }
      // The text itself is there, literally: a reader sees what the record says.
      expect(html.join('\n')).toContain('https://evil.example/b www.evil.example mail@evil.example');
      expect(html.join('\n')).toContain('&lt;img src=x onerror=alert(1)&gt;');
    }
  });
});

describe('escapeMarkdown, plainText and safeCard', () => {
  it('keeps comparison signs readable and escapes what GFM would act on', () => {
    expect(escapeMarkdown('eGFR < 60, see https://a.example or www.a.example, x@a.example')).toBe(
      'eGFR < 60, see https\\://a.example or www\\.a.example, x\\@a.example',
    );
    expect(escapeMarkdown('1. ~~struck~~ &amp;')).toBe('1\\. \\~\\~struck\\~\\~ \\&amp;');
    expect(plainText('eGFR < 60 <script>x</script>\u0000')).toBe(
      'eGFR < 60 \u2039script>x\u2039/script>\uFFFD',
    );
  });

  it('cleans every plain-text field of a card handed to it and keeps its structure', () => {
    const card: Card = {
      uuid: 'u',
      summary: '<b>s</b>',
      detail: 'd\u0000',
      indicator: 'info',
      source: { label: '<i>l</i>', topic: { system: 's', code: 'c', display: '<u>t</u>' } },
      suggestions: [{ label: '<a>', actions: [{ type: 'create', description: '<x>' }] }],
      selectionBehavior: 'any',
      links: [{ label: '<l>', url: 'https://app.example', type: 'smart' }],
      overrideReasons: [{ system: 's', code: 'c', display: '<o>' }],
    };
    const safe = safeCard(card);
    expect(plainFields(safe).filter(([, t]) => TAG_OPENER.test(t))).toEqual([]);
    expect(safe.detail).toBe('d\uFFFD');
    expect(safe.links?.[0]?.url).toBe('https://app.example');
    expect(safe.source.topic?.code).toBe('c');
  });
});
