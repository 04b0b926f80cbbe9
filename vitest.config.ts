import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'bench/**/*.test.mjs'],
    // Bounds for a slow, busy machine (CI with neighbours): tests wait for conditions, never for a fixed time,
    // so these only decide how long a broken test takes to fail.
    testTimeout: 90_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
