/**
 * Server-side access to the FHIR store for the EHR simulator (`SandboxServices.fhir`): the EHR
 * itself, so no token and no scopes, but the same search semantics as `/fhir`.
 */
import type { Resource } from '@medplum/fhirtypes';
import type { SandboxFhir } from '../contracts';
import { FhirError } from './errors';
import type { SandboxRepository } from './repository';
import { runSearch, toQuery } from './search';

export function createSandboxFhir(repo: SandboxRepository, fhirBaseUrl: string): SandboxFhir {
  return {
    async read(resourceType, id) {
      try {
        return await repo.readResource<Resource>(resourceType, id);
      } catch {
        return undefined;
      }
    },
    async search(resourceType, query) {
      const bundle = await runSearch(repo, fhirBaseUrl, resourceType, toQuery(query), { all: true });
      return (bundle.entry ?? [])
        .filter((e) => e.search?.mode !== 'include')
        .flatMap((e) => (e.resource ? [e.resource] : []));
    },
    async create(resource) {
      const { id: _ignored, ...rest } = resource;
      return await repo.createResource(rest as typeof resource);
    },
    async update(resource) {
      if (!resource.id) throw new FhirError('invalid', 'update needs a resource id');
      return await repo.updateResource(resource);
    },
    async delete(resourceType, id) {
      await repo.deleteResource(resourceType, id);
    },
  };
}
