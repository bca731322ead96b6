/**
 * Turns zod failures into `invalid-request` CdsErrors whose `expression` names the bad fields, so
 * the 400 OperationOutcome tells the client exactly what to fix.
 */
import type { z } from 'zod';
import { CdsError } from '../errors';

/** `a.b[0].c` from a zod path. */
export function fieldPath(path: readonly PropertyKey[], prefix?: string): string {
  const parts = prefix ? [prefix] : [];
  let out = parts.join('.');
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out || '(body)';
}

/** Parses `value` or throws CdsError('invalid-request') naming every bad field (first 10). */
export function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown, prefix?: string): z.infer<T> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issues = r.error.issues.slice(0, 10);
  const expression = issues.map((i) => fieldPath(i.path, prefix));
  const message = issues.map((i, n) => `${expression[n]}: ${i.message}`).join('; ');
  throw new CdsError('invalid-request', message, { expression });
}

/** NUL and UTF-16 surrogates not in a pair: text PostgreSQL and JSON consumers cannot store. */
// eslint-disable-next-line no-control-regex -- NUL is exactly what this pattern finds
const UNSAFE_TEXT = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const MAX_TEXT_DEPTH = 64;

/** `text` with NUL and lone surrogates replaced by U+FFFD (the Unicode replacement character). */
export function safeText(text: string): string {
  return text.replace(UNSAFE_TEXT, '\uFFFD');
}

/**
 * A copy of a parsed JSON body whose every string (keys too) is `safeText`: feedback with a NUL or
 * a lone surrogate is stored with U+FFFD in its place, never refused by the database as a 503 that
 * loses the valid entries sent with it. Throws `invalid-request` for nesting deeper than any
 * CDS Hooks body has.
 */
export function withSafeText(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return safeText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_TEXT_DEPTH)
    throw new CdsError('invalid-request', 'the body is nested too deeply', { expression: ['(body)'] });
  if (Array.isArray(value)) return value.map((v) => withSafeText(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[safeText(k)] = withSafeText(v, depth + 1);
  return out;
}
