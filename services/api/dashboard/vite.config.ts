import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The monitoring-desk bundle. Output goes to services/api/dashboard-dist, which the api serves
 * at `/` (index.html) and `/assets/*` (hashed, immutable). Everything is bundled (Leaflet and its
 * CSS included): the page loads nothing from another host, and the CSP forbids inline code.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  logLevel: 'warn',
  publicDir: false,
  build: {
    outDir: fileURLToPath(new URL('../dashboard-dist', import.meta.url)),
    emptyOutDir: true,
    assetsDir: 'assets',
    // Leaflet's marker images would otherwise be inlined as data: URIs; files keep the CSP simple.
    assetsInlineLimit: 0,
    target: 'es2022',
    sourcemap: true,
    reportCompressedSize: false,
    modulePreload: { polyfill: false },
  },
});
