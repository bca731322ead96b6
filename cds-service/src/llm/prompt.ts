/**
 * The versioned prompt and output schema of the LLM reasoner. Bump PROMPT_VERSION whenever either
 * changes: it is stored with every LLM addition and shown on the model card.
 */
import { z } from 'zod';

export const PROMPT_VERSION = 'rationale-llm-2026-11.1';

export const SYSTEM_PROMPT = [
  'You are a clinical reasoning assistant inside a decision-support tool for physicians.',
  'You receive a de-identified summary of one adult patient: findings with ids (F1, F2, ...), values, units and',
  "dates (dates are shifted by an unknown offset; intervals between them are real), the knowledge model's",
  'hypotheses and recommendations, and an evidence library with ids.',
  'Add what the knowledge model missed: further diagnoses worth considering, treatment or testing steps, and',
  'reasoning steps. Every claim MUST cite the finding ids it rests on and the evidence ids that support it,',
  'chosen only from the ids given. When you state a numeric value of a finding, put it in statedValues with',
  'its finding id and unit exactly as given. Do not invent findings, values, ids or sources. Do not restate',
  'absolute dates; speak of intervals. If nothing can be added, return empty arrays.',
].join(' ');

const statedValue = {
  type: 'object',
  additionalProperties: false,
  required: ['findingId', 'value', 'unit'],
  properties: { findingId: { type: 'string' }, value: { type: 'number' }, unit: { type: 'string' } },
} as const;

const ids = { type: 'array', items: { type: 'string' } } as const;

/** JSON Schema for OpenAI structured outputs (`strict: true`: every property required, no extras). */
export const OUTPUT_JSON_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['hypotheses', 'recommendations', 'reasoning'],
  properties: {
    hypotheses: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: [
          'condition',
          'snomedCode',
          'probability',
          'rationale',
          'findingIds',
          'evidenceIds',
          'statedValues',
        ],
        properties: {
          condition: { type: 'string' },
          snomedCode: { type: ['string', 'null'] },
          probability: { type: 'number' },
          rationale: { type: 'string' },
          findingIds: ids,
          evidenceIds: ids,
          statedValues: { type: 'array', items: statedValue },
        },
      },
    },
    recommendations: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['title', 'kind', 'rationale', 'findingIds', 'evidenceIds', 'statedValues'],
        properties: {
          title: { type: 'string' },
          kind: {
            type: 'string',
            enum: ['start', 'intensify', 'stop', 'avoid', 'order-test', 'monitor', 'refer'],
          },
          rationale: { type: 'string' },
          findingIds: ids,
          evidenceIds: ids,
          statedValues: { type: 'array', items: statedValue },
        },
      },
    },
    reasoning: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['text', 'findingIds', 'evidenceIds'],
        properties: { text: { type: 'string' }, findingIds: ids, evidenceIds: ids },
      },
    },
  },
} as const;

const statedValueSchema = z.object({ findingId: z.string(), value: z.number(), unit: z.string() });

/** The same shape in zod: what arrives is parsed, never trusted. */
export const llmOutputSchema = z.object({
  hypotheses: z
    .array(
      z.object({
        condition: z.string().min(1).max(200),
        snomedCode: z.string().max(32).nullable(),
        probability: z.number().min(0).max(1),
        rationale: z.string().min(1).max(2000),
        findingIds: z.array(z.string()).max(50),
        evidenceIds: z.array(z.string()).max(20),
        statedValues: z.array(statedValueSchema).max(50),
      }),
    )
    .max(20),
  recommendations: z
    .array(
      z.object({
        title: z.string().min(1).max(200),
        kind: z.enum(['start', 'intensify', 'stop', 'avoid', 'order-test', 'monitor', 'refer']),
        rationale: z.string().min(1).max(2000),
        findingIds: z.array(z.string()).max(50),
        evidenceIds: z.array(z.string()).max(20),
        statedValues: z.array(statedValueSchema).max(50),
      }),
    )
    .max(20),
  reasoning: z
    .array(
      z.object({
        text: z.string().min(1).max(2000),
        findingIds: z.array(z.string()).max(50),
        evidenceIds: z.array(z.string()).max(20),
      }),
    )
    .max(30),
});
export type LlmOutput = z.infer<typeof llmOutputSchema>;
