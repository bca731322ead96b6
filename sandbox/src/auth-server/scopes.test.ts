import { parseResourceScope, parseScopes, restrictScope } from './scopes';

describe('SMART scope parser', () => {
  it.each([
    ['patient/Observation.rs', 'patient', 'Observation', ['r', 's'], 2],
    ['user/*.cruds', 'user', '*', ['c', 'r', 'u', 'd', 's'], 2],
    ['patient/Condition.read', 'patient', 'Condition', ['r', 's'], 1],
    ['user/MedicationRequest.write', 'user', 'MedicationRequest', ['c', 'u', 'd'], 1],
    ['patient/*.*', 'patient', '*', ['c', 'r', 'u', 'd', 's'], 1],
    ['http://smarthealthit.org/fhir/scopes/patient/Patient.r', 'patient', 'Patient', ['r'], 2],
  ])('parses %s', (raw, context, type, perms, version) => {
    const s = parseResourceScope(raw);
    expect(s).toMatchObject({ context, resourceType: type, version });
    expect([...(s?.permissions ?? [])].sort()).toEqual([...perms].sort());
  });

  it.each([
    'patient/Observation.dus',
    'patient/Observation.rw',
    'user/Observation.',
    'patient/observation.rs',
    'patient/Observation.read?category=x',
  ])('rejects malformed %s', (raw) => {
    expect(parseResourceScope(raw)).toBeNull();
  });

  it('keeps fine-grained query constraints and separates non-resource scopes', () => {
    const parsed = parseScopes(
      'launch openid fhirUser patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory bogus/x.y patient/X.zz',
    );
    expect([...parsed.others]).toEqual(['launch', 'openid', 'fhirUser', 'bogus/x.y']);
    expect(parsed.resources[0]?.query).toEqual([
      ['category', 'http://terminology.hl7.org/CodeSystem/observation-category|laboratory'],
    ]);
    expect(parsed.invalid).toEqual(['patient/X.zz']);
  });

  it('narrows scopes keeping the v1 or v2 spelling', () => {
    const keep = new Set(['r', 's'] as const);
    expect(restrictScope(parseResourceScope('patient/*.*')!, keep)).toBe('patient/*.read');
    expect(restrictScope(parseResourceScope('user/*.cruds')!, keep)).toBe('user/*.rs');
    expect(restrictScope(parseResourceScope('user/Observation.write')!, keep)).toBeUndefined();
    expect(restrictScope(parseResourceScope('patient/Observation.rs')!, keep)).toBe('patient/Observation.rs');
  });
});
