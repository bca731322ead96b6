/**
 * The README's folder tables are how a newcomer learns what each folder is for: every folder of the
 * repository and of cds-service/src has a row, and every row names a folder that exists.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/stack';

/** Installed or generated (.gitignore). */
const IGNORED = new Set(['node_modules', 'dist', 'coverage']);
const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');

/** Each folder table of the README: the folders named in its first column. */
function folderTables(): string[][] {
  const tables: string[][] = [];
  let current: string[] | undefined;
  for (const line of readme.split('\n')) {
    if (/^\|\s*folder\s*\|/.test(line)) tables.push((current = []));
    else if (!line.startsWith('|')) current = undefined;
    const m = /^\|\s*`([^`]+)\/`\s*\|/.exec(line);
    if (m && current) current.push(m[1]!);
  }
  return tables.map((t) => t.sort());
}

/** The folders under `dir` that belong to the project (not installed, not generated, not hidden). */
function folders(dir: string): string[] {
  return readdirSync(join(REPO_ROOT, dir), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .filter((n) => !IGNORED.has(n) && (!n.startsWith('.') || n === '.ci'))
    .sort();
}

describe("the README's folder tables", () => {
  it('name every folder of the repository, and only those', () => {
    expect(folderTables()[0]).toEqual(folders('.'));
  });

  it('name every folder of cds-service/src, and only those', () => {
    expect(folderTables()[1]).toEqual(folders('cds-service/src'));
  });
});
