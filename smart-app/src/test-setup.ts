import '@testing-library/jest-dom';
import { webcrypto } from 'node:crypto';

// jsdom's crypto lacks SubtleCrypto; fhirclient (PKCE) and jose (id_token) need it, as browsers have it.
if (!globalThis.crypto?.subtle) {
  Object.defineProperty(globalThis, 'crypto', { value: webcrypto, configurable: true });
}
