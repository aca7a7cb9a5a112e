/**
 * The build is deterministic and the committed dist/ is what it makes: the same bytes on every render (in any time
 * zone or locale: render.e2e.test.ts), every file equal to its committed copy and no stray file in the folders the
 * build owns.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../config';
import { generatedHeader } from '../../output';
import { renderArtifacts } from '../../build/render';
import { buildManifestFile } from '../../build/folder-ownership';
import { configMatrix } from '../configs';

const root = join(import.meta.dirname, '../..');
const dist = join(root, 'dist');

function filesUnder(folder: string): string[] {
  return readdirSync(folder).flatMap((entry) => {
    const path = join(folder, entry);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('rendering', () => {
  it.each(configMatrix)('gives the same bytes twice under $name', ({ config }) => {
    const first = [...renderArtifacts(config)];
    const second = [...renderArtifacts(structuredClone(config))];
    expect(second).toEqual(first);
  });

  it('writes JSON with 2-space indentation and a final newline', () => {
    const jsonFiles = [...renderArtifacts(resolveConfig())].filter(([path]) => path.endsWith('.json'));
    expect(jsonFiles.length).toBeGreaterThanOrEqual(3);
    for (const [path, content] of jsonFiles)
      expect(content, path).toBe(`${JSON.stringify(JSON.parse(content), null, 2)}\n`);
  });

  it('starts every YAML file with the one header, its own line if any, then a blank line', () => {
    const yamlFiles = [...renderArtifacts(resolveConfig())].filter(([path]) => path.endsWith('.yaml'));
    expect(yamlFiles.length).toBeGreaterThanOrEqual(10);
    const header = new RegExp(`^# ${escape(generatedHeader)}\\n(# [^\\n]+\\n)?\\n[a-z]`);
    for (const [path, content] of yamlFiles) expect(content, path).toMatch(header);
  });

  it('ends every file with exactly one newline', () => {
    for (const [path, content] of renderArtifacts(resolveConfig())) expect(content, path).toMatch(/[^\n]\n$/);
  });
});

describe('the committed dist/', () => {
  const artifacts = renderArtifacts(resolveConfig());
  const ownedFolders = [...new Set([...artifacts.keys()].map((path) => path.split('/')[0]!))];

  it.each([...artifacts.keys()])(
    'has %s as the build makes it (run `npm run build` and commit dist/ if not)',
    (path) => {
      expect(readFileSync(join(dist, path), 'utf8')).toBe(artifacts.get(path));
    },
  );

  it('has the manifest listing exactly the files the build makes', () => {
    const manifest = JSON.parse(readFileSync(join(dist, buildManifestFile), 'utf8')) as { files: string[] };
    expect(manifest.files).toEqual([...artifacts.keys()].sort());
  });

  it.each(ownedFolders)('has no file under %s/ that the build does not make', (folder) => {
    const committed = filesUnder(join(dist, folder)).map((file) => relative(dist, file).split('\\').join('/'));
    expect(committed.filter((path) => !artifacts.has(path))).toEqual([]);
  });
});
