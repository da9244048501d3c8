// Lint rules, including the layer rules of docs/architecture.md: each folder of src/ may import only what the
// arrows allow. `no-restricted-imports` per folder keeps this readable without extra plugins.
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'crypto', 'os', 'http', 'https', 'child_process', 'buffer', 'net', 'tls', 'url', 'stream', 'zlib', 'util', 'events'];
const restrict = (groups, message) => ({ patterns: [{ group: groups, message }] });

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', '*.mjs', 'test/**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    files: ['src/**/*.ts', 'test/**/*.ts'],
    languageOptions: { parserOptions: { project: './tsconfig.json' } },
    rules: {
      // node:test's test()/describe() return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': ['error', { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] }] }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      curly: 'error',
      eqeqeq: ['error', 'always'],
      'prefer-arrow-callback': 'off',
    },
  },
  {
    // The one file writer (no symlinks followed, keys 0600), shared by the CLI and the extension.
    files: ['src/files/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', restrict(['vscode', '**/pki/**', '**/ncloud/**', '**/emulator/**', '**/extension/**', '**/language/**', '**/webview/**', '**/cli*'], 'src/files uses node:* only: the CLI and the extension import it.')] },
  },
  {
    files: ['src/pki/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', restrict(['vscode', ...nodeBuiltins, '**/ncloud/**', '**/emulator/**', '**/extension/**', '**/language/**', '**/webview/**', '**/cli*', '**/files/**'], 'src/pki runs in the browser too: no vscode, no node:*, no other layer.')] },
  },
  {
    files: ['src/ncloud/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', restrict(['vscode', '**/emulator/**', '**/extension/**', '**/language/**', '**/webview/**', '**/cli*', '**/files/**'], 'src/ncloud may import only src/pki.')] },
  },
  {
    files: ['src/emulator/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', restrict(['vscode', '**/extension/**', '**/language/**', '**/webview/**', '**/cli*', '**/ncloud/!(signer|vocabulary)'], 'src/emulator may import only src/pki, src/ncloud/signer and src/ncloud/vocabulary.')] },
  },
  {
    files: ['src/language/server.ts', 'src/language/server/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', restrict(['vscode', 'vscode-languageclient', 'vscode-languageclient/*', '**/ncloud/**', '**/emulator/**', '**/extension/**', '**/webview/**', '**/files/!(walk)'], 'The language server may import only src/pki and src/files/walk (the workspace inventory).')] },
  },
  {
    // Custom LSP messages are declared as `namespace X { method; type }` (docs/architecture.md, vscode-eslint style).
    files: ['src/language/protocol.ts'],
    rules: { '@typescript-eslint/no-namespace': 'off', 'no-restricted-imports': ['error', restrict(['vscode', 'vscode-languageclient', 'vscode-languageclient/*', 'vscode-languageserver', 'vscode-languageserver/*', '**/ncloud/**', '**/emulator/**', '**/extension/**'], 'The protocol is plain data shared by server and client.')] },
  },
  {
    files: ['src/webview/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', restrict(['vscode', ...nodeBuiltins, '**/ncloud/**', '**/emulator/**', '**/extension/**', '**/language/**', '**/cli*', '**/files/**'], 'The webview is a browser bundle: only src/pki.')] },
  },
  {
    files: ['src/export/**/*.ts', 'src/trust/**/*.ts', 'src/tls/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', restrict(['vscode', '**/ncloud/**', '**/emulator/**', '**/extension/**', '**/language/**', '**/webview/**', '**/cli*'], 'src/export, src/trust and src/tls serve the CLI and the extension: node:* and src/pki only.')] },
  },
  {
    files: ['src/cli.ts', 'src/cli/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', restrict(['vscode', '**/extension/**', '**/language/**', '**/webview/**'], 'The CLI uses ncloud, emulator, files and pki only.')] },
  },
);
