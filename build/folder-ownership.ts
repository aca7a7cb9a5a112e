/**
 * Where the build may write: the output folder is checked before anything is created, and the build owns only the
 * files it wrote there, listed in a manifest, so it never deletes or overwrites anyone else's file.
 */
import {
  accessSync, constants, lstatSync, readFileSync, readlinkSync, realpathSync, statSync, type Stats,
} from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join, parse, resolve, sep } from 'node:path';
import { UsageError } from '../cli/command';
import { buildManifestFile } from '../model';

export { buildManifestFile };

/** An output folder the build must not write into; its message is one line saying what is wrong and what to do. */
export class OutputError extends UsageError {
  override name = 'OutputError';
}

const manifestGenerator = 'flux-dashboards';

export interface Manifest {
  generator: typeof manifestGenerator;
  /** The resolved configuration the files were built from (`configFingerprint`): deploy checks it against --config. */
  config?: string;
  files: string[];
}

/** JSON with sorted keys: the same configuration gives the same text whatever order its file wrote the options in. */
const sortedJson = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, entry]) => entry !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${sortedJson(entry)}`).join(',')}}`;
  }
  return JSON.stringify(value);
};

/** A short digest of a resolved configuration, recorded in the manifest of the folder built from it. */
export const configFingerprint = (config: unknown) =>
  `sha256:${createHash('sha256').update(sortedJson(config)).digest('hex')}`;

export const manifestContent = (files: Iterable<string>, config?: string) => {
  const manifest: Manifest = { generator: manifestGenerator, ...(config ? { config } : {}), files: [...files].sort() };
  return `${JSON.stringify(manifest, null, 2)}\n`;
};

/** The configuration fingerprint a manifest records, undefined when it records none (or is not ours). */
export function manifestFingerprint(path: string): string | undefined {
  try {
    const manifest = JSON.parse(readFileSync(path, 'utf8')) as Partial<Manifest>;
    const ours = manifest.generator === manifestGenerator && typeof manifest.config === 'string';
    return ours ? manifest.config : undefined;
  } catch {
    return undefined;
  }
}

/** Kernel file systems and devices: creating folders there fails slowly or oddly, and nothing written there lasts. */
const virtualRoots = ['/proc', '/sys', '/dev'];

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

function kindOf(stats: Stats): string {
  if (stats.isFile()) return 'a file';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  if (stats.isFIFO()) return 'a pipe';
  if (stats.isSocket()) return 'a socket';
  return 'not a folder';
}

const accessProblem = (error: unknown) => {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EROFS') return 'is on a read-only file system';
  return code === 'EACCES' || code === 'EPERM' ? 'is read-only for you' : `cannot be written (${code})`;
};

/**
 * Checks the output folder without creating anything: it is a folder, or it and its missing parents can be made in
 * the nearest existing folder above it (as `mkdir -p`), which must be writable and on a real file system; never the
 * file system's root. Returns its absolute path.
 */
export function checkOutputFolder(out: string): string {
  if (!out.trim()) throw new OutputError('the output folder is empty: name the folder to write into, e.g. --out dist');
  const folder = resolve(out);
  // The nearest path that is there at all; a symbolic link to nothing stops the walk, to be refused below.
  let existing = folder;
  while (!lstatOrUndefined(existing) && dirname(existing) !== existing) existing = dirname(existing);
  if (!statOrUndefined(existing)) {
    const target = readlinkSync(existing);
    const what = existing === folder ? out : `${existing}, a folder of ${out},`;
    throw new OutputError(
      `${what} is a symbolic link to ${target}, which does not exist: create ${target}, or choose another --out`,
    );
  }
  const real = realpathSync(existing);
  if (existing === folder && real === parse(real).root) {
    throw new OutputError(`${out} is the file system's root: choose a folder of its own for --out, e.g. --out dist`);
  }
  const existingStats = statSync(existing);
  if (existing === folder && !existingStats.isDirectory()) {
    throw new OutputError(`${out} is ${kindOf(existingStats)}, not a folder: choose a folder for --out`);
  }
  const virtual = virtualRoots.find((root) => real === root || real.startsWith(`${root}${sep}`));
  if (virtual) {
    throw new OutputError(`${out} is under ${virtual}, a kernel file system: choose a folder on disk for --out`);
  }
  if (!existingStats.isDirectory()) {
    throw new OutputError(`cannot create ${out}: ${existing} is ${kindOf(existingStats)}, not a folder`);
  }
  try {
    accessSync(existing, constants.W_OK);
  } catch (error) {
    if (existing === folder) throw new OutputError(`cannot write into ${out}: it ${accessProblem(error)}`);
    throw new OutputError(`cannot create ${out}: ${existing} ${accessProblem(error)}`);
  }
  return folder;
}

/** The files an earlier build of ours wrote into the folder: none when it has no manifest. */
export function readManifest(folder: string): Set<string> {
  const path = join(folder, buildManifestFile);
  let text: string;
  try {
    if (!lstatSync(path).isFile()) throw new OutputError(`${path} is not a manifest of flux-dashboards: move it away`);
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof OutputError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Set();
    throw new OutputError(`cannot read ${path}: ${(error as Error).message}`);
  }
  let manifest: Partial<Manifest> | undefined;
  try {
    manifest = JSON.parse(text) as Partial<Manifest>;
  } catch {
    manifest = undefined;
  }
  const files = manifest?.files;
  if (manifest?.generator !== manifestGenerator || !Array.isArray(files) || !files.every((file) => isInside(file))) {
    throw new OutputError(`${path} is not a manifest of flux-dashboards: move it away, or choose another --out`);
  }
  return new Set(files);
}

/** A relative path that stays inside the folder: what a manifest of ours may list. */
function isInside(path: unknown): path is string {
  if (typeof path !== 'string' || path.length === 0 || path.startsWith('/')) return false;
  return !path.split('/').some((part) => part === '..' || part === '');
}

function sameContent(path: string, content: string): boolean {
  try {
    return readFileSync(path, 'utf8') === content;
  } catch {
    return false;
  }
}

/**
 * The first reason writing the artifacts would destroy something that is not ours: a file of the same name the
 * last build did not write (unless it already holds exactly our bytes), or a file where we need a folder.
 */
export function conflictOf(folder: string, owned: Set<string>, artifacts: Map<string, string>): string | undefined {
  const conflicts: string[] = [];
  for (const [path, content] of artifacts) {
    const parts = path.split('/');
    for (let depth = 1; depth < parts.length; depth++) {
      const ancestor = join(folder, ...parts.slice(0, depth));
      const stats = statOrUndefined(ancestor);
      if (stats && !stats.isDirectory()) {
        conflicts.push(`${ancestor} is ${kindOf(stats)} where the build needs a folder`);
      }
    }
    const target = join(folder, path);
    const stats = statOrUndefined(target);
    if (!stats) continue;
    if (!stats.isFile()) {
      conflicts.push(`${target} is ${stats.isDirectory() ? 'a folder' : kindOf(stats)} where the build writes a file`);
    } else if (!owned.has(path) && !sameContent(target, content)) {
      conflicts.push(`${target} exists and was not written by flux-dashboards`);
    }
  }
  const unique = [...new Set(conflicts)];
  if (unique.length === 0) return undefined;
  const more = unique.length > 1 ? ` (and ${unique.length - 1} more)` : '';
  return `${unique[0]}${more}: move it away, or choose another --out`;
}
