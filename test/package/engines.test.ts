/**
 * Every package `npm ci` installs runs on the oldest Node the package states it supports (`engines.node`): otherwise a
 * fresh install warns EBADENGINE and the statement is false. Read from package-lock.json, which records each
 * package's engines. Optional packages are left out: npm skips one whose engines refuse this Node, without a warning.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { minVersion, satisfies, validRange } from 'semver';
import { expect, it } from 'vitest';

const repo = join(import.meta.dirname, '..', '..');
const readJson = <T>(file: string) => JSON.parse(readFileSync(join(repo, file), 'utf8')) as T;
const pkg = readJson<{ engines: { node: string } }>('package.json');
interface LockedPackage {
  version?: string;
  optional?: boolean;
  engines?: { node?: string } | string[];
}
const lock = readJson<{ packages: Record<string, LockedPackage> }>('package-lock.json');

/** The packages whose stated Node range leaves out `node` (a version). */
function refusing(node: string): string[] {
  return Object.entries(lock.packages).flatMap(([path, entry]) => {
    const range = !entry.engines || Array.isArray(entry.engines) ? undefined : entry.engines.node;
    if (!path || !range || entry.optional) return [];
    return satisfies(node, range, { includePrerelease: true }) ? [] : [`${path}@${entry.version}: node ${range}`];
  });
}

it('states a Node range whose oldest version is a real release', () => {
  expect(validRange(pkg.engines.node)).not.toBeNull();
  expect(minVersion(pkg.engines.node)?.version).toMatch(/^\d+\.\d+\.\d+$/);
});

it('installs no package that refuses the oldest Node it states', () => {
  expect(refusing(minVersion(pkg.engines.node)!.version)).toEqual([]);
});

it('the check finds a package that wants a newer Node', () => {
  expect(refusing('16.0.0')).toContain('node_modules/vitest@3.2.7: node ^18.0.0 || ^20.0.0 || >=22.0.0');
});
