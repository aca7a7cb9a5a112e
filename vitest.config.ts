import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  // The examples import the package by name, as a user does; here that name means the sources (as tsconfig's paths).
  resolve: {
    alias: [
      {
        find: /^flux-dashboards\/(config|model|queries|panels|dashboards|alerts|build|deploy)$/,
        replacement: source('./$1/index.ts'),
      },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
