/**
 * The FHIR R4 REST edge at `/fhir`: the only module of the FHIR server that knows Express. Every
 * request but `/metadata` needs a Bearer access token from the sandbox's auth server (a bare 401
 * with `WWW-Authenticate: Bearer` otherwise) whose scopes cover the interaction (else 403). Reads,
 * searches, create, update, delete and transaction/batch bundles run on the sandbox repository
 * through Medplum's FHIR router; errors answer as OperationOutcome.
 */
import { OperationOutcomeError } from '@medplum/core';
import { FhirRouter, type FhirRequest, type HttpMethod } from '@medplum/fhir-router';
import type { Bundle, BundleEntry, CapabilityStatement, Resource } from '@medplum/fhirtypes';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { parseScopes } from '../auth-server/scopes';
import { cors } from '../auth-server/cors';
import { accessRule, type AccessContext, type Interaction } from './access';
import { isSupportedType } from './capability';
import { FhirError, outcome, statusOf, toOutcome } from './errors';
import type { SandboxRepository } from './repository';
import { runSearch, toQuery } from './search';

/** What the auth server vouches for about a presented access token. */
export interface VerifiedAccessToken {
  scope: string;
  /** Bare Patient id of the launch context. */
  patient?: string;
  clientId: string;
}

export interface FhirServerDeps {
  repo: SandboxRepository;
  fhirBaseUrl: string;
  /** Resolves a Bearer token; undefined when it is forged, expired, revoked or unknown. */
  verifyAccessToken(token: string): Promise<VerifiedAccessToken | undefined>;
  capabilityStatement: CapabilityStatement;
  /** Origins allowed by CORS (registered apps and the sandbox itself). */
  corsOrigins: readonly string[];
  /** Unexpected failures (500s) are reported here: ids and messages only. */
  onError?: (err: unknown) => void;
}

const FHIR_JSON = 'application/fhir+json; charset=utf-8';
const MAX_BUNDLE_ENTRIES = 1000;

interface Caller {
  access: AccessContext;
}

/** Builds the Express router mounted at `/fhir`. */
export function createFhirRouter(deps: FhirServerDeps): Router {
  const router = express.Router();
  const medplum = new FhirRouter();
  const { repo, fhirBaseUrl } = deps;

  router.use(cors(deps.corsOrigins));
  router.use(express.json({ type: ['application/json', 'application/fhir+json'], limit: '20mb' }));
  router.use(express.urlencoded({ extended: false }));

  router.get('/metadata', (_req, res) => {
    res.status(200).type(FHIR_JSON).send(JSON.stringify(deps.capabilityStatement));
  });

  router.use(async (req: Request, res: Response, next: NextFunction) => {
    const header = req.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match?.[1]) {
      res.status(401).setHeader('WWW-Authenticate', 'Bearer realm="rationale-sandbox"').end();
      return;
    }
    const token = await deps.verifyAccessToken(match[1]).catch(() => undefined);
    if (!token) {
      res
        .status(401)
        .setHeader('WWW-Authenticate', 'Bearer realm="rationale-sandbox", error="invalid_token"')
        .end();
      return;
    }
    const caller: Caller = {
      access: {
        scopes: parseScopes(token.scope).resources,
        ...(token.patient ? { patient: token.patient } : {}),
      },
    };
    res.locals.caller = caller;
    next();
  });

  const callerOf = (res: Response): Caller => res.locals.caller as Caller;

  function requireRule(caller: Caller, type: string, interaction: Interaction) {
    const rule = accessRule(caller.access, type, interaction);
    if (!rule) throw new FhirError('forbidden', `The access token grants no ${interaction} on ${type}`);
    return rule;
  }

  function requireType(type: string): void {
    if (!isSupportedType(type)) throw new FhirError('not-found', `Unsupported resource type: ${type}`);
  }

  async function current(type: string, id: string): Promise<Resource | undefined> {
    try {
      return await repo.readResource(type, id);
    } catch {
      return undefined;
    }
  }

  async function readOrThrow(type: string, id: string): Promise<Resource> {
    const found = await current(type, id);
    if (found) return found;
    if (repo.wasDeleted(type, id)) throw new FhirError('gone', `${type}/${id} was deleted`);
    throw new FhirError('not-found', `${type}/${id} not found`);
  }

  const search = async (req: Request, res: Response, query: Record<string, unknown>): Promise<void> => {
    const type = String(req.params.type);
    requireType(type);
    const caller = callerOf(res);
    const rule = requireRule(caller, type, 'search');
    const bundle = await runSearch(repo, fhirBaseUrl, type, toQuery(query), {
      rule,
      includeRule: (t) => accessRule(caller.access, t, 'search') ?? accessRule(caller.access, t, 'read'),
    });
    sendResource(res, 200, bundle);
  };

  router.get(
    '/:type',
    wrap(async (req, res) => search(req, res, req.query as Record<string, unknown>)),
  );
  router.post(
    '/:type/_search',
    wrap(async (req, res) =>
      search(req, res, {
        ...(req.query as Record<string, unknown>),
        ...((req.body ?? {}) as Record<string, unknown>),
      }),
    ),
  );

  router.get(
    '/:type/:id',
    wrap(async (req, res) => {
      const type = String(req.params.type);
      requireType(type);
      const rule = requireRule(callerOf(res), type, 'read');
      const resource = await readOrThrow(type, String(req.params.id));
      if (!rule.allows(resource))
        throw new FhirError('forbidden', `The access token does not cover ${type}/${resource.id}`);
      sendResource(res, 200, resource);
    }),
  );

  const history = wrap(async (req, res) => {
    const type = String(req.params.type);
    requireType(type);
    const rule = requireRule(callerOf(res), type, 'read');
    const resource = await readOrThrow(type, String(req.params.id));
    if (!rule.allows(resource))
      throw new FhirError('forbidden', `The access token does not cover ${type}/${resource.id}`);
    await delegate(req, res, 'GET', req.path, undefined);
  });
  router.get('/:type/:id/_history', history);
  router.get('/:type/:id/_history/:vid', history);

  router.post(
    '/:type',
    wrap(async (req, res) => {
      const type = String(req.params.type);
      requireType(type);
      const body = resourceBody(req, type);
      const rule = requireRule(callerOf(res), type, 'create');
      if (!rule.allows(body))
        throw new FhirError('forbidden', `The access token does not allow creating this ${type}`);
      await delegate(req, res, 'POST', `/${type}`, body);
    }),
  );

  router.put(
    '/:type/:id',
    wrap(async (req, res) => {
      const type = String(req.params.type);
      const id = String(req.params.id);
      requireType(type);
      const body = resourceBody(req, type);
      if (body.id !== id)
        throw new FhirError('invalid', `Resource id ${body.id ?? '(none)'} does not match the URL id ${id}`);
      const caller = callerOf(res);
      const existing = await current(type, id);
      const rule = requireRule(caller, type, existing ? 'update' : 'create');
      if (!rule.allows(body) || (existing && !rule.allows(existing))) {
        throw new FhirError('forbidden', `The access token does not allow writing ${type}/${id}`);
      }
      await delegate(req, res, 'PUT', `/${type}/${id}`, body, existing ? 200 : 201);
    }),
  );

  router.delete(
    '/:type/:id',
    wrap(async (req, res) => {
      const type = String(req.params.type);
      const id = String(req.params.id);
      requireType(type);
      const rule = requireRule(callerOf(res), type, 'delete');
      const existing = await readOrThrow(type, id);
      if (!rule.allows(existing))
        throw new FhirError('forbidden', `The access token does not allow deleting ${type}/${id}`);
      await repo.deleteResource(type, id);
      res.status(204).end();
    }),
  );

  router.patch('/:type/:id', (_req, res) => {
    res
      .status(405)
      .type(FHIR_JSON)
      .send(JSON.stringify(outcome('error', 'not-supported', 'PATCH is not supported by the sandbox')));
  });

  router.post(
    '/',
    wrap(async (req, res) => {
      const bundle = req.body as Bundle | undefined;
      if (
        !bundle ||
        bundle.resourceType !== 'Bundle' ||
        (bundle.type !== 'transaction' && bundle.type !== 'batch')
      ) {
        throw new FhirError('invalid', 'POST to the base accepts a transaction or batch Bundle');
      }
      const entries = bundle.entry ?? [];
      if (entries.length === 0) throw new FhirError('invalid', 'The Bundle has no entries');
      if (entries.length > MAX_BUNDLE_ENTRIES)
        throw new FhirError('too-large', `At most ${MAX_BUNDLE_ENTRIES} entries per Bundle`);
      const caller = callerOf(res);
      for (const [i, entry] of entries.entries()) await checkEntry(caller, entry, i);
      await delegate(req, res, 'POST', '/', bundle);
    }),
  );

  /** Scope checks for one transaction/batch entry (before anything is written). */
  async function checkEntry(caller: Caller, entry: BundleEntry, index: number): Promise<void> {
    const method = entry.request?.method;
    const url = entry.request?.url ?? '';
    const [path = ''] = url.split('?');
    const [type = '', id] = path.replace(/^\/+/, '').split('/');
    if (!method || !type)
      throw new FhirError('invalid', `Bundle.entry[${index}].request needs method and url`);
    requireType(type);
    if (method === 'GET' || method === 'HEAD' || method === 'PATCH') {
      throw new FhirError(
        'not-supported',
        `Bundle.entry[${index}]: ${method} entries are not supported in bundles`,
      );
    }
    if (method === 'DELETE') {
      const rule = requireRule(caller, type, 'delete');
      const existing = id ? await current(type, id) : undefined;
      if (!id)
        throw new FhirError('not-supported', `Bundle.entry[${index}]: conditional delete is not supported`);
      if (existing && !rule.allows(existing))
        throw new FhirError('forbidden', `Bundle.entry[${index}]: cannot delete ${type}/${id}`);
      return;
    }
    const resource = entry.resource;
    if (!resource || resource.resourceType !== type) {
      throw new FhirError('invalid', `Bundle.entry[${index}].resource must be a ${type}`);
    }
    const existing = method === 'PUT' && id ? await current(type, id) : undefined;
    const rule = requireRule(caller, type, method === 'PUT' && existing ? 'update' : 'create');
    if (!rule.allows(resource) || (existing && !rule.allows(existing))) {
      throw new FhirError(
        'forbidden',
        `Bundle.entry[${index}]: the access token does not allow writing this ${type}`,
      );
    }
  }

  /** Runs a request through Medplum's FHIR router and answers with its outcome. */
  async function delegate(
    req: Request,
    res: Response,
    method: HttpMethod,
    url: string,
    body: unknown,
    okStatus?: number,
  ): Promise<void> {
    const request = {
      method,
      url,
      params: {},
      query: {},
      body,
      headers: req.headers,
      config: { transactions: true },
    } as unknown as FhirRequest;
    const [result, resource] = await medplum.handleRequest(request, repo);
    const status = statusOf(result);
    if (status >= 400) {
      res
        .status(status)
        .type(FHIR_JSON)
        .send(JSON.stringify(toOutcome(new OperationOutcomeError(result)).outcome));
      return;
    }
    if (!resource) {
      res.status(okStatus ?? status).end();
      return;
    }
    if ((status === 201 || okStatus === 201) && 'id' in resource && resource.id) {
      res.setHeader(
        'Location',
        `${fhirBaseUrl}/${resource.resourceType}/${resource.id}/_history/${resource.meta?.versionId ?? ''}`,
      );
    }
    sendResource(res, okStatus ?? status, resource, fhirBaseUrl);
  }

  router.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if ((err as { type?: string }).type === 'entity.parse.failed') {
      res
        .status(400)
        .type(FHIR_JSON)
        .send(JSON.stringify(outcome('error', 'structure', 'The body is not valid JSON')));
      return;
    }
    const { status, outcome: body, unexpected } = toOutcome(err);
    if (unexpected) deps.onError?.(err);
    res.status(status).type(FHIR_JSON).send(JSON.stringify(body));
  });

  return router;
}

function resourceBody(req: Request, type: string): Resource {
  const body = req.body as Resource | undefined;
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw new FhirError('invalid', 'The body must be a FHIR resource');
  if (body.resourceType !== type)
    throw new FhirError('invalid', `The body is a ${String(body.resourceType)}, not a ${type}`);
  return body;
}

function sendResource(res: Response, status: number, resource: Resource, fhirBaseUrl?: string): void {
  if (resource.meta?.versionId) res.setHeader('ETag', `W/"${resource.meta.versionId}"`);
  if (resource.meta?.lastUpdated)
    res.setHeader('Last-Modified', new Date(resource.meta.lastUpdated).toUTCString());
  if (fhirBaseUrl && resource.resourceType === 'Bundle') {
    for (const e of resource.entry ?? []) {
      if (e.response?.location && !e.response.location.startsWith('http')) {
        e.response.location = `${fhirBaseUrl}/${e.response.location}`;
      }
    }
  }
  res.status(status).type(FHIR_JSON).send(JSON.stringify(resource));
}

function wrap(handler: (req: Request, res: Response) => Promise<void>) {
  return (req: Request, res: Response, next: NextFunction): void => {
    handler(req, res).catch(next);
  };
}
