import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** Tests that start Prometheus, promtool, npm or another program: `npm run test:unit` leaves them out. */
const againstPrometheus = 'test/e2e/**/*.test.ts';
const startingPrograms = '**/*.e2e.test.ts';
/** Under test/, or beside the code they guard; never in what the package compiles into lib/. */
const allTests = '**/*.test.ts';
const notTests = [...configDefaults.exclude, 'lib/**'];

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
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // A project's global setup runs only when one of its files runs: the fleet is served only for test/e2e/.
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [allTests],
          exclude: [...notTests, againstPrometheus, startingPrograms],
          globalSetup: ['test/global-setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'programs',
          include: [startingPrograms],
          exclude: [...notTests, againstPrometheus],
          globalSetup: ['test/global-setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'prometheus',
          include: [againstPrometheus],
          globalSetup: ['test/global-setup.ts', 'test/e2e/fleet-setup.ts'],
        },
      },
    ],
  },
});
