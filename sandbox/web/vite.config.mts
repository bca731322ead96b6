// The sandbox's EHR page. Built to web/dist, which the sandbox serves at `/`; `npm run dev:web`
// serves it with hot reload and proxies the EHR API to a running sandbox (SANDBOX_URL).
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const sandboxUrl = process.env.SANDBOX_URL ?? 'http://localhost:8080';

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  server: { proxy: { '/ehr': sandboxUrl, '/fhir': sandboxUrl } },
});
