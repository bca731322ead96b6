/**
 * A remote model behind the Open Inference Protocol v2 REST API (KServe, NVIDIA Triton, Seldon
 * MLServer): `POST {url}/v2/models/{name}[/versions/{v}]/infer` with JSON tensors, model metadata
 * from `GET {url}/v2/models/{name}[/versions/{v}]`. Each call is cut at the hook's budget (an
 * AbortSignal); a circuit breaker stops calling a server that failed `failureThreshold` times in a
 * row for `openSeconds`. The auth header's value never appears in an error or a log. Each model has
 * its own connection pool (an undici Agent), trusting the CAs of `runtime.caFile` when given (a
 * private CA, as KServe and Triton behind an internal ingress often use) instead of the system's.
 * Spec: https://kserve.github.io/website/latest/modelserving/data_plane/v2_protocol/
 */
import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { Agent, fetch } from 'undici';
import { z } from 'zod';
import type { SiteModelProvenance } from '@rationale/shared-types';
import { ConfigError } from '../errors';
import { CircuitBreaker } from '../llm/circuit-breaker';
import type { SiteModelSpec } from './registry';
import { SiteModelError, type ModelRuntime } from './runtime';

const tensorSchema = z.object({
  name: z.string(),
  shape: z.array(z.number().int().nonnegative()),
  datatype: z.string(),
  data: z.array(z.union([z.number(), z.boolean()])),
});

/** The inference response (OIP v2 §Inference Response JSON Object). */
const inferResponseSchema = z.object({
  model_name: z.string().optional(),
  model_version: z.string().optional(),
  outputs: z.array(tensorSchema).min(1),
});

/** Model metadata (OIP v2 §Model Metadata Response JSON Object). */
const metadataSchema = z.looseObject({
  name: z.string(),
  versions: z.array(z.string()).optional(),
  platform: z.string().optional(),
});

/** Largest response body read; a model's answer for one row is small. */
const MAX_BODY_BYTES = 1024 * 1024;

export interface OipOptions {
  /** Monotonic milliseconds for the breaker (injected in tests). */
  now?: () => number;
}

/**
 * Reads `runtime.caFile` (relative to `baseDir`) at start-up. Throws ConfigError naming the field
 * when the file cannot be read or holds no certificate Node can parse.
 */
export function readCaFile(modelId: string, caFile: string, baseDir: string): string {
  const where = `models ${modelId}: runtime.caFile`;
  const path = isAbsolute(caFile) ? caFile : resolve(baseDir, caFile);
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(`${where}: cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw new ConfigError(`${where}: ${path} holds no PEM certificate`);
  for (const block of blocks) {
    try {
      new X509Certificate(block);
    } catch {
      throw new ConfigError(`${where}: ${path} holds a certificate that cannot be parsed`);
    }
  }
  return pem;
}

export function oipRuntime(
  model: SiteModelSpec & { authHeader?: string; baseDir?: string },
  options: OipOptions = {},
): ModelRuntime {
  if (model.runtime.kind !== 'oip') throw new Error('not an oip model');
  const runtime = model.runtime;
  const ca = runtime.caFile
    ? readCaFile(model.id, runtime.caFile, model.baseDir ?? process.cwd())
    : undefined;
  const agent = new Agent(ca ? { connect: { ca } } : {});
  const base = `${runtime.url.replace(/\/+$/, '')}/v2/models/${encodeURIComponent(runtime.model)}${
    runtime.version ? `/versions/${encodeURIComponent(runtime.version)}` : ''
  }`;
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (model.authHeader) headers.authorization = model.authHeader;
  const breaker = new CircuitBreaker({
    failureThreshold: runtime.failureThreshold,
    openMs: runtime.openSeconds * 1000,
    now: options.now ?? (() => performance.now()),
  });
  let provenance: SiteModelProvenance = {
    runtime: 'oip',
    server: { model: runtime.model, ...(runtime.version ? { version: runtime.version } : {}) },
  };
  let metadataRead: Promise<void> | undefined;

  async function call(url: string, signal: AbortSignal, body?: unknown): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(url, {
        method: body === undefined ? 'GET' : 'POST',
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal,
        redirect: 'error',
        dispatcher: agent,
      });
    } catch (e) {
      if (signal.aborted) throw new SiteModelError('timeout', 'over budget', { cause: e });
      throw new SiteModelError('unavailable', `cannot reach the model server (${(e as Error).name})`);
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new SiteModelError('unavailable', `the model server answered ${res.status}`);
    }
    try {
      const text = await res.text();
      if (text.length > MAX_BODY_BYTES) throw new SiteModelError('bad-response', 'response too large');
      return JSON.parse(text) as unknown;
    } catch (e) {
      if (e instanceof SiteModelError) throw e;
      if (signal.aborted) throw new SiteModelError('timeout', 'over budget', { cause: e });
      throw new SiteModelError('bad-response', 'the response is not JSON');
    }
  }

  /** Reads the model metadata once (best effort, its own short timeout) for the provenance. */
  function readMetadata(): void {
    metadataRead ??= call(base, AbortSignal.timeout(5_000))
      .then((body) => {
        const m = metadataSchema.parse(body);
        const sha256 = createHash('sha256').update(JSON.stringify(m)).digest('hex');
        provenance = {
          runtime: 'oip',
          server: {
            model: m.name,
            ...(runtime.version
              ? { version: runtime.version }
              : m.versions?.[0]
                ? { version: m.versions[0] }
                : {}),
            ...(m.platform ? { platform: m.platform } : {}),
            metadataSha256: sha256,
          },
        };
      })
      .catch(() => {
        metadataRead = undefined;
      });
  }

  return {
    async infer(row, signal) {
      if (!breaker.tryAcquire())
        throw new SiteModelError('circuit-open', 'the model server is failing; not called');
      try {
        const body = await call(`${base}/infer`, signal, {
          inputs: [{ name: runtime.input, shape: [1, row.length], datatype: 'FP32', data: [...row] }],
        });
        const parsed = inferResponseSchema.safeParse(body);
        if (!parsed.success) throw new SiteModelError('bad-response', 'not an OIP v2 inference response');
        const outputs: Record<string, number[]> = {};
        for (const t of parsed.data.outputs) {
          const size = t.shape.reduce((a, b) => a * b, 1);
          if (size !== t.data.length)
            throw new SiteModelError('bad-response', `output ${t.name}: shape and data disagree`);
          outputs[t.name] = t.data.map(Number);
        }
        breaker.recordSuccess();
        readMetadata();
        return outputs;
      } catch (e) {
        breaker.recordFailure();
        throw e;
      }
    },
    provenance: () => provenance,
    close: () => agent.destroy(),
  };
}
