/**
 * Opening on the card's item (issue 20 §1): the card link's appContext names a hypothesis,
 * recommendation or safety alert; the page scrolls to it, moves focus to it and marks it.
 */

/** The DOM id of an assessment item's element (knowledge-model items and safety alerts). */
export function itemElementId(itemId: string): string {
  return `item-${itemId}`;
}

/**
 * Scrolls the item into view, focuses it (so a screen reader starts there) and marks it as the
 * one the card launched. Returns false when the page has no such item.
 */
export function focusItem(doc: Document, itemId: string): boolean {
  const element = doc.getElementById(itemElementId(itemId));
  if (!element) return false;
  element.classList.add('launched-item');
  element.scrollIntoView?.({ block: 'start' });
  element.focus({ preventScroll: true });
  return true;
}
