/**
 * A Vite plugin that prints the gzipped size of the production JavaScript after each build: every
 * chunk, each HTML entry with the chunks it loads, and the total, against the 250 KB budget
 * (issue 5). Over budget fails the build.
 */
import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

interface ChunkInfo {
  fileName: string;
  code: string;
  isEntry: boolean;
  facadeModuleId?: string | null;
  imports: readonly string[];
}

export interface BundleSizeOptions {
  budgetKb: number;
}

const kb = (bytes: number) => (bytes / 1024).toFixed(1);

export function bundleSize({ budgetKb }: BundleSizeOptions): Plugin {
  return {
    name: 'rationale-bundle-size',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = new Map<string, ChunkInfo & { gzip: number }>();
      for (const output of Object.values(bundle)) {
        if (output.type !== 'chunk') continue;
        chunks.set(output.fileName, { ...output, gzip: gzipSync(output.code, { level: 9 }).length });
      }
      const closure = (fileName: string, seen = new Set<string>()): Set<string> => {
        if (seen.has(fileName)) return seen;
        seen.add(fileName);
        for (const dep of chunks.get(fileName)?.imports ?? []) closure(dep, seen);
        return seen;
      };
      const lines = ['', 'JavaScript (gzipped):'];
      for (const chunk of [...chunks.values()].sort((a, b) => b.gzip - a.gzip)) {
        lines.push(`  ${chunk.fileName.padEnd(44)} ${kb(chunk.gzip).padStart(7)} KB`);
      }
      for (const entry of [...chunks.values()].filter((c) => c.isEntry)) {
        const total = [...closure(entry.fileName)].reduce(
          (sum, name) => sum + (chunks.get(name)?.gzip ?? 0),
          0,
        );
        const page = entry.facadeModuleId?.split('/').slice(-1)[0] ?? entry.fileName;
        lines.push(`  page loading ${page.padEnd(31)} ${kb(total).padStart(7)} KB`);
      }
      const total = [...chunks.values()].reduce((sum, c) => sum + c.gzip, 0);
      lines.push(
        `  total production JS ${' '.repeat(24)}${kb(total).padStart(7)} KB gzipped (budget ${budgetKb} KB)`,
        '',
      );
      console.log(lines.join('\n'));
      if (total > budgetKb * 1024)
        this.error(`Production JavaScript is ${kb(total)} KB gzipped, over the ${budgetKb} KB budget.`);
    },
  };
}
