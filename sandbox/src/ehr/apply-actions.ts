/**
 * Applies an accepted suggestion's actions to the FHIR store. All actions of a suggestion apply
 * together, like a FHIR transaction: deletes, then creates, then updates (CDS Hooks STU2 §Action;
 * cds-hooks.md §5.2). Every action is checked before anything is written; if a write fails midway,
 * the writes already made are undone.
 */
import { actionSchema, type Action, type Resource } from '@rationale/shared-types';
import type { SandboxFhir } from '../contracts';
import { EhrError } from './errors';

/** R4 resource types a suggestion may create or update in the sandbox chart. */
const WRITABLE_TYPES = new Set([
  'AllergyIntolerance',
  'Appointment',
  'CarePlan',
  'CareTeam',
  'Communication',
  'CommunicationRequest',
  'Condition',
  'DeviceRequest',
  'DiagnosticReport',
  'Encounter',
  'Goal',
  'Immunization',
  'ImmunizationRecommendation',
  'Medication',
  'MedicationRequest',
  'MedicationStatement',
  'NutritionOrder',
  'Observation',
  'Procedure',
  'RiskAssessment',
  'ServiceRequest',
  'Task',
]);

/** Fields through which a resource names its patient. */
const PATIENT_FIELDS = ['subject', 'patient', 'beneficiary'] as const;

export interface AppliedActions {
  /** `Type/id` of each resource created, in action order. */
  created: string[];
  updated: string[];
  deleted: string[];
}

/** Validates and applies the actions for the chart's patient; throws EhrError on a bad action. */
export async function applyActions(
  fhir: SandboxFhir,
  patientId: string,
  rawActions: unknown[],
): Promise<AppliedActions> {
  const actions = rawActions.map((raw, i) => {
    const parsed = actionSchema.safeParse(raw);
    if (!parsed.success)
      throw new EhrError(
        'invalid-request',
        `actions[${i}]: ${parsed.error.issues[0]?.message ?? 'invalid action'}`,
      );
    return parsed.data;
  });
  const deletes = actions
    .map((a, i) => ({ a, i }))
    .filter(({ a }) => a.type === 'delete')
    .map(({ a, i }) => ({ i, ...deleteTarget(a, i) }));
  const creates = actions.map((a, i) => ({ a, i })).filter(({ a }) => a.type === 'create');
  const updates = actions.map((a, i) => ({ a, i })).filter(({ a }) => a.type === 'update');
  for (const { a, i } of [...creates, ...updates]) checkResource(a, i, patientId);

  // Snapshots for the undo path, and the existence checks a transaction would make up front.
  const beforeDelete: Resource[] = [];
  for (const { i, resourceType, id } of deletes) {
    const existing = await fhir.read(resourceType, id);
    if (!existing) throw new EhrError('unprocessable', `actions[${i}]: ${resourceType}/${id} does not exist`);
    checkPatient(existing, patientId, i);
    beforeDelete.push(existing);
  }
  const beforeUpdate: Resource[] = [];
  for (const { a, i } of updates) {
    const resource = a.resource as Resource;
    const existing = await fhir.read(resource.resourceType, resource.id as string);
    if (!existing)
      throw new EhrError(
        'unprocessable',
        `actions[${i}]: ${resource.resourceType}/${resource.id} does not exist`,
      );
    checkPatient(existing, patientId, i);
    beforeUpdate.push(existing);
  }

  const applied: AppliedActions = { created: [], updated: [], deleted: [] };
  const createdResources: Resource[] = [];
  try {
    for (const { resourceType, id } of deletes) {
      await fhir.delete(resourceType, id);
      applied.deleted.push(`${resourceType}/${id}`);
    }
    for (const { a } of creates) {
      const { id: _clientId, meta: _meta, ...body } = a.resource as Resource & { meta?: unknown };
      const created = await fhir.create<Resource>(body);
      createdResources.push(created);
      applied.created.push(`${created.resourceType}/${created.id}`);
    }
    for (const { a } of updates) {
      const updated = await fhir.update(a.resource as Resource);
      applied.updated.push(`${updated.resourceType}/${updated.id}`);
    }
  } catch (error) {
    await undo(fhir, applied, beforeDelete, beforeUpdate, createdResources);
    throw new EhrError(
      'unprocessable',
      `applying the suggestion failed and was undone: ${(error as Error).message}`,
      { cause: error },
    );
  }
  return applied;
}

async function undo(
  fhir: SandboxFhir,
  applied: AppliedActions,
  beforeDelete: Resource[],
  beforeUpdate: Resource[],
  created: Resource[],
): Promise<void> {
  const attempts: Array<Promise<unknown>> = [
    ...created.map((r) => fhir.delete(r.resourceType, r.id as string)),
    ...beforeUpdate
      .filter((r) => applied.updated.includes(`${r.resourceType}/${r.id}`))
      .map((r) => fhir.update(r)),
    ...beforeDelete
      .filter((r) => applied.deleted.includes(`${r.resourceType}/${r.id}`))
      .map((r) => fhir.update(r)),
  ];
  await Promise.allSettled(attempts);
}

function deleteTarget(action: Action, index: number): { resourceType: string; id: string } {
  // resourceId is a relative reference; an id inside `resource` is the deprecated 1.0 form.
  const reference =
    action.resourceId ??
    (action.resource?.id ? `${action.resource.resourceType}/${action.resource.id}` : undefined);
  const match = reference ? /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})$/.exec(reference) : null;
  if (!match?.[1] || !match[2]) {
    throw new EhrError('invalid-request', `actions[${index}]: a delete needs resourceId as Type/id`);
  }
  if (!WRITABLE_TYPES.has(match[1])) {
    throw new EhrError(
      'unprocessable',
      `actions[${index}]: the EHR does not let a CDS service delete ${match[1]} resources`,
    );
  }
  return { resourceType: match[1], id: match[2] };
}

function checkResource(action: Action, index: number, patientId: string): void {
  const resource = action.resource;
  if (!resource)
    throw new EhrError('invalid-request', `actions[${index}]: a ${action.type} needs the full resource`);
  if (!WRITABLE_TYPES.has(resource.resourceType)) {
    throw new EhrError(
      'unprocessable',
      `actions[${index}]: the EHR does not let a CDS service ${action.type} ${resource.resourceType} resources`,
    );
  }
  if (action.type === 'update' && !resource.id) {
    throw new EhrError('invalid-request', `actions[${index}]: an update needs the resource id`);
  }
  checkPatient(resource as Resource, patientId, index);
}

/** A suggestion may only write into the open chart: any patient reference must be this patient. */
function checkPatient(resource: Resource, patientId: string, index: number): void {
  const record = resource as unknown as Record<string, unknown>;
  for (const field of PATIENT_FIELDS) {
    const value = record[field];
    if (value === undefined) continue;
    const reference =
      typeof value === 'object' && value !== null ? (value as { reference?: unknown }).reference : undefined;
    if (typeof reference !== 'string' || !isPatientReference(reference, patientId)) {
      throw new EhrError(
        'unprocessable',
        `actions[${index}]: ${resource.resourceType}.${field} must reference Patient/${patientId}, the open chart`,
      );
    }
  }
}

function isPatientReference(reference: string, patientId: string): boolean {
  return reference === `Patient/${patientId}` || reference.endsWith(`/Patient/${patientId}`);
}
