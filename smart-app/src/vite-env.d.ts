/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Absolute or origin-relative base of the service API; default `/api` (same origin as the app). */
  readonly VITE_RATIONALE_API_BASE?: string;
  /** JSON object of FHIR base URL → client id, for EHRs that assign their own (launch/config.ts). */
  readonly VITE_RATIONALE_CLIENT_IDS?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
