import { focusItem, itemElementId } from './item-focus';

describe('focusItem', () => {
  it('focuses and marks the element of the named item', () => {
    document.body.innerHTML = `<ol><li id="${itemElementId('h-1')}" tabindex="-1">A</li><li id="${itemElementId('h-2')}" tabindex="-1">B</li></ol>`;
    expect(focusItem(document, 'h-2')).toBe(true);
    const second = document.getElementById('item-h-2');
    expect(document.activeElement).toBe(second);
    expect(second?.classList.contains('launched-item')).toBe(true);
    expect(document.getElementById('item-h-1')?.classList.contains('launched-item')).toBe(false);
  });
  it('says so when the page has no such item', () => {
    document.body.innerHTML = '<p>nothing</p>';
    expect(focusItem(document, 'missing')).toBe(false);
  });
});
