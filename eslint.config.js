import { builtinModules } from 'node:module';
import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    // shared/ is isomorphic (it runs in the renderer and the server alike) and the renderer cannot reach
    // Node: both reach the core through its API only. Every Node built-in, with or without `node:`.
    files: ['shared/**/*.ts', 'renderer/**/*.{ts,tsx}'],
    ignores: ['renderer/vite.config.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...builtinModules, 'electron'].map((name) => ({
            name,
            message: 'The renderer and shared/ cannot use Node or Electron; ask the core through its API.',
          })),
          patterns: [
            { group: ['node:*'], message: 'The renderer and shared/ cannot use Node; ask the core through its API.' },
          ],
        },
      ],
    },
  },
);
