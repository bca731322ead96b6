/**
 * Loads FHIR Bundles into the sandbox store: transaction and batch Bundles (Synthea output),
 * collections and searchsets. `urn:uuid:` and absolute `fullUrl`s are resolved to the ids the
 * resources get here, and every reference to them is rewritten. A POSTed resource keeps the id
 * its fullUrl or body carries when that id is free (so Synthea ids stay stable across restarts),
 * else it gets a new one; `ifNoneExist` matches reuse the existing resource; PUT keeps its URL id.
 */
import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseSearchRequest } from '@medplum/core';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import type { SandboxRepository } from '../fhir-server/repository';

export interface LoadResult {
  resources: number;
  skipped: number;
}

const ID = /^[A-Za-z0-9\-.]{1,64}$/;

/** Loads one Bundle; returns how many resources were written. */
export async function loadBundle(repo: SandboxRepository, bundle: Bundle): Promise<LoadResult> {
  if (bundle.resourceType !== 'Bundle')
    throw new Error(`not a Bundle: ${String((bundle as Resource).resourceType)}`);
  const entries = (bundle.entry ?? []).filter((e) => e.resource);
  const mapping = new Map<string, string>();
  const planned: { resource: Resource; id: string }[] = [];
  const taken = new Set<string>();
  let skipped = 0;
  for (const entry of entries) {
    const resource = entry.resource as Resource;
    const method = entry.request?.method;
    const url = entry.request?.url ?? '';
    let id: string | undefined;
    if (method === 'PUT' && /^[A-Z][A-Za-z]+\/[^/?]+$/.test(url)) {
      id = url.split('/')[1];
    } else if (method === 'POST' && entry.request?.ifNoneExist) {
      const existing = await repo.searchResources(
        parseSearchRequest(`${resource.resourceType}?${entry.request.ifNoneExist}`),
      );
      if (existing[0]) {
        if (entry.fullUrl) mapping.set(entry.fullUrl, `${resource.resourceType}/${existing[0].id}`);
        skipped++;
        continue;
      }
    }
    if (!id) {
      const fromUrl = entry.fullUrl?.startsWith('urn:uuid:')
        ? entry.fullUrl.slice('urn:uuid:'.length)
        : undefined;
      const candidate = resource.id ?? fromUrl;
      const key = candidate ? `${resource.resourceType}/${candidate}` : '';
      const free =
        candidate &&
        ID.test(candidate) &&
        !taken.has(key) &&
        !(await exists(repo, resource.resourceType, candidate));
      id = free && candidate ? candidate : randomUUID();
    }
    taken.add(`${resource.resourceType}/${id}`);
    const reference = `${resource.resourceType}/${id}`;
    if (entry.fullUrl) mapping.set(entry.fullUrl, reference);
    if (resource.id) mapping.set(`${resource.resourceType}/${resource.id}`, reference);
    planned.push({ resource, id });
  }
  for (const { resource, id } of planned) {
    const rewritten = rewriteReferences({ ...resource, id }, mapping);
    await repo.updateResource(rewritten);
  }
  return { resources: planned.length, skipped };
}

async function exists(repo: SandboxRepository, type: string, id: string): Promise<boolean> {
  try {
    await repo.readResource(type, id);
    return true;
  } catch {
    return false;
  }
}

function rewriteReferences<T>(value: T, mapping: Map<string, string>): T {
  if (Array.isArray(value)) return (value as unknown[]).map((v) => rewriteReferences(v, mapping)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] =
        k === 'reference' && typeof v === 'string' ? (mapping.get(v) ?? v) : rewriteReferences(v, mapping);
    }
    return out as T;
  }
  return value;
}

export interface ImportResult {
  files: number;
  resources: number;
  failed: { file: string; error: string }[];
  milliseconds: number;
}

/** Loads every `*.json` Bundle in a folder (not recursive), in name order. */
export async function importDirectory(
  repo: SandboxRepository,
  dir: string,
  now: () => number = Date.now,
): Promise<ImportResult> {
  const started = now();
  const names = (await readdir(dir)).filter((n) => n.endsWith('.json')).sort();
  const result: ImportResult = { files: 0, resources: 0, failed: [], milliseconds: 0 };
  for (const name of names) {
    try {
      const bundle = JSON.parse(await readFile(join(dir, name), 'utf8')) as Bundle;
      const loaded = await loadBundle(repo, bundle);
      result.files++;
      result.resources += loaded.resources;
    } catch (err) {
      result.failed.push({ file: name, error: err instanceof Error ? err.message : String(err) });
    }
  }
  result.milliseconds = now() - started;
  return result;
}
