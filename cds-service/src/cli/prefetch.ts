/**
 * `rationale prefetch --ehr epic|oracle|generic`: each service's prefetch templates, printed for the
 * person who configures the EHR. Epic never calls discovery: its analyst enters each template by
 * hand in the OurPractice Advisory record (reference/cds-hooks.md §10), so Epic gets one table per
 * service with the key, the FHIR query and the tokens the EHR substitutes. Generic prints the
 * discovery-style JSON.
 */
import type { EhrProfileName } from '../cards/types';
import { EHR_PROFILES, profileSupportsHook } from '../cards/ehr-profiles';
import type { ServiceDefinition } from '../hooks/registry';
import { markdownTable } from './format';

/** What each CDS Hooks 2.0 prefetch token stands for (STU2 §Prefetch tokens). */
const TOKEN_MEANING: Record<string, string> = {
  'context.patientId': "the FHIR id of the patient whose chart is open (the hook's context.patientId)",
  'context.encounterId': 'the FHIR id of the current encounter (context.encounterId)',
  'context.userId': 'the user as Type/id (context.userId)',
  userPractitionerId: 'the FHIR id of the user when the user is a Practitioner',
  userPractitionerRoleId: 'the FHIR id of the user when the user is a PractitionerRole',
  userPatientId: 'the FHIR id of the user when the user is a Patient',
  userRelatedPersonId: 'the FHIR id of the user when the user is a RelatedPerson',
};

/** The `{{...}}` tokens of a template, in order of first appearance. */
export function templateTokens(template: string): string[] {
  const tokens = [...template.matchAll(/\{\{\s*([^}]+?)\s*\}\}/g)].map((m) => m[1] ?? '');
  return [...new Set(tokens)];
}

function tokenList(template: string): string {
  const tokens = templateTokens(template);
  return tokens.length === 0 ? 'none' : tokens.map((t) => `\`{{${t}}}\``).join(', ');
}

function tokenLegend(templates: readonly string[]): string[] {
  const tokens = [...new Set(templates.flatMap(templateTokens))];
  return tokens.map((t) => `- \`{{${t}}}\`: ${TOKEN_MEANING[t] ?? 'a value from the hook context'}`);
}

/** "Observation search" or "Patient read": what the query returns. */
function describeQuery(template: string): string {
  const [path = template] = template.split('?', 1);
  return template.includes('?') ? `${path} search (Bundle)` : `${path.split('/')[0] ?? path} read`;
}

/** Markdown for an analyst: one table per service the EHR supports, and the services it does not. */
export function prefetchMarkdown(
  services: readonly ServiceDefinition[],
  ehr: Exclude<EhrProfileName, 'generic'>,
): string {
  const supported = services.filter((s) => profileSupportsHook(ehr, s.hook));
  const skipped = services.filter((s) => !profileSupportsHook(ehr, s.hook));
  const name = ehr === 'epic' ? 'Epic' : 'Oracle Health';
  const out: string[] = [
    `# Prefetch templates for ${name}`,
    '',
    ehr === 'epic'
      ? 'Epic does not read the discovery document: the analyst enters each prefetch by hand in the OurPractice Advisory record.'
      : 'Oracle Health registers each service, with its prefetch, when it validates the service: give these templates to the registration.',
    '',
    'Each query is relative to the FHIR R4 base; the EHR replaces each `{{token}}` before it runs the query and sends the result under the key.',
    '',
  ];
  for (const service of supported) {
    out.push(
      `## ${service.title}`,
      '',
      `Service id \`${service.id}\` · hook \`${service.hook}\` · endpoint \`{base}/cds-services/${service.id}\``,
      '',
    );
    const entries = Object.entries(service.prefetch);
    const rows = entries.map(([key, template]) => [
      `\`${key}\``,
      describeQuery(template),
      `\`${template}\``,
      tokenList(template),
    ]);
    const width = Math.max(...entries.map(([key]) => key.length));
    out.push(
      markdownTable(['Key', 'Returns', 'FHIR query', 'Tokens'], rows),
      '',
      'Token substitutions the EHR makes:',
      '',
      ...tokenLegend(entries.map(([, t]) => t)),
      '',
      'Copy exactly (key, then the query):',
      '',
      '```text',
      ...entries.map(([key, template]) => `${key.padEnd(width)}  ${template}`),
      '```',
      '',
    );
  }
  if (skipped.length > 0) {
    out.push(
      `Not offered to ${name} (the EHR does not fire the hook): ${skipped.map((s) => `\`${s.id}\``).join(', ')}.`,
      '',
    );
  }
  return out.join('\n').trimEnd();
}

/** Discovery-style JSON of every service's prefetch, for any CDS Hooks client. */
export function prefetchJson(services: readonly ServiceDefinition[]): string {
  return JSON.stringify(
    {
      services: services.map((s) => ({
        id: s.id,
        hook: s.hook,
        title: s.title,
        prefetch: { ...s.prefetch },
      })),
    },
    null,
    2,
  );
}

export const PREFETCH_EHRS = Object.keys(EHR_PROFILES) as EhrProfileName[];
