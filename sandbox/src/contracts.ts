/**
 * What the sandbox's core (FHIR server, SMART authorization server, patients) offers its EHR
 * simulator. `main.ts` builds one SandboxServices and passes it to `createEhrRouter`.
 */
import type { Resource } from '@rationale/shared-types';

export interface LaunchContext {
  /** Bare Patient id. */
  patient: string;
  encounter?: string;
  /** `Practitioner/id` of the signed-in user. */
  user: string;
  /** A CDS Hooks card link's appContext, handed to the app in the token response. */
  appContext?: string;
  needPatientBanner?: boolean;
  smartStyleUrl?: string;
  intent?: string;
  /** SMART 2.2 `fhirContext` (e.g. the order a card concerns), passed through to the token response. */
  fhirContext?: {
    reference?: string;
    canonical?: string;
    identifier?: unknown;
    type?: string;
    role?: string;
  }[];
}

export interface ServiceTokenRequest {
  /** The CDS service's OAuth client id (fhirAuthorization.subject). */
  clientId: string;
  patient: string;
  /** `Practitioner/id`. */
  user: string;
  /** Space-separated SMART scopes, e.g. `patient/Patient.r patient/Observation.rs`. */
  scope: string;
}

export interface SandboxFhir {
  read(resourceType: string, id: string): Promise<Resource | undefined>;
  /** FHIR search with string query parameters, all pages; returns matching resources. */
  search(resourceType: string, query: Record<string, string>): Promise<Resource[]>;
  create<T extends Resource>(resource: T): Promise<T>;
  update<T extends Resource>(resource: T): Promise<T>;
  delete(resourceType: string, id: string): Promise<void>;
}

export interface SandboxServices {
  /** Absolute base URL of the sandbox, e.g. http://localhost:8080. */
  baseUrl: string;
  /** Absolute FHIR base, e.g. http://localhost:8080/fhir (the `iss` of launches). */
  fhirBaseUrl: string;
  /** Direct, server-side access to the FHIR store (no token: the EHR itself). */
  fhir: SandboxFhir;
  /** An access token as the EHR issues it to a CDS service for fhirAuthorization. */
  issueServiceToken(
    request: ServiceTokenRequest,
  ): Promise<{ access_token: string; expires_in: number; scope: string }>;
  /** A single-use, short-lived EHR launch handle that the authorize endpoint resolves. */
  createLaunch(context: LaunchContext): string;
  /** A CDS Hooks client JWT (ES384, `kid` in the sandbox JWKS) for the given `aud`. */
  signHookJwt(aud: string): Promise<string>;
  /** The `iss` of hook JWTs and the JWKS URL the CDS service should trust. */
  hookIssuer: { iss: string; jwksUri: string };
  /** The registered SMART app the card links launch. */
  app: { clientId: string; launchUrl: string; redirectUris: string[] };
}
