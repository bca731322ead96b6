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
