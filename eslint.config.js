import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const FEATURES = [
  'admin',
  'auth',
  'demo',
  'digests',
  'essays',
  'events',
  'health',
  'interest',
  'pages',
  'responses',
  'users',
];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.dist-staging-*/', 'var/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { globals: globals.node },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    // Type-aware rules, for promises only: a promise nobody awaits loses its
    // error, and one passed where a callback's result is ignored runs unchecked.
    files: ['{src,test,bench,migrations,web}/**/*.{ts,tsx}'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  // Boundaries (README, "Developing"): the arrows run one way.
  {
    // Features that record events never import their listeners; health and admin
    // name queues through src/queue/, not through digests.
    files: [
      'src/{auth,users,essays,responses,interest,events,health,admin,audit,account,webhooks}/**/*.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)digests/',
              message:
                'Record an event (src/events/) and let digests handle it; queue names are in src/queue/.',
            },
          ],
        },
      ],
    },
  },
  {
    // Infrastructure knows no feature. The one exception, entities.ts, lists every
    // table for the app and the migrations CLI; src/database/entities.spec.ts proves
    // it names every *.entity.ts under src/.
    files: ['src/{mail,common,database,config}/**/*.ts'],
    ignores: ['src/database/entities.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `(^|/)(${FEATURES.join('|')})/`,
              message: 'mail/, common/, database/ and config/ import no feature.',
            },
          ],
        },
      ],
    },
  },
  {
    // The browser code (web/build.mjs itself runs on Node).
    files: ['web/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
  },
  {
    // GraphQL answers in tests are whatever the query asked for.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
