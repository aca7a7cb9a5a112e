/**
 * Writes the artifacts into the output folder, owning only what it wrote: files of an earlier build of ours (listed
 * in the folder's manifest) are replaced or, when this build no longer makes them, removed; every other file stays.
 */
import {
  mkdirSync, mkdtempSync, readdirSync, renameSync, rmdirSync, rmSync, statSync, unlinkSync, writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import type { Artifacts } from './render';
import {
  checkOutputFolder, conflictOf, manifestContent, buildManifestFile, OutputError, readManifest,
} from './folder-ownership';

const isFile = (path: string) => {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
};

/** Removes the folder and its parents up to (not including) `stop` while they are empty. */
function removeEmptyFolders(folder: string, stop: string): void {
  for (let current = folder; current !== stop && current.startsWith(`${stop}/`); current = dirname(current)) {
    if (readdirSync(current).length > 0) return;
    rmdirSync(current);
  }
}

const reason = (error: unknown) => (error as NodeJS.ErrnoException).code ?? (error as Error).message;

/**
 * Checks the folder and everything in the way first and throws an `OutputError` (nothing written) when the build
 * would destroy a file that is not its own. Each file is written beside its target, then renamed over it. The manifest
 * records the configuration's fingerprint when given, so that deploy can tell which configuration built the folder.
 */
export function writeArtifacts(outDir: string, artifacts: Artifacts, configFingerprint?: string): void {
  const folder = checkOutputFolder(outDir);
  // The first folder this run created (the output folder or its highest missing parent), undefined if none.
  let created: string | undefined;
  try {
    created = mkdirSync(folder, { recursive: true });
  } catch (error) {
    throw new OutputError(`cannot create ${outDir}: ${reason(error)}`);
  }
  let staging: string | undefined;
  try {
    const owned = readManifest(folder);
    const conflict = conflictOf(folder, owned, artifacts);
    if (conflict) throw new OutputError(conflict);
    staging = mkdtempSync(join(folder, '.flux-dashboards-staging-'));
    const staged = staging;
    const stage = (name: string, content: string) => {
      try {
        writeFileSync(join(staged, name), content);
      } catch (error) {
        throw new OutputError(`cannot write into ${outDir}: ${reason(error)}`);
      }
    };
    // Everything is on disk before the first file of the folder changes: a full disk stops the build here.
    [...artifacts.values()].forEach((content, index) => stage(String(index), content));
    stage('manifest', manifestContent(artifacts.keys(), configFingerprint));
    [...artifacts.keys()].forEach((path, index) => {
      const target = join(folder, path);
      mkdirSync(dirname(target), { recursive: true });
      renameSync(join(staged, String(index)), target);
    });
    for (const path of owned) {
      if (artifacts.has(path)) continue;
      const stale = join(folder, path);
      if (!isFile(stale)) continue;
      unlinkSync(stale);
      removeEmptyFolders(dirname(stale), folder);
    }
    renameSync(join(staged, 'manifest'), join(folder, buildManifestFile));
  } catch (error) {
    // Folders this run created hold nothing but what this run put there.
    if (created) rmSync(created, { recursive: true, force: true });
    throw error;
  } finally {
    if (staging) rmSync(staging, { recursive: true, force: true });
  }
}
