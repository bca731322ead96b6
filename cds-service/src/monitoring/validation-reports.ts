/**
 * Validation reports on the monitoring page (issue 15 §4): the folder configured as
 * `validationReportsDir` holds one sub-folder per `rationale validate --out DIR` run. Each is listed
 * by its report.json's summary, and its files (report.html, report.json, the CSV tables) are served
 * to the admin. Only those names are served, and only from inside the folder: a name with a path in
 * it, a hidden file or a symbolic link leading out of the folder is not found.
 */
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';

export interface ValidationReportEntry {
  /** The sub-folder's name: the report's id in URLs. */
  name: string;
  generatedAt?: string;
  patients?: number;
  /** `name version` of the model that was validated. */
  model?: string;
  /** Modes replayed: cross-sectional, as-of. */
  modes: string[];
  /** Whether the service's own figures (silent mode, acceptance, overrides) are in it. */
  storeFigures: boolean;
  /** The files served for it, report.html first. */
  files: string[];
}

const REPORT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const FILE_NAME = /^(report\.html|report\.json|[a-z0-9][a-z0-9-]*\.csv)$/;

/** The content type a served file goes out with. */
export function contentTypeOf(file: string): string {
  if (file.endsWith('.html')) return 'text/html; charset=utf-8';
  if (file.endsWith('.json')) return 'application/json; charset=utf-8';
  return 'text/csv; charset=utf-8';
}

/** `path` when it is a regular file whose real location is inside `root` (itself real). */
function inside(root: string, path: string): string | undefined {
  try {
    const real = realpathSync(path);
    if (!real.startsWith(root + sep) || !statSync(real).isFile()) return undefined;
    return real;
  } catch {
    return undefined;
  }
}

function summaryOf(json: unknown): Omit<ValidationReportEntry, 'name' | 'files'> {
  const r = (json ?? {}) as {
    generatedAt?: unknown;
    source?: { patients?: unknown };
    model?: { name?: unknown; version?: unknown };
    crossSectional?: unknown;
    asOf?: unknown;
    store?: unknown;
  };
  return {
    ...(typeof r.generatedAt === 'string' ? { generatedAt: r.generatedAt } : {}),
    ...(typeof r.source?.patients === 'number' ? { patients: r.source.patients } : {}),
    ...(typeof r.model?.name === 'string' && typeof r.model.version === 'string'
      ? { model: `${r.model.name} ${r.model.version}` }
      : {}),
    modes: [...(r.crossSectional ? ['cross-sectional'] : []), ...(r.asOf ? ['as-of'] : [])],
    storeFigures: r.store !== undefined,
  };
}

/**
 * The reports in `dir`, newest first. A sub-folder without a readable report.json is not a report.
 * A folder that does not exist holds no reports.
 */
export function listValidationReports(dir: string): ValidationReportEntry[] {
  let root: string;
  let names: string[];
  try {
    root = realpathSync(dir);
    names = readdirSync(root);
  } catch {
    return [];
  }
  const entries: ValidationReportEntry[] = [];
  for (const name of names) {
    if (!REPORT_NAME.test(name)) continue;
    const json = inside(root, join(root, name, 'report.json'));
    if (!json) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(json, 'utf8'));
    } catch {
      continue;
    }
    let files: string[];
    try {
      files = readdirSync(join(root, name))
        .filter((f) => FILE_NAME.test(f) && inside(root, join(root, name, f)))
        .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
    } catch {
      continue;
    }
    entries.push({ name, ...summaryOf(parsed), files });
  }
  return entries.sort(
    (a, b) => (b.generatedAt ?? '').localeCompare(a.generatedAt ?? '') || a.name.localeCompare(b.name),
  );
}

const rank = (file: string) => (file === 'report.html' ? 0 : file === 'report.json' ? 1 : 2);

/** The path of one report's file, or undefined when it is not one that is served. */
export function validationReportFile(dir: string, name: string, file: string): string | undefined {
  if (!REPORT_NAME.test(name) || !FILE_NAME.test(file)) return undefined;
  let root: string;
  try {
    root = realpathSync(dir);
  } catch {
    return undefined;
  }
  return inside(root, join(root, name, file));
}

/**
 * The policy report.html is served under: it is self-contained (inline styles and SVG, no script),
 * so nothing else may load, and it runs sandboxed, whatever it holds.
 */
export const VALIDATION_REPORT_CSP = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  'img-src data:',
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  'sandbox',
].join('; ');
