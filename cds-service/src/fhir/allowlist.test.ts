import { FhirAllowlist } from './allowlist';

const LAUNCHER = 'http://launcher.example:8443/v/r4/sim';
// smart-launcher-v2 encodes each launch's settings into its FHIR base.
const PER_LAUNCH = `${LAUNCHER}/eyJoIjoiMSIsImoiOiIxIn0/fhir`;

describe('FhirAllowlist', () => {
  const allowlist = new FhirAllowlist([
    'https://FHIR.example.org/r4/',
    LAUNCHER,
    'https://fhir-ehr.cerner.com/r4',
  ]);

  it('matches an entry itself, whatever the case of its host or a trailing slash', () => {
    expect(allowlist.match('https://fhir.example.org/r4')).toBe('https://fhir.example.org/r4');
    expect(allowlist.match('https://fhir.example.org:443/r4/')).toBe('https://fhir.example.org/r4');
  });

  it('matches bases under an entry by whole path segments and answers with the base itself', () => {
    expect(allowlist.match(PER_LAUNCH)).toBe(PER_LAUNCH);
    expect(allowlist.match('https://fhir-ehr.cerner.com/r4/ec2458f2-1e24-41c8-b71b-0e701af7583d')).toBe(
      'https://fhir-ehr.cerner.com/r4/ec2458f2-1e24-41c8-b71b-0e701af7583d',
    );
  });

  it.each([
    ['a path that only starts with the same letters', 'https://fhir.example.org/r4x'],
    ['a parent path', 'http://launcher.example:8443/v/r4'],
    ['another port', 'http://launcher.example:8444/v/r4/sim/x/fhir'],
    ['another scheme', 'https://launcher.example:8443/v/r4/sim/x/fhir'],
    ['another host with the entry as a prefix', 'http://launcher.example.evil.example:8443/v/r4/sim/x'],
    ['user info naming the allowlisted host', 'http://launcher.example:8443@evil.example/v/r4/sim/x'],
    ['dot segments out of the prefix', 'http://launcher.example:8443/v/r4/sim/../../admin'],
    ['encoded dot segments out of the prefix', 'http://launcher.example:8443/v/r4/sim/%2e%2e/%2E%2E/admin'],
    ['an encoded slash under the prefix', 'http://launcher.example:8443/v/r4/sim/x%2F..%2F..%2Fadmin'],
    ['an encoded backslash under the prefix', 'http://launcher.example:8443/v/r4/sim/x%5c..%5cadmin'],
    ['a non-HTTP scheme', 'file:///v/r4/sim/x'],
    ['no URL at all', 'launcher.example/v/r4/sim/x'],
  ])('refuses %s', (_why, url) => {
    expect(allowlist.match(url)).toBeUndefined();
  });

  it('names its only base, and none when there are several', () => {
    expect(new FhirAllowlist(['https://FHIR.example.org/r4/']).onlyBase()).toBe(
      'https://fhir.example.org/r4',
    );
    expect(allowlist.onlyBase()).toBeUndefined();
  });
});
