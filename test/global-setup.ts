/**
 * One temporary root for the whole run: every test's temporary folder, and those of the programs the tests start
 * (npm, tsx, promtool, prometheus), go under it through TMPDIR, and it is removed when the run ends.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const testRootVariable = 'FLUX_DASHBOARDS_TEST_ROOT';

export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'flux-dashboards-tests-'));
  // Readable by all: one test runs the CLI as an unprivileged user against a read-only folder.
  chmodSync(root, 0o755);
  process.env.TMPDIR = root;
  process.env[testRootVariable] = root;
  return () => rmSync(root, { recursive: true, force: true });
}
