import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// API paths the dev server forwards to a running `seenemall serve` (the built UI is served by
// the binary itself on the same origin, so production needs no proxy).
const API_PATHS = ['/recommend', '/debug', '/user', '/titles', '/feedback', '/watch-link', '/healthz'];
const devApi = process.env.SEENEMALL_DEV_API ?? 'http://127.0.0.1:8000';

export default defineConfig({
  plugins: [react()],
  // Relative asset URLs, so the bundle works wherever the binary mounts it.
  base: './',
  build: { outDir: 'dist', emptyOutDir: true },
  server: {
    proxy: Object.fromEntries(API_PATHS.map((path) => [path, { target: devApi, changeOrigin: true }])),
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    restoreMocks: true,
  },
});
