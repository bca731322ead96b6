import { classifyHttpError, classifyReadyError, codeForStatus, sessionStorageWorks } from './errors';

describe('errors that name the real cause', () => {
  it('blames storage partitioning, not the FHIR server, when the framed redirect finds no launch state', () => {
    const error = new Error('No state found! Please (re)launch the app.');
    expect(classifyReadyError(error, { inFrame: true }).code).toBe('storage-blocked');
    // A top-level window has one storage: there it is a genuine mismatch.
    expect(classifyReadyError(error, { inFrame: false }).code).toBe('state-mismatch');
  });

  it('recognises a storage SecurityError as blocked storage', () => {
    const error = new Error(
      "Failed to read the 'sessionStorage' property from 'Window': Access is denied for this document.",
    );
    expect(classifyReadyError(error).code).toBe('storage-blocked');
  });

  it('tells an allowlist refusal apart from missing permissions', () => {
    expect(codeForStatus(403, 'The FHIR server of this assessment is not on the allowlist')).toBe(
      'fhir-not-allowlisted',
    );
    expect(codeForStatus(403, 'forbidden')).toBe('scope-denied');
    expect(classifyHttpError(Object.assign(new Error('not on the allowlist'), { status: 403 })).code).toBe(
      'fhir-not-allowlisted',
    );
  });

  it('probes session storage without leaving anything behind', () => {
    const blocked = {
      get sessionStorage(): Storage {
        throw new Error('SecurityError');
      },
    };
    expect(sessionStorageWorks(blocked)).toBe(false);
    expect(sessionStorageWorks(window)).toBe(true);
    expect(window.sessionStorage.length).toBe(0);
  });
});
