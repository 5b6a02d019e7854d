import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const protocol = (file: string) => fileURLToPath(new URL(`../protocol/src/${file}`, import.meta.url));

export default defineConfig({
  plugins: [react()],
  resolve: {
    // The client takes only types from the protocol package, plus its reducer (which has no
    // runtime imports), so TypeBox never reaches the browser bundle.
    alias: [
      { find: /^@parley\/protocol\/reducer$/, replacement: protocol('reducer.ts') },
      { find: /^@parley\/protocol$/, replacement: protocol('index.ts') },
    ],
  },
  build: {
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 600,
    // The server sends a CSP without 'unsafe-inline': no inline module-preload polyfill.
    modulePreload: { polyfill: false },
  },
  server: {
    proxy: {
      '/api': { target: 'http://127.0.0.1:8080', ws: true, changeOrigin: false },
    },
  },
});
