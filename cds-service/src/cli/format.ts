/**
 * Readable Markdown renderings for the CLI: a card as a physician would see it in the EHR (summary,
 * detail, suggestions, override reasons, link), and tables for an Epic analyst.
 */
import type { Card } from '@rationale/shared-types';
import type { RenderedCard, SuppressedCard } from '../cards/types';

const INDICATOR_LABEL = { info: 'INFO', warning: 'WARNING', critical: 'CRITICAL' } as const;

function actionText(card: Card, index: number): string[] {
  const s = card.suggestions?.[index];
  if (!s) return [];
  const mark = s.isRecommended ? '[x]' : '[ ]';
  const actions = (s.actions ?? []).map((a) => {
    const target = a.type === 'delete' ? (a.resourceId ?? '') : (a.resource?.resourceType ?? '');
    return `${a.type} ${target}`.trim();
  });
  return [`- ${mark} ${s.label}${actions.length > 0 ? ` (${actions.join('; ')})` : ''}`];
}

/** One card as Markdown, numbered, its detail indented under the heading as the EHR would show it. */
export function cardToMarkdown(rendered: RenderedCard, position: number): string {
  const { card } = rendered;
  const lines: string[] = [
    `### ${position}. [${INDICATOR_LABEL[card.indicator]}] ${card.summary}`,
    '',
    `Topic \`${rendered.topic}\` · source ${card.source.label}${card.source.url ? ` (${card.source.url})` : ''}`,
    '',
  ];
  if (card.detail) lines.push(card.detail, '');
  if (card.suggestions && card.suggestions.length > 0) {
    lines.push(`**Suggestions** (${card.selectionBehavior ?? 'any'}):`, '');
    card.suggestions.forEach((_, i) => lines.push(...actionText(card, i)));
    lines.push('');
  }
  if (card.overrideReasons && card.overrideReasons.length > 0) {
    lines.push(`**Override reasons:** ${card.overrideReasons.map((r) => r.display).join(' · ')}`, '');
  }
  for (const link of card.links ?? []) {
    const context = link.appContext ? `, appContext \`${link.appContext}\`` : '';
    lines.push(`**Link:** ${link.label} → ${link.url} (${link.type}${context})`, '');
  }
  return lines.join('\n').trimEnd();
}

const REASON_TEXT: Record<SuppressedCard['reason'], string> = {
  budget: 'over the card budget',
  snoozed: 'snoozed for this patient',
  'below-threshold': 'below the posterior threshold',
  excluded: 'withheld by an exclusion (e.g. hospice care)',
  recorded: 'already on the problem list',
  'shown-at-order-select': 'returned at order-select for the same order',
  'silent-model': 'site model in silent mode',
};

export function suppressedToMarkdown(suppressed: readonly SuppressedCard[]): string {
  if (suppressed.length === 0) return '_Nothing held back._';
  return suppressed.map((s) => `- \`${s.topic}\`: ${REASON_TEXT[s.reason]}`).join('\n');
}

/** A GitHub-flavored Markdown table; pipes in cells are escaped. */
export function markdownTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const cell = (c: string) => c.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return [
    `| ${header.map(cell).join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ].join('\n');
}
