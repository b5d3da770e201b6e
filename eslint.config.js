// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

/** Each platform SDK stays in its own folder (STYLE.md principle 1). */
const fence = (/** @type {string[]} */ allowed) => ({
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        ...(allowed.includes('azure')
          ? []
          : [{ group: ['@azure/*'], message: 'Azure SDKs live in src/azure/ only.' }]),
        ...(allowed.includes('teams')
          ? []
          : [
              { group: ['botbuilder*'], message: 'botbuilder lives in src/channels/teams/ only.' },
              {
                group: ['@microsoft/agents-*'],
                message: 'The Microsoft 365 Agents SDK lives in src/channels/teams/ only.',
              },
            ]),
        ...(allowed.includes('slack')
          ? []
          : [{ group: ['@slack/*'], message: '@slack/* lives in src/channels/slack/ only.' }]),
      ],
    },
  ],
});

export default tseslint.config(
  { ignores: ['node_modules/', '.node/', 'dist/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  prettier,
  {
    languageOptions: { globals: globals.node },
    rules: {
      // With noUncheckedIndexedAccess, `x!` after a length or regex check is the honest spelling.
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: 'Read configuration through loadConfig(env) in src/config.ts.',
        },
      ],
    },
  },
  {
    files: ['src/channels/web/public/**/*.js'],
    languageOptions: { sourceType: 'script', globals: { ...globals.browser, AdaptiveCards: 'readonly' } },
  },
  { files: ['src/**/*.ts'], rules: fence([]) },
  { files: ['src/azure/**/*.ts', 'src/sandbox/**/*.ts'], rules: fence(['azure']) },
  { files: ['src/channels/teams/**/*.ts'], rules: fence(['teams']) },
  { files: ['src/channels/slack/**/*.ts'], rules: fence(['slack']) },
  {
    files: [
      'src/config.ts',
      'src/main.ts',
      // The sandbox's own entry point: its composition root.
      'src/sandbox/cli.ts',
      'test/**/*.ts',
      'bench/**/*.ts',
      'scripts/**/*.mjs',
      'vitest.config.ts',
    ],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
