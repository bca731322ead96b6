import { ConfigError, loadConfig } from './config';

describe('sandbox configuration', () => {
  it('defaults to port 8080, http://localhost:8080 and the registered app', () => {
    const c = loadConfig({}, { today: new Date('2025-06-01T10:00:00Z') });
    expect(c.port).toBe(8080);
    expect(c.fhirBaseUrl).toBe('http://localhost:8080/fhir');
    expect(c.app).toMatchObject({
      clientId: 'rationale-app',
      launchUrl: 'http://127.0.0.1:8081/app/launch.html',
      redirectUris: ['http://127.0.0.1:8081/app/', 'http://localhost:8081/app/'],
    });
    expect(c.cdsClient.clientId).toBe('rationale-cds');
    expect(c.referenceDate).toBe('2025-06-01');
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('honours overrides', () => {
    const c = loadConfig({
      SANDBOX_PORT: '9090',
      SANDBOX_BASE_URL: 'http://sandbox.local:9090/',
      SANDBOX_APP_REDIRECT_URIS: 'http://a.example/app/, http://b.example/app/',
      SANDBOX_SCOPE_DOWNGRADE: 'read-only',
    });
    expect(c.baseUrl).toBe('http://sandbox.local:9090');
    expect(c.app.redirectUris).toEqual(['http://a.example/app/', 'http://b.example/app/']);
    expect(c.scopeDowngrade).toBe('read-only');
  });

  it.each([
    ['SANDBOX_PORT', 'eighty'],
    ['SANDBOX_BASE_URL', 'localhost:8080'],
    ['SANDBOX_APP_REDIRECT_URIS', 'http://ok.example/app/,not a url'],
    ['SANDBOX_SCOPE_DOWNGRADE', 'everything'],
    ['SANDBOX_ACCESS_TOKEN_TTL', '7200'],
    ['SANDBOX_REFERENCE_DATE', '1 June 2025'],
  ])('fails naming %s for a bad value', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });
});
