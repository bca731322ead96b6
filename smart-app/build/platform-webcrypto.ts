/**
 * Stands in for `isomorphic-webcrypto` in the browser bundle. fhirclient uses `globalThis.crypto`
 * whenever it exists (every browser the app supports, in a secure context) and requires the shim
 * only otherwise; aliasing the shim to the platform object keeps its Node-era code out of the bundle.
 */
export default globalThis.crypto;
