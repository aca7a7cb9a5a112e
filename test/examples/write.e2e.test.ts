/** The example script, run as its comment tells a user to run it (`npx tsx`), writes through the build entry point. */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';
import { resolveConfig } from '../../config';
import { helmReleasesDashboardJson, helmReleasesIdentity } from '../../examples/helm-releases/dashboard';

const repo = resolve(import.meta.dirname, '..', '..');
type Json = Record<string, unknown>;

it('the example script writes the dashboard through the build entry point', async () => {
  const out = mkdtempSync(join(tmpdir(), 'example-'));
  await new Promise<void>((done, fail) =>
    execFile('npx', ['tsx', 'examples/helm-releases/write.ts', out], { cwd: repo }, (error, _stdout, stderr) =>
      error ? fail(new Error(stderr)) : done(),
    ),
  );
  const written = JSON.parse(readFileSync(join(out, 'grafana', `${helmReleasesIdentity.uid}.json`), 'utf8')) as Json;
  expect(written).toEqual(helmReleasesDashboardJson(resolveConfig({ clusterLabel: null })));
});
