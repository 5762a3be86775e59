// Lint: typescript-eslint's recommended rules and the React hooks rules, run by `npm run lint`
// and by .ci/run. Formatting is Prettier's job (`npm run format:check`), not the linter's.
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'server/dist/', 'web/dist/', 'data/', '.tmp/', 'bench/.data/', 'e2e/screenshots/'] },
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      // `any` is reported where it is written, so new code states its types; existing escapes
      // carry an eslint-disable comment with the reason.
      '@typescript-eslint/no-explicit-any': 'warn',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
    },
  },
  {
    files: ['web/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
);
