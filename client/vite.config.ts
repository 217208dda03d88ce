/// <reference types="vitest/config" />
import { defineConfig } from 'vite';

// The Starlette server serves dist/ and answers /play, /watch, /lab and /admin with index.html,
// so the app is built for the site root. In development Vite proxies the API and sockets to a
// local `drawstream up` (DRAWSTREAM_URL overrides where that is).
const server = process.env.DRAWSTREAM_URL ?? 'http://127.0.0.1:8000';

export default defineConfig({
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
  server: {
    proxy: {
      '/api': server,
      '/health': server,
      '/ws': { target: server.replace(/^http/, 'ws'), ws: true },
    },
  },
  test: {
    include: ['src/**/*.spec.{ts,tsx}'],
    environment: 'node',
    restoreMocks: true,
  },
});
