import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyStyleVariables, contrastRatio, isFetchableStyleUrl, styleVariables } from './smart-style';

describe('smart_style_url', () => {
  it('maps the style document to CSS variables', () => {
    expect(
      styleVariables({
        color_background: '#edeae3',
        color_text: '#222222',
        color_highlight: '#69b5ce',
        font_family_body: 'Georgia, serif',
        dim_border_radius: 4,
      }),
    ).toEqual({
      '--color-background': '#edeae3',
      '--color-text': '#222222',
      '--color-highlight': '#69b5ce',
      '--font-body': 'Georgia, serif',
      '--radius': '4px',
    });
  });

  it('drops values that are not colors, fonts or sizes, so no CSS can be injected', () => {
    expect(
      styleVariables({
        color_text: 'red; background: url(https://x)',
        font_family_body: 'x}body{display:none',
        unknown_key: '#fff',
      }),
    ).toEqual({});
  });

  it('ignores a text/background pair below 4.5:1 and keeps the accessible defaults', () => {
    expect(
      styleVariables({ color_background: '#ffffff', color_text: '#aaaaaa', color_highlight: '#0b57a4' }),
    ).toEqual({ '--color-highlight': '#0b57a4' });
  });

  it('sets the variables on the document root and fetches only http(s) URLs', () => {
    applyStyleVariables({ '--color-highlight': '#123456' });
    expect(document.documentElement.style.getPropertyValue('--color-highlight')).toBe('#123456');
    expect(isFetchableStyleUrl('javascript:alert(1)')).toBe(false);
    expect(isFetchableStyleUrl('https://ehr.example.org/style.json')).toBe(true);
  });
});

describe('the default palette (styles.css)', () => {
  const css = readFileSync(join(__dirname, '..', 'styles.css'), 'utf8');
  const variable = (name: string) => new RegExp(`--${name}:\\s*(#[0-9a-f]{6})`, 'i').exec(css)?.[1] ?? '';

  it.each([
    ['color-text', 'color-background'],
    ['color-muted', 'color-background'],
    ['color-highlight', 'color-background'],
    ['color-on-highlight', 'color-highlight'],
    ['color-error', 'color-background'],
    ['color-success', 'color-background'],
    ['color-text', 'color-surface'],
    ['color-muted', 'color-surface'],
    ['color-highlight', 'color-surface'],
    ['color-recorded-text', 'color-recorded-bg'],
    ['color-suggested-text', 'color-suggested-bg'],
    ['color-unlikely-text', 'color-unlikely-bg'],
    ['color-warning-text', 'color-warning-bg'],
    ['color-llm-text', 'color-background'],
  ])('%s on %s meets WCAG AA (4.5:1)', (fg, bg) => {
    expect(contrastRatio(variable(fg), variable(bg))).toBeGreaterThanOrEqual(4.5);
  });
});
