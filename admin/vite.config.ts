import { fileURLToPath, URL } from 'node:url';
import vue from '@vitejs/plugin-vue';
// From vitest/config (not vite) so the `test` key type-checks under vue-tsc.
import { defineConfig } from 'vitest/config';

/** Where `pnpm dev` proxies /graphql: the API started with `pnpm --filter @kindred/api start`. */
const apiUrl = process.env.KINDRED_API_URL ?? 'http://127.0.0.1:4000';

export default defineConfig({
  plugins: [vue()],
  // The API replaces this with a fresh nonce for every page it serves, the one its
  // Content-Security-Policy allows for <style> elements (api/src/app/server/admin-app.ts, CSP_NONCE_PLACEHOLDER);
  // vite puts it on its tags and in <meta property="csp-nonce">, where main.ts finds it for PrimeVue.
  html: { cspNonce: '__KINDRED_CSP_NONCE__' },
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  server: {
    port: 5173,
    strictPort: false,
    // Same origin for the browser: the API's SameSite=Strict session cookie works in development too.
    proxy: { '/graphql': { target: apiUrl, changeOrigin: false } },
  },
  build: {
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 600,
  },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.test.ts'],
    // The JSON report lets CI print a plain 'N passed, N failed' line over both packages.
    reporters: ['default', 'json'],
    outputFile: { json: '../.artifacts/vitest-admin.json' },
  },
});
