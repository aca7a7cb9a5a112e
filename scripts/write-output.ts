/** Writes the artifacts so that the output folder is either wholly the old build or wholly the new one. */
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Artifacts } from './artifacts';

/**
 * Each top-level folder of the artifacts (dashboards, Kubernetes manifests…) is replaced whole; other files under
 * `outDir` are left alone. Everything is written to a temporary folder beside it first, then moved in.
 */
export function writeArtifacts(outDir: string, artifacts: Artifacts): void {
  mkdirSync(outDir, { recursive: true });
  const staging = mkdtempSync(join(outDir, '.build-'));
  try {
    for (const [path, content] of artifacts) {
      const target = join(staging, path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, content);
    }
    const topLevel = new Set([...artifacts.keys()].map((path) => path.split('/')[0]!));
    for (const folder of topLevel) {
      const current = join(outDir, folder);
      const retired = join(staging, `.old-${folder}`);
      if (existsSync(current)) renameSync(current, retired);
      renameSync(join(staging, folder), current);
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
