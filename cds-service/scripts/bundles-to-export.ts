/**
 * Turns a folder of FHIR bundles (the developers' Synthea patients) into a FHIR Bulk Data export
 * folder as `$export` writes it: one NDJSON file per resource type (gzip-compressed with --gzip),
 * references as `Type/id`, and a manifest. With --copies N, every patient is written N times; with
 * --patients N, exactly N patients are written, the bundles copied in turn (as evenly as N allows).
 * Each copy is re-identified: every resource id and business identifier gets the suffix `-<k>`,
 * and references follow, so the copies are distinct patients to the reader. For the scale
 * benchmark: a large export from a small set.
 *
 *   npx tsx cds-service/scripts/bundles-to-export.ts --bundles DIR --out DIR [--gzip]
 *     [--copies N | --patients N] [--limit N]
 */
import {
  createWriteStream,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
  type WriteStream,
} from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createGzip, type Gzip } from 'node:zlib';

export interface ConvertOptions {
  gzip?: boolean;
  copies?: number;
  /** Exactly this many patients: each bundle copied ⌊N/M⌋ or ⌈N/M⌉ times (not with `copies`). */
  patients?: number;
  /** Only the first N bundles (by file name). */
  limit?: number;
}

/** Rewrites `urn:uuid:x` references to `Type/x`-style ids and suffixes every id for a copy. */
function rewrite(value: unknown, types: Map<string, string>, suffix: string): unknown {
  if (Array.isArray(value)) return value.map((v) => rewrite(v, types, suffix));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === 'reference' && typeof v === 'string') {
        const uuid = v.startsWith('urn:uuid:') ? v.slice(9) : undefined;
        const type = uuid ? types.get(uuid) : undefined;
        out[k] = uuid && type ? `${type}/${uuid}${suffix}` : v.replace(/^(\w+)\/([^/]+)$/, `$1/$2${suffix}`);
      } else if (k === 'id' && typeof v === 'string' && typeof out['resourceType'] === 'string') {
        out[k] = `${v}${suffix}`;
      } else out[k] = rewrite(v, types, suffix);
    }
    // Business identifiers (MRN, SSN, licence numbers…) of the resource itself follow its id.
    if (suffix && typeof out['resourceType'] === 'string' && Array.isArray(out['identifier']))
      out['identifier'] = (out['identifier'] as Array<Record<string, unknown>>).map((i) =>
        typeof i.value === 'string' ? { ...i, value: `${i.value}${suffix}` } : i,
      );
    return out;
  }
  return value;
}

/** Writes the export; returns the number of patients and of resources per type. */
export async function bundlesToExport(
  bundleDir: string,
  outDir: string,
  options: ConvertOptions = {},
): Promise<{ patients: number; resources: Record<string, number> }> {
  mkdirSync(outDir, { recursive: true });
  const files = readdirSync(bundleDir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .slice(0, options.limit ?? Infinity);
  const streams = new Map<string, { file: WriteStream; gz?: Gzip }>();
  const counts: Record<string, number> = {};
  const ext = options.gzip ? 'ndjson.gz' : 'ndjson';
  const write = async (type: string, line: string) => {
    let s = streams.get(type);
    if (!s) {
      const file = createWriteStream(join(outDir, `${type}.${ext}`));
      if (options.gzip) {
        const gz = createGzip();
        gz.pipe(file);
        s = { file, gz };
      } else s = { file };
      streams.set(type, s);
    }
    counts[type] = (counts[type] ?? 0) + 1;
    const target = s.gz ?? s.file;
    if (!target.write(`${line}\n`)) await new Promise<void>((resolve) => target.once('drain', resolve));
  };
  let patients = 0;
  if (options.copies !== undefined && options.patients !== undefined)
    throw new Error('copies and patients are exclusive');
  const copiesOf = (i: number) =>
    options.patients === undefined
      ? (options.copies ?? 1)
      : Math.floor(options.patients / files.length) + (i < options.patients % files.length ? 1 : 0);
  const suffixed = files.some((_f, i) => copiesOf(i) > 1);
  for (const [i, f] of files.entries()) {
    const copies = copiesOf(i);
    if (copies === 0) continue;
    const bundle = JSON.parse(readFileSync(join(bundleDir, f), 'utf8')) as {
      entry?: Array<{ fullUrl?: string; resource?: { resourceType: string; id?: string } }>;
    };
    const types = new Map<string, string>();
    for (const e of bundle.entry ?? []) if (e.resource?.id) types.set(e.resource.id, e.resource.resourceType);
    for (let k = 0; k < copies; k++) {
      const suffix = suffixed ? `-${k}` : '';
      for (const e of bundle.entry ?? []) {
        if (!e.resource) continue;
        // Keys in insertion order put resourceType first, which `rewrite` relies on for ids.
        const { resourceType, ...rest } = e.resource;
        const resource = rewrite({ resourceType, ...rest }, types, suffix);
        if (e.resource.resourceType === 'Patient') patients++;
        await write(e.resource.resourceType, JSON.stringify(resource));
      }
    }
  }
  await Promise.all(
    [...streams.values()].map(
      (s) =>
        new Promise<void>((resolve, reject) => {
          s.file.once('finish', resolve).once('error', reject);
          (s.gz ?? s.file).end();
        }),
    ),
  );
  writeFileSync(
    join(outDir, 'manifest.json'),
    `${JSON.stringify(
      {
        transactionTime: new Date(0).toISOString(),
        request: '[base]/Patient/$export',
        requiresAccessToken: false,
        output: Object.keys(counts)
          .sort()
          .map((type) => ({ type, url: `${type}.${ext}`, count: counts[type] })),
        error: [],
      },
      null,
      2,
    )}\n`,
  );
  return { patients, resources: counts };
}

if (require.main === module) {
  const { values } = parseArgs({
    options: {
      bundles: { type: 'string' },
      out: { type: 'string' },
      gzip: { type: 'boolean', default: false },
      copies: { type: 'string' },
      patients: { type: 'string' },
      limit: { type: 'string' },
    },
  });
  if (!values.bundles || !values.out) {
    process.stderr.write(
      'usage: bundles-to-export --bundles DIR --out DIR [--gzip] [--copies N | --patients N] [--limit N]\n',
    );
    process.exit(2);
  }
  void bundlesToExport(values.bundles, values.out, {
    gzip: values.gzip ?? false,
    ...(values.copies ? { copies: Number(values.copies) } : {}),
    ...(values.patients ? { patients: Number(values.patients) } : {}),
    ...(values.limit ? { limit: Number(values.limit) } : {}),
  }).then(({ patients, resources }) =>
    process.stdout.write(`${patients} patients; ${JSON.stringify(resources)}\n`),
  );
}
