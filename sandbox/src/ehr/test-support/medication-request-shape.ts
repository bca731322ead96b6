/** The MedicationRequest fields order-select and order-sign services read, as a zod schema. */
import { z } from 'zod';

const reference = z.object({ reference: z.string().regex(/^[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]+$/) });

export const medicationRequestSchema = z.looseObject({
  resourceType: z.literal('MedicationRequest'),
  id: z.string().min(1),
  status: z.enum([
    'draft',
    'active',
    'on-hold',
    'cancelled',
    'completed',
    'entered-in-error',
    'stopped',
    'unknown',
  ]),
  intent: z.enum([
    'proposal',
    'plan',
    'order',
    'original-order',
    'reflex-order',
    'filler-order',
    'instance-order',
    'option',
  ]),
  subject: reference,
  requester: reference,
  authoredOn: z.iso.datetime(),
  medicationCodeableConcept: z.object({
    coding: z
      .array(z.object({ system: z.string(), code: z.string().regex(/^\d+$/), display: z.string() }))
      .min(1),
    text: z.string(),
  }),
  dosageInstruction: z.array(z.looseObject({ text: z.string() })).min(1),
});
