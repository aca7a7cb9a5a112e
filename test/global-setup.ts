/**
 * One temporary root for the whole run: every test's temporary folder, and those of the programs the tests start
 * (npm, tsx, promtool, prometheus), go under it through TMPDIR, and it is removed when the run ends. Every project of
 * vitest.config.ts lists this setup; the first to run makes the root and the others share it.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const testRootVariable = 'FLUX_DASHBOARDS_TEST_ROOT';

const shared = globalThis as { fluxDashboardsTestRoot?: { root: string; users: number } };

export default function setup(): () => void {
  if (!shared.fluxDashboardsTestRoot) {
    const root = mkdtempSync(join(tmpdir(), 'flux-dashboards-tests-'));
    // Readable by all: one test runs the CLI as an unprivileged user against a read-only folder.
    chmodSync(root, 0o755);
    process.env.TMPDIR = root;
    process.env[testRootVariable] = root;
    shared.fluxDashboardsTestRoot = { root, users: 0 };
  }
  const held = shared.fluxDashboardsTestRoot;
  held.users += 1;
  return () => {
    held.users -= 1;
    if (held.users > 0) return;
    rmSync(held.root, { recursive: true, force: true });
    delete shared.fluxDashboardsTestRoot;
  };
}
