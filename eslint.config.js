import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import vue from 'eslint-plugin-vue';
import globals from 'globals';

// The layers, bottom to top: contract ← server/cilium ← server/clients ← server/features ← server/http, app.
// Imports run one way; these patterns are the fence (see README "Architecture").
const FEATURES = ['context', 'overview', 'tools', 'insights'];
// A folder and the modules in it, reached from anywhere: folder("http") matches ../http and ../../http/env.
const folder = (path) => [`**/${path}`, `**/${path}/*`];
// One forbidden group of imports and what the fence answers a file that tries one.
const ban = (group, message) => ({ group, message });
const HONO = ban(
  ['hono', 'hono/*', '@hono/*'],
  'services and mappings stay free of HTTP: hono belongs in *.routes.ts and server/http/.',
);
const HTTP = ban(folder('http'), 'services and mappings never use server/http/.');
const FEATURES_IN = ban(
  ['**/features/**'],
  'clients and cilium/ sit below the features and never import them.',
);
const CLIENTS_IN = ban(['**/clients/**'], 'cilium/ is pure domain knowledge: it imports only contract/.');
const GATEWAY_IN = ban(
  folder('gateway'),
  'server/gateway/ is a listener of its own: only wiring.ts and main.ts use it.',
);
const FEATURES_IN_GATEWAY = ban(
  ['**/features/**'],
  'the gateway gets what it needs from the wiring (functions), never from a feature.',
);
const otherFeatures = (f) =>
  ban(
    FEATURES.filter((g) => g !== f).flatMap((g) => [`../${g}`, `../${g}/*`, ...folder(`features/${g}`)]),
    'a feature reaches another feature only through contract/ (or a function the wiring passes in).',
  );
const fence = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

export default tseslint.config(
  { ignores: ['**/node_modules', '**/dist', 'coverage', 'test-results', 'playwright-report', '.tmp'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/html-indent': 'off',
      'vue/html-closing-bracket-newline': 'off',
      'vue/multiline-html-element-content-newline': 'off',
    },
  },
  // --- the layer fence; a later block replaces an earlier one for the same file, so each block is complete ---
  {
    files: ['contract/**'],
    rules: fence({ regex: '^(?!zod$|\\./)', message: 'contract/ imports only zod and its own files.' }),
  },
  {
    files: ['contract/**/*.test.ts'],
    rules: fence({
      regex: '^(?!zod$|vitest$|\\./)',
      message: 'contract/ tests import only zod, vitest and contract/.',
    }),
  },
  {
    files: ['web/**'],
    rules: fence({
      group: ['**/server', '**/server/**', '**/packaging/**'],
      message: 'the panel imports shapes from contract/ only, never from server/ or packaging/.',
    }),
  },
  { files: ['server/clients/**'], rules: fence(FEATURES_IN, HTTP, GATEWAY_IN) },
  { files: ['server/cilium/**'], rules: fence(FEATURES_IN, HTTP, CLIENTS_IN, HONO, GATEWAY_IN) },
  ...FEATURES.flatMap((f) => [
    { files: [`server/features/${f}/**`], rules: fence(otherFeatures(f), GATEWAY_IN) },
    {
      files: [`server/features/${f}/**/*.service.ts`, `server/features/${f}/**/*.mapping.ts`],
      rules: fence(otherFeatures(f), HONO, HTTP, GATEWAY_IN),
    },
  ]),
  { files: ['server/http/**'], rules: fence(GATEWAY_IN) },
  { files: ['server/gateway/**'], rules: fence(FEATURES_IN_GATEWAY, HONO) },
);
