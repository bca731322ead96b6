/**
 * `npm run terminology:build -- --source DIR`: expands the terminology manifest
 * (src/model/terminology/manifest.ts) from the eCQM content repository's pre-expanded VSAC value
 * sets into src/model/terminology/generated/value-sets.json, recording the source repository,
 * its commit and every value set's version. DIR is a clone (or bare mirror) of
 * cqframework/ecqm-content-qicore-2024; git reads it, nothing is fetched from the network.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DRUGS } from '../src/model/knowledge/drugs/table';
import {
  ANALYTE_GROUPS,
  CONCEPT_GROUPS,
  CQL_OBSERVATIONS,
  RXNORM_SYSTEM_URL,
  SOURCE_PATH,
  SOURCE_REPOSITORY,
} from '../src/model/terminology/manifest';

const SYSTEM_KEYS: Record<string, string> = {
  'http://snomed.info/sct': 'snomed',
  'http://hl7.org/fhir/sid/icd-10-cm': 'icd10cm',
  'http://loinc.org': 'loinc',
  [RXNORM_SYSTEM_URL]: 'rxnorm',
  'http://www.ama-assn.org/go/cpt': 'cpt',
  'https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets': 'hcpcs',
  'http://www.cms.gov/Medicare/Coding/ICD10': 'icd10pcs',
  'http://www.nlm.nih.gov/research/umls/hcpcs': 'hcpcs',
};

interface Member {
  system: string;
  code: string;
  display?: string;
}
interface VsacValueSet {
  resourceType: string;
  id?: string;
  url?: string;
  title?: string;
  name?: string;
  version?: string;
  expansion?: { identifier?: string; timestamp?: string; contains?: Member[] };
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const source = arg('--source') ?? process.env.ECQM_CONTENT_DIR;
if (!source) {
  console.error('terminology:build needs --source DIR (a clone of cqframework/ecqm-content-qicore-2024)');
  process.exit(2);
}
const git = (...args: string[]): string =>
  execFileSync('git', ['-C', source, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });

const commit = git('rev-parse', 'HEAD').trim();
const paths = git('ls-tree', '-r', '--name-only', 'HEAD', SOURCE_PATH)
  .split('\n')
  .filter((p) => p.endsWith('.json'));
// One `git cat-file --batch` process reads every blob.
const batch = execFileSync('git', ['-C', source, 'cat-file', '--batch'], {
  input: paths.map((p) => `HEAD:${p}`).join('\n') + '\n',
  maxBuffer: 1 << 30,
});
const valueSets = new Map<string, VsacValueSet>();
let offset = 0;
for (const path of paths) {
  const headerEnd = batch.indexOf(10, offset);
  const header = batch.subarray(offset, headerEnd).toString('utf8');
  const size = Number(header.split(' ')[2]);
  const body = batch.subarray(headerEnd + 1, headerEnd + 1 + size).toString('utf8');
  offset = headerEnd + 1 + size + 1;
  if (!Number.isFinite(size)) throw new Error(`cannot read ${path}: ${header}`);
  const vs = JSON.parse(body) as VsacValueSet;
  if (vs.resourceType !== 'ValueSet' || !vs.id) continue;
  valueSets.set(vs.id, vs);
}

function load(oid: string): VsacValueSet {
  const vs = valueSets.get(oid);
  if (!vs?.expansion?.contains?.length) throw new Error(`value set ${oid} not found or not expanded`);
  return vs;
}

const usedValueSets = new Map<string, { title: string; version: string; expansion: string }>();
function members(oid: string, include?: string, exclude?: string): Member[] {
  const vs = load(oid);
  usedValueSets.set(oid, {
    title: vs.title ?? vs.name ?? oid,
    version: vs.version ?? '',
    expansion: vs.expansion?.identifier ?? vs.expansion?.timestamp ?? '',
  });
  const inc = include ? new RegExp(include, 'i') : undefined;
  const exc = exclude ? new RegExp(exclude, 'i') : undefined;
  return (vs.expansion?.contains ?? []).filter(
    (m) => (!inc || inc.test(m.display ?? '')) && (!exc || !exc.test(m.display ?? '')),
  );
}

const sortedUnique = (xs: Iterable<string>): string[] =>
  [...new Set(xs)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

const groups: Record<
  string,
  {
    label: string;
    valueSets: string[];
    icd10cm: string[];
    resources: string[];
    codes: Record<string, string[]>;
  }
> = {};
for (const spec of CONCEPT_GROUPS) {
  const bySystem = new Map<string, Set<string>>();
  for (const oid of spec.valueSets) {
    for (const m of members(oid, spec.includeDisplay, spec.excludeDisplay)) {
      const key = SYSTEM_KEYS[m.system] ?? m.system;
      const set = bySystem.get(key) ?? new Set<string>();
      set.add(m.code);
      bySystem.set(key, set);
    }
  }
  const codes: Record<string, string[]> = {};
  for (const [key, set] of [...bySystem].sort(([a], [b]) => a.localeCompare(b)))
    codes[key] = sortedUnique(set);
  groups[spec.id] = {
    label: spec.label,
    valueSets: spec.valueSets,
    icd10cm: spec.icd10cm ?? [],
    resources: ['Condition', ...(spec.resources ?? [])],
    codes,
  };
}

const analytes: Record<string, string[]> = {};
for (const spec of ANALYTE_GROUPS) {
  const codes = spec.valueSets.flatMap((oid) =>
    members(oid, spec.includeDisplay, spec.excludeDisplay)
      .filter((m) => m.system === 'http://loinc.org')
      .map((m) => m.code),
  );
  analytes[spec.id] = sortedUnique(codes);
}

// RxNorm: every member of every value set whose display names a drug-table ingredient.
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const ingredientPatterns = DRUGS.flatMap((d) => d.ingredient.split('/')).map(
  (name) => new RegExp(`(^|[^a-z])${escape(name)}(?=$|[^a-z])`, 'i'),
);
const rxnorm: Record<string, string> = {};
const rxnormValueSets = new Set<string>();
for (const [oid, vs] of [...valueSets].sort(([a], [b]) => a.localeCompare(b))) {
  for (const m of vs.expansion?.contains ?? []) {
    if (m.system !== RXNORM_SYSTEM_URL || !m.display) continue;
    if (!ingredientPatterns.some((p) => p.test(m.display as string))) continue;
    rxnorm[m.code] ??= m.display;
    rxnormValueSets.add(oid);
  }
}
for (const oid of rxnormValueSets) members(oid);

/**
 * Observation rules from the eCQM CQL libraries: each `[Observation: "X"]` retrieval where X is a
 * direct-reference code of the library, with the answer a following `value ~ "Y"` requires (within
 * the same `exists` clause). A retrieval by value set, or a code the library does not declare,
 * fails the build: the manifest would have to say how to read it.
 */
interface CqlCode {
  system: string;
  code: string;
  display?: string;
}
const observations: Array<{
  group: string;
  code: CqlCode;
  value?: CqlCode;
  library: string;
  version: string;
  path: string;
}> = [];
for (const spec of CQL_OBSERVATIONS) {
  const cql = git('show', `HEAD:${spec.path}`);
  const header = /^library\s+(\w+)\s+version\s+'([^']+)'/m.exec(cql);
  if (!header?.[1] || !header[2]) throw new Error(`${spec.path}: no library header`);
  const systems = new Map(
    [...cql.matchAll(/^codesystem\s+"([^"]+)":\s*'([^']+)'/gm)].map((m) => [m[1] as string, m[2] as string]),
  );
  const codes = new Map<string, CqlCode>();
  for (const m of cql.matchAll(
    /^code\s+"([^"]+)":\s*'([^']+)'\s+from\s+"([^"]+)"(?:\s+display\s+'([^']*)')?/gm,
  )) {
    const system = systems.get(m[3] as string);
    if (!system) throw new Error(`${spec.path}: code system ${m[3]} not declared`);
    codes.set(m[1] as string, { system, code: m[2] as string, ...(m[4] ? { display: m[4] } : {}) });
  }
  // Clauses: the text from one `exists` to the next, so a value test belongs to its retrieval.
  for (const clause of cql.split(/\bexists\b/)) {
    for (const m of clause.matchAll(/\[Observation:\s*"([^"]+)"\]/g)) {
      const code = codes.get(m[1] as string);
      if (!code) throw new Error(`${spec.path}: [Observation: "${m[1]}"] is not a direct-reference code`);
      const valueName = /\.value\s*~\s*"([^"]+)"/.exec(clause)?.[1];
      const value = valueName ? codes.get(valueName) : undefined;
      if (valueName && !value) throw new Error(`${spec.path}: value "${valueName}" is not a declared code`);
      observations.push({
        group: spec.group,
        code,
        ...(value ? { value } : {}),
        library: header[1],
        version: header[2],
        path: spec.path,
      });
    }
  }
}

const out = {
  generatedBy: 'cds-service/scripts/terminology-build.ts (npm run terminology:build)',
  source: { repository: SOURCE_REPOSITORY, commit, path: SOURCE_PATH },
  valueSets: Object.fromEntries([...usedValueSets].sort(([a], [b]) => a.localeCompare(b))),
  groups,
  analytes,
  observations,
  rxnorm: Object.fromEntries(Object.entries(rxnorm).sort(([a], [b]) => Number(a) - Number(b))),
};
const dir = resolve(__dirname, '../src/model/terminology/generated');
mkdirSync(dir, { recursive: true });
writeFileSync(resolve(dir, 'value-sets.json'), JSON.stringify(out, null, 1) + '\n');
const counts = Object.entries(groups).map(
  ([id, g]) => `${id}: ${Object.values(g.codes).reduce((n, c) => n + c.length, 0)}`,
);
console.log(
  `terminology: ${usedValueSets.size} value sets from ${SOURCE_REPOSITORY}@${commit.slice(0, 12)}; ${counts.join(', ')}; ` +
    `${Object.keys(rxnorm).length} RxNorm codes; ${Object.values(analytes).flat().length} LOINC codes; ` +
    `${observations.length} CQL observation rules`,
);
