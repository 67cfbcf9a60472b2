// ESLint flat config: typescript-eslint's `recommended` rules, which need no type information
// (no TypeScript program is built, so linting takes seconds). `npm run lint`; .ci/run fails on an
// error (warnings are reported, not fatal). Type errors are `npm run typecheck`'s job.
//
// Not enabled on purpose: ESLint's own `no-control-regex` (not part of this preset). espy matches
// raw control characters deliberately wherever it keeps them off a terminal (output sanitising,
// the fuzz oracle, the terminal-safety tests), so the rule would flag exactly the code that is
// right.
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['dist/', 'bench-out/', 'coverage/', 'test-artifacts/', 'node_modules/'] },
  {
    files: ['**/*.{ts,mts,js,mjs}'],
    extends: [tseslint.configs.recommended],
    rules: {
      // A leading underscore marks a name that is unused on purpose: a destructured property
      // dropped from a rest object (`const { quiet: _quiet, ...rest } = opts`), a callback
      // parameter kept for its position. The codebase uses it throughout.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
);
