/**
 * A command bundled into one file with its dependencies (as the package ships its command), beside a copy of the
 * files it reads at run time, under a folder every user can read. Run from there, it needs nothing of the checkout:
 * a test can run it as an unprivileged user however private the folder the repository was cloned into.
 */
import { chmodSync, copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { buildSync } from 'esbuild';

const repo = resolve(import.meta.dirname, '..', '..');
/** Read beside the module that reads it (`new URL('./config.schema.json', import.meta.url)`). */
const dataFiles = ['config/config.schema.json'];

const bundled = new Map<string, string>();

/** Bundles `source` (a path in the repository) once per test process; returns the bundle's path. */
export function bundleForEveryUser(source: string): string {
  const known = bundled.get(source);
  if (known) return known;
  // Under the run's temporary root (TMPDIR), which is readable by all.
  const folder = mkdtempSync(join(tmpdir(), 'bundled-command-'));
  chmodSync(folder, 0o755);
  const outfile = join(folder, `${basename(source, '.ts')}.mjs`);
  buildSync({
    entryPoints: [resolve(repo, source)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // The bundled CommonJS dependencies call require() for Node's own modules.
    banner: {
      js: "import { createRequire as requireOf } from 'node:module'; const require = requireOf(import.meta.url);",
    },
    logLevel: 'error',
  });
  for (const file of dataFiles) copyFileSync(join(repo, file), join(folder, basename(file)));
  for (const file of [outfile, ...dataFiles.map((data) => join(folder, basename(data)))]) chmodSync(file, 0o644);
  bundled.set(source, outfile);
  return outfile;
}
