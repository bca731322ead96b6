// Shared jest settings for every workspace package: TypeScript and the ESM-only dependencies are
// transformed by swc; workspace packages resolve to their TypeScript source, so tests never wait for a build.
const path = require('node:path');

const ESM_ONLY = ['jose', 'react-markdown', 'remark-gfm', 'unified', 'until-async', 'rettime'];
// PGlite's CommonJS build loads Node built-ins with dynamic import(), which jest's module sandbox
// refuses without --experimental-vm-modules; swc rewrites those imports to require().
const DYNAMIC_IMPORT_CJS = ['@electric-sql/pglite'];

// Observable Plot and d3, which the monitoring page, the validation report and the app draw with,
// ship ES modules only: packages that use them pass this list to `transformEsm`.
const ESM_PLOT = [
  '@observablehq/plot',
  'd3',
  'd3-[a-z-]+',
  'internmap',
  'delaunator',
  'robust-predicates',
  'isoformat',
  'interval-tree-1d',
  'binary-search-bounds',
];

/**
 * `config` with `packages` (names or patterns of ES-module-only dependencies) added to those swc
 * turns into CommonJS for jest.
 * @param {import('jest').Config} config
 * @param {string[]} packages
 * @returns {import('jest').Config}
 */
function transformEsm(config, packages) {
  const [ignored] = config.transformIgnorePatterns;
  return { ...config, transformIgnorePatterns: [ignored.replace('(?!(', `(?!(${packages.join('|')}|`)] };
}

/** @returns {import('jest').Config} */
function preset(packageDir, overrides = {}) {
  return {
    rootDir: packageDir,
    displayName: path.basename(packageDir),
    testEnvironment: 'node',
    testMatch: ['<rootDir>/src/**/*.test.ts?(x)'],
    transform: {
      [`/node_modules/(${DYNAMIC_IMPORT_CJS.join('|')})/.+\\.cjs$`]: [
        '@swc/jest',
        { jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' }, module: { type: 'commonjs' } },
      ],
      '^.+\\.(t|j|mj)sx?$': [
        '@swc/jest',
        {
          jsc: {
            parser: { syntax: 'typescript', tsx: true },
            transform: { react: { runtime: 'automatic' } },
            target: 'es2022',
          },
          module: { type: 'commonjs' },
        },
      ],
    },
    // .mjs files in node_modules are ESM by definition (msw's dependencies ship them): always transform.
    transformIgnorePatterns: [
      `/node_modules/(?!(${[...ESM_ONLY, ...DYNAMIC_IMPORT_CJS].join('|')})/).+\\.(js|cjs|json)$`,
    ],
    moduleNameMapper: {
      '^@rationale/shared-types$': path.join(__dirname, 'shared-types/src/index.ts'),
    },
    ...overrides,
  };
}

module.exports = { preset, transformEsm, ESM_PLOT };
