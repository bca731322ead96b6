import type { Resource } from './api';

/** "Given Family", or the text of the first name, or the id (as the EHR API's patient list). */
export function displayName(patient: Resource): string {
  const names = (
    patient as { name?: Array<{ use?: string; text?: string; given?: string[]; family?: string }> }
  ).name;
  const name = names?.find((n) => n.use === 'official') ?? names?.[0];
  if (!name) return patient.id ?? 'Unknown';
  if (name.text) return name.text;
  return [...(name.given ?? []), name.family].filter(Boolean).join(' ') || (patient.id ?? 'Unknown');
}
