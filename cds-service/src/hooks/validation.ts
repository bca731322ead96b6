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
