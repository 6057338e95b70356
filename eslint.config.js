// Lint rules for the whole repository; run by `npm test`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['.scratch*/**', 'dist/**', 'data/**', 'node_modules/**', 'web/dist/**', 'coverage/**', '**/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read settings through src/config.ts' }],
    },
  },
  { files: ['src/config.ts', 'test/**', 'bench/**', '**/*.test.ts', 'vitest.config.ts', 'src/platform/testing/**'], rules: { 'no-restricted-properties': 'off' } },
);
