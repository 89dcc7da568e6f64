// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Domain packages: pure functions of their inputs, so replays are reproducible. */
const domainPackages = ['libs/events/src/**', 'libs/geo/src/**', 'libs/detection/src/**', 'libs/jt808/src/**', 'libs/cases/src/**', 'libs/safetycodes/src/**'];

const impureSyntax = [
  { selector: "MemberExpression[object.name='Date'][property.name='now']", message: 'Domain code takes time from events, never from the wall clock.' },
  { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Domain code takes time from events, never from the wall clock.' },
  { selector: "MemberExpression[object.name='Math'][property.name='random']", message: 'Domain code must be deterministic: no randomness.' },
  { selector: "MemberExpression[object.name='performance']", message: 'Domain code must not read clocks.' },
  { selector: "Identifier[name='process']", message: 'Domain code must not touch the process (env, argv, clock, I/O).' },
  { selector: "Identifier[name='setTimeout']", message: 'Domain code must not schedule work by wall-clock time.' },
  { selector: "Identifier[name='setInterval']", message: 'Domain code must not schedule work by wall-clock time.' },
];

export default tseslint.config(
  {
    // AssemblyScript (*.as.ts) is compiled by asc, not TypeScript: its decorators and types are not ESLint's to read.
    ignores: ['**/node_modules/**', '**/*.as.ts', '**/dist/**', '**/.turbo/**', 'infra/kafka/.lib/**', 'data/**', '**/*.d.ts', '**/public/**', '**/dashboard-dist*/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'h3-js', message: 'Only libs/geo imports h3-js.' }] },
      ],
    },
  },
  {
    // Configuration is read and validated once per service.
    files: ['libs/*/src/**/*.ts', 'services/*/src/**/*.ts', 'replay/src/**/*.ts'],
    ignores: ['**/src/**/env.ts', '**/src/**/config.ts', ...domainPackages],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[object.name='process'][property.name='env']", message: 'Read process.env only in env.ts / config.ts.' },
      ],
    },
  },
  {
    files: domainPackages,
    rules: {
      'no-restricted-syntax': ['error', ...impureSyntax],
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'h3-js', message: 'Only libs/geo imports h3-js.' }],
          patterns: [{ group: ['node:*', 'fs', 'net', 'http', 'https', 'child_process', 'crypto', 'os', 'worker_threads'], message: 'Domain code does no I/O.' }],
        },
      ],
    },
  },
  {
    files: ['libs/geo/src/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['node:*', 'fs', 'net', 'http', 'https', 'child_process', 'crypto', 'os'], message: 'Domain code does no I/O.' }] },
      ],
    },
  },
  {
    // Evidence packs: pure except their one fs module; node:crypto for digests and Ed25519, but
    // never its randomness (the same pack and key must sign to the same bytes).
    files: ['libs/evidence/src/**'],
    ignores: ['libs/evidence/src/packDirectory.ts'],
    rules: {
      'no-restricted-syntax': ['error', ...impureSyntax],
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'node:crypto', importNames: ['randomBytes', 'randomUUID', 'randomInt', 'randomFill', 'randomFillSync', 'getRandomValues', 'generateKeyPair', 'generateKeyPairSync', 'webcrypto'], message: 'Evidence packs are deterministic: no randomness.' }],
          patterns: [{ group: ['node:fs', 'node:fs/*', 'fs', 'fs/*', 'node:net', 'net', 'node:http', 'http', 'node:https', 'https', 'node:child_process', 'child_process', 'node:os', 'os', 'node:worker_threads', 'worker_threads'], message: 'Only src/packDirectory.ts (@dgt/evidence/fs) does I/O.' }],
        },
      ],
    },
  },
);
