import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileBundle } from './bundle';

describe('the service compiled to one file', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'rationale-bundle-'));
    mkdirSync(join(root, 'src', 'store'), { recursive: true });
    // A module that finds a file beside itself, as the store finds its PGlite worker.
    writeFileSync(
      join(root, 'src', 'store', 'beside.ts'),
      "import { join } from 'node:path';\nexport const worker: string = join(__dirname, 'worker.mjs');\n",
    );
    writeFileSync(
      join(root, 'src', 'main.ts'),
      "export { worker } from './store/beside';\nexport const here: string = __dirname;\nexport const strict = (function (this: unknown) { return this === undefined; })();\n",
    );
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('runs from its own folder, each module still finding the files beside its source', async () => {
    const dist = join(root, 'dist');
    const code = await compileBundle(join(root, 'src', 'main.ts'), dist);
    expect(code).toBeDefined();
    mkdirSync(dist, { recursive: true });
    writeFileSync(join(dist, 'service.cjs'), code as string);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loaded = require(join(dist, 'service.cjs')) as { worker: string; here: string; strict: boolean };
    expect(loaded.worker).toBe(join(root, 'src', 'store', 'worker.mjs'));
    expect(loaded.here).toBe(join(root, 'src'));
    expect(loaded.strict).toBe(true);
  });

  it('compiles the text a rewrite returns for a file, and the other files as they are', async () => {
    writeFileSync(join(root, 'src', 'answer.ts'), 'export const answer: number = 41;\n');
    writeFileSync(
      join(root, 'src', 'uses-answer.ts'),
      "export { answer } from './answer';\nexport const kept = 'kept';\n",
    );
    const seen: string[] = [];
    const code = await compileBundle(
      join(root, 'src', 'uses-answer.ts'),
      join(root, 'dist'),
      (file, source) => {
        seen.push(file);
        return file === join(root, 'src', 'answer.ts') ? source.replace('41', '42') : source;
      },
    );
    expect(seen.sort()).toEqual([join(root, 'src', 'answer.ts'), join(root, 'src', 'uses-answer.ts')]);
    mkdirSync(join(root, 'dist'), { recursive: true });
    writeFileSync(join(root, 'dist', 'rewritten.cjs'), code as string);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loaded = require(join(root, 'dist', 'rewritten.cjs')) as { answer: number; kept: string };
    expect(loaded).toEqual({ answer: 42, kept: 'kept' });
  });

  it('leaves the service’s packages to node_modules rather than copying them in', async () => {
    writeFileSync(
      join(root, 'src', 'uses-zod.ts'),
      "import { z } from 'zod';\nexport const schema = z.string();\n",
    );
    const code = await compileBundle(join(root, 'src', 'uses-zod.ts'), join(root, 'dist'));
    expect(code).toMatch(/require\("zod"\)/);
    expect(code?.length).toBeLessThan(5_000);
  });
});
