import { canRead, missingReads } from './scopes';
import { assessmentIdFromAppContext } from './token-response';
import { isRelativeReference } from './smart-session';

describe('granted scopes', () => {
  it.each([
    ['patient/Observation.rs', true],
    ['patient/Observation.r', true],
    ['patient/Observation.read', true],
    ['user/Observation.read', true],
    ['patient/*.read', true],
    ['patient/*.rs', true],
    ['patient/Observation.rs?category=laboratory', true],
    ['patient/Observation.s', false],
    ['patient/Observation.write', false],
    ['patient/Condition.rs', false],
    ['', false],
  ])('%s → can read Observation: %s', (scope, expected) =>
    expect(canRead(scope, 'Observation')).toBe(expected),
  );

  it('lists the types the grant does not cover', () => {
    expect(
      missingReads('launch patient/Patient.read patient/Observation.rs', [
        'Patient',
        'Observation',
        'Condition',
      ]),
    ).toEqual(['Condition']);
  });
});

describe('appContext', () => {
  it('is the assessment id, bare or wrapped in JSON', () => {
    expect(assessmentIdFromAppContext('a-1')).toBe('a-1');
    expect(assessmentIdFromAppContext('{"assessmentId":"a-2"}')).toBe('a-2');
    expect(assessmentIdFromAppContext('{"other":1}')).toBeUndefined();
    expect(assessmentIdFromAppContext(undefined)).toBeUndefined();
    expect(assessmentIdFromAppContext('  ')).toBeUndefined();
  });
});

describe('FHIR reads stay on the launch’s server', () => {
  it('accepts relative references only, so the token is never sent elsewhere', () => {
    expect(isRelativeReference('Observation/a1c-1')).toBe(true);
    expect(isRelativeReference('Observation/a1c-1/_history/2')).toBe(true);
    expect(isRelativeReference('https://evil.example/Observation/1')).toBe(false);
    expect(isRelativeReference('//evil.example/x')).toBe(false);
    expect(isRelativeReference('Observation/../../x')).toBe(false);
  });
});
