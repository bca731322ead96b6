/**
 * The EHR's `smart_style_url` (SMART App Launch 2.2, launch context, experimental): a JSON of
 * colors, dimensions and fonts the app may adopt so it blends into the EHR. Values are checked
 * before use, and a text/background pair below WCAG AA contrast (4.5:1) is ignored.
 */

/** smart-style.json keys → the CSS variables styles.css reads. */
export const STYLE_VARIABLES: Readonly<Record<string, string>> = {
  color_background: '--color-background',
  color_text: '--color-text',
  color_highlight: '--color-highlight',
  color_error: '--color-error',
  color_success: '--color-success',
  color_modal_backdrop: '--color-backdrop',
  color_border: '--color-border',
  font_family_body: '--font-body',
  font_family_heading: '--font-heading',
  dim_border_radius: '--radius',
  dim_font_size: '--font-size',
  dim_spacing_size: '--spacing',
};

const COLOR = /^(#[0-9a-f]{3,8}|rgba?\([\d\s.,%]+\)|hsla?\([\d\s.,%deg]+\)|[a-z]{3,20})$/i;
const FONT = /^[\w\s,"'-]{1,200}$/;
const DIMENSION = /^\d{1,3}(\.\d+)?(px|rem|em|%)?$/;

function isSafe(key: string, value: string): boolean {
  if (key.startsWith('color_')) return COLOR.test(value);
  if (key.startsWith('font_family_')) return FONT.test(value);
  if (key.startsWith('dim_')) return DIMENSION.test(value);
  return false;
}

/** Relative luminance of a #rgb or #rrggbb color (WCAG 2.x); undefined for other notations. */
function luminance(color: string): number | undefined {
  let hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color)?.[1];
  if (!hex) return undefined;
  if (hex.length === 3) hex = hex.replace(/./g, (c) => c + c);
  const channel = (i: number) => {
    const v = parseInt(hex.slice(i, i + 2), 16) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4);
}

/** WCAG contrast ratio of two hex colors; undefined when either is not hex. */
export function contrastRatio(a: string, b: string): number | undefined {
  const la = luminance(a);
  const lb = luminance(b);
  if (la === undefined || lb === undefined) return undefined;
  const [hi, lo] = la > lb ? [la, lb] : [lb, la];
  return (hi + 0.05) / (lo + 0.05);
}

/** Maps a smart-style document to CSS variables, keeping only well-formed values. */
export function styleVariables(style: unknown): Record<string, string> {
  if (typeof style !== 'object' || style === null) return {};
  const out: Record<string, string> = {};
  for (const [key, raw] of Object.entries(style as Record<string, unknown>)) {
    const variable = STYLE_VARIABLES[key];
    const value = typeof raw === 'number' && key.startsWith('dim_') ? `${raw}px` : raw;
    if (variable && typeof value === 'string' && isSafe(key, value.trim())) out[variable] = value.trim();
  }
  const text = out['--color-text'];
  const background = out['--color-background'];
  if (text && background) {
    const ratio = contrastRatio(text, background);
    if (ratio !== undefined && ratio < 4.5) {
      delete out['--color-text'];
      delete out['--color-background'];
    }
  }
  return out;
}

/** Sets the variables on an element (the document root by default). */
export function applyStyleVariables(
  variables: Record<string, string>,
  target: HTMLElement = document.documentElement,
): void {
  for (const [name, value] of Object.entries(variables)) target.style.setProperty(name, value);
}

/** True for an http(s) URL: the only kind of smart_style_url the app fetches. */
export function isFetchableStyleUrl(url: string | undefined): url is string {
  if (!url) return false;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:';
  } catch {
    return false;
  }
}
