// ESLint flat config (`npm run lint`, run by .ci/run after the build).
//
// Every JavaScript file gets ESLint's recommended rules with Node's globals;
// the TypeScript library (ts/) and its tests (test/) get typescript-eslint's
// recommended rules, plus the three type-aware rules about promises: the
// library is asynchronous throughout (fit, workers, inference pools), and a
// promise nobody awaits loses its error. The full type-aware presets are left
// out on purpose: they flag some 300 places, mostly values typed `any` that
// cross the native boundary (checked there at run time) and redundant type
// assertions. The type-aware rules build the TypeScript program: the whole
// lint takes about 20 s on 2 cores (40-55 s when they are busy), against
// about 14 s without them.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const root = path.dirname(fileURLToPath(import.meta.url));

// A leading underscore marks a binding that is unused on purpose (an
// interface's parameter, a destructured field left out of a rest object).
const unusedVars = {
  argsIgnorePattern: '^_',
  varsIgnorePattern: '^_',
  caughtErrorsIgnorePattern: '^_',
  destructuredArrayIgnorePattern: '^_',
  ignoreRestSiblings: true,
};

export default tseslint.config(
  {
    // Build outputs, generated API pages and installed dependencies.
    ignores: ['dist/**', 'docs/api/**', 'build/**', 'build-cmake/**', 'build-sanitize/**', 'build-prebuilds/**', 'build-clang/**', 'prebuilds/**', 'node_modules/**'],
  },
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    extends: [js.configs.recommended],
    languageOptions: { ecmaVersion: 2022, globals: { ...globals.node } },
    rules: { 'no-unused-vars': ['error', unusedVars] },
  },
  {
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
  },
  {
    files: ['ts/**/*.ts', 'test/**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: root } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', unusedVars],
      // `interface SaveModelOptions extends AtomicWriteOptions {}`: an options type of its own name, free to grow.
      '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'with-single-extends' }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  {
    // The library prints only where an option asks it to (verbose callbacks).
    files: ['ts/**/*.ts'],
    rules: { 'no-console': 'error' },
  },
);
