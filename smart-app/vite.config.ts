/**
 * The app is served by the Rationale service at `/app/`: the launch URL is `/app/launch.html` and
 * the redirect URI `/app/` (index.html). `VITE_RATIONALE_API_BASE` overrides the API base (default
 * same-origin `/api`); `VITE_RATIONALE_CLIENT_IDS` adds per-issuer client ids (src/launch/config.ts).
 */
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { bundleSize } from './build/bundle-size.ts';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  base: '/app/',
  plugins: [react(), bundleSize({ budgetKb: 250 })],
  define: {
    // fhirclient's "pure" build: the browser already has fetch and AbortController, so its
    // cross-fetch and polyfill fallbacks are dead code and drop out of the bundle.
    FHIRCLIENT_PURE: 'true',
  },
  resolve: {
    alias: { 'isomorphic-webcrypto': here('./build/platform-webcrypto.ts') },
  },
  build: {
    target: 'es2022',
    sourcemap: true,
    rollupOptions: {
      input: { index: here('./index.html'), launch: here('./launch.html') },
    },
  },
  server: { port: 5173 },
});
