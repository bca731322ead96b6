// Type-aware lint for every package, with import bans that keep dependencies pointing down
// (see ../shared/DESIGN.md §2): the model is pure, nothing imports the sandbox, the app knows no Express.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const banned = (patterns, message) => ({
  'no-restricted-imports': ['error', { patterns: patterns.map((group) => ({ group: [group], message })) }],
});

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/coverage/**',
      'test/artifacts/**',
      '**/*.cjs',
      '**/*.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['cds-service/src/model/**/*.ts'],
    ignores: ['cds-service/src/model/**/*.test.ts', 'cds-service/src/model/eval/**'],
    rules: banned(
      [
        'express',
        'pg',
        'pino',
        '@electric-sql/*',
        'openai',
        'node:fs',
        'fs',
        'node:http',
        '**/http/**',
        '**/store/**',
        '**/llm/**',
        '**/cards/**',
      ],
      'The model is pure: no I/O, no HTTP, no storage, no logging (DESIGN.md §2).',
    ),
  },
  {
    files: ['shared-types/src/**/*.ts'],
    rules: banned(['express', 'react', '@rationale/*'], 'shared-types holds types and zod schemas only.'),
  },
  {
    files: ['cds-service/src/**/*.ts', 'smart-app/src/**/*.{ts,tsx}'],
    rules: banned(['@rationale/sandbox', '**/sandbox/**'], 'Nothing imports the sandbox.'),
  },
  {
    files: ['smart-app/src/**/*.{ts,tsx}'],
    rules: banned(
      ['express', '@rationale/cds-service', '**/cds-service/**'],
      'The app talks to the service over HTTP only.',
    ),
  },
  {
    files: ['**/*.test.ts', '**/*.test.tsx', 'test/**/*.ts', '**/test-support/**/*.ts', '**/testing/**/*.ts'],
    rules: {
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
