import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [
    // type-graphql and MikroORM read emitDecoratorMetadata, which esbuild does not emit.
    swc.vite({
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
        target: 'es2022',
      },
    }),
  ],
  resolve: {
    alias: [
      { find: /^graphql$/, replacement: 'graphql/index.js' },
      // Tests run the workspace package's TypeScript source, not its build (which `node dist/` uses).
      { find: /^@kindred\/embedded-db$/, replacement: fileURLToPath(new URL('../packages/embedded-db/src/index.ts', import.meta.url)) },
      { find: /^@kindred\/crypto$/, replacement: fileURLToPath(new URL('../packages/crypto/src/index.ts', import.meta.url)) },
    ],
  },
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    globalSetup: ['test/setup/global-setup.ts'],
    // Decorators read reflect-metadata at import time, whichever module a test imports first.
    setupFiles: ['reflect-metadata'],
    pool: 'forks',
    // Keys of this run (docs/encryption.md), the same for every test file and every process a test
    // starts; fresh each run, so no key in the repository ever protects anything.
    env: {
      KINDRED_KEK: process.env.KINDRED_KEK ?? randomBytes(32).toString('base64'),
      KINDRED_BLIND_INDEX_KEY: process.env.KINDRED_BLIND_INDEX_KEY ?? randomBytes(32).toString('base64'),
    },
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // The JSON report lets CI print a plain 'N passed, N failed' line.
    reporters: ['default', 'json'],
    outputFile: { json: '../.artifacts/vitest-api.json' },
  },
});
