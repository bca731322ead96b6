/**
 * An in-memory SandboxServices for the EHR router's tests: the whole interface, with real ES384
 * JWT signing (jose) so a test CDS service can verify what the EHR sends, and a small FHIR store
 * whose search understands the parameters the EHR uses (patient, category, code).
 */
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import type { Resource } from '@rationale/shared-types';
import type { LaunchContext, SandboxFhir, SandboxServices, ServiceTokenRequest } from '../../contracts';

export interface MemorySandbox {
  services: SandboxServices;
  store: Map<string, Resource>;
  /** The public JWK of the hook-signing key. */
  publicJwk: JWK;
  launches: Map<string, LaunchContext>;
  tokens: Map<string, ServiceTokenRequest>;
}

export class MemoryFhir implements SandboxFhir {
  constructor(readonly store = new Map<string, Resource>()) {}

  async read(resourceType: string, id: string): Promise<Resource | undefined> {
    return structuredClone(this.store.get(`${resourceType}/${id}`));
  }

  async search(resourceType: string, query: Record<string, string>): Promise<Resource[]> {
    return [...this.store.values()]
      .filter((r) => r.resourceType === resourceType)
      .filter((r) => Object.entries(query).every(([name, value]) => matches(r, name, value)))
      .map((r) => structuredClone(r));
  }

  async create<T extends Resource>(resource: T): Promise<T> {
    const stored = { ...resource, id: randomUUID() };
    this.store.set(`${stored.resourceType}/${stored.id}`, stored);
    return structuredClone(stored);
  }

  async update<T extends Resource>(resource: T): Promise<T> {
    if (!resource.id) throw new Error('update needs an id');
    this.store.set(`${resource.resourceType}/${resource.id}`, structuredClone(resource));
    return structuredClone(resource);
  }

  async delete(resourceType: string, id: string): Promise<void> {
    this.store.delete(`${resourceType}/${id}`);
  }
}

function matches(resource: Resource, name: string, value: string): boolean {
  if (name.startsWith('_')) return true;
  const r = resource as unknown as Record<string, unknown>;
  if (name === 'patient' || name === 'subject') {
    const ref = (r.subject ?? r.patient) as { reference?: string } | undefined;
    return ref?.reference === value || ref?.reference === `Patient/${value}`;
  }
  if (name === 'category' || name === 'code') {
    const field = r[name];
    const concepts = (Array.isArray(field) ? field : [field]) as Array<
      { coding?: Array<{ system?: string; code?: string }> } | undefined
    >;
    const [system, code] = value.includes('|') ? value.split('|') : [undefined, value];
    return concepts.some((c) =>
      c?.coding?.some((cd) => cd.code === code && (!system || cd.system === system)),
    );
  }
  return true;
}

/** Builds the fake with an empty store; `resources` are loaded into it. */
export async function createMemorySandbox(
  resources: Resource[] = [],
  baseUrl = 'http://localhost:8080',
): Promise<MemorySandbox> {
  const { privateKey, publicKey } = await generateKeyPair('ES384');
  const publicJwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'ES384', use: 'sig' };
  const store = new Map<string, Resource>(resources.map((r) => [`${r.resourceType}/${r.id}`, r]));
  const launches = new Map<string, LaunchContext>();
  const tokens = new Map<string, ServiceTokenRequest>();
  const services: SandboxServices = {
    baseUrl,
    fhirBaseUrl: `${baseUrl}/fhir`,
    fhir: new MemoryFhir(store),
    async issueServiceToken(request) {
      const token = `at-${randomUUID()}`;
      tokens.set(token, request);
      return { access_token: token, expires_in: 300, scope: request.scope };
    },
    createLaunch(context) {
      const handle = randomUUID();
      launches.set(handle, context);
      return handle;
    },
    signHookJwt(aud) {
      return new SignJWT({})
        .setProtectedHeader({
          alg: 'ES384',
          kid: 'test-key',
          typ: 'JWT',
          jku: `${baseUrl}/.well-known/jwks.json`,
        })
        .setIssuer(baseUrl)
        .setAudience(aud)
        .setIssuedAt()
        .setExpirationTime('5m')
        .setJti(randomUUID())
        .sign(privateKey);
    },
    hookIssuer: { iss: baseUrl, jwksUri: `${baseUrl}/.well-known/jwks.json` },
    app: {
      clientId: 'rationale-app',
      launchUrl: 'http://127.0.0.1:8081/app/launch.html',
      redirectUris: ['http://127.0.0.1:8081/app/'],
    },
  };
  return { services, store, publicJwk, launches, tokens };
}
