import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  resolve: {
    // Tests run against the protocol's source, so `npm test` needs no build first.
    alias: { '@parley/protocol': fileURLToPath(new URL('./protocol/src/index.ts', import.meta.url)) },
  },
  test: {
    include: ['protocol/src/**/*.test.ts', 'server/src/**/*.test.ts', 'server/test/**/*.test.ts', 'e2e/**/*.test.ts', 'web/src/**/*.test.ts'],
    globalSetup: ['server/test/global-setup.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
