/** kustomize's own rendering of the packaging's folders (runs kubectl). */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { resolveConfig } from '../../config';
import { outputFolders } from '../../model/outputs';
import { packageArtifacts } from '../../packaging';
import { dashboardFiles } from '../../build/render';
import { writeArtifacts } from '../../build/write';
import { scrapeArtifacts } from '../../scrape';

interface KubernetesObject {
  kind: string;
  metadata: { name: string; namespace?: string };
}

const folders = [outputFolders.kubernetes, outputFolders.grafanaOperator] as const;

function packaged() {
  const config = resolveConfig({ packaging: { namespace: 'observability' } });
  const dashboards = dashboardFiles(config);
  return { config, output: packageArtifacts(config, { dashboards, manifests: scrapeArtifacts(config).manifests }) };
}

function objectsIn(output: Map<string, string>, folder: string): KubernetesObject[] {
  return [...output]
    .filter(([path]) => path.startsWith(`${folder}/`) && !path.endsWith('/kustomization.yaml'))
    .map(([, content]) => parseAllDocuments(content)[0]!.toJS() as KubernetesObject);
}

const kubectlMissing = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).error !== undefined;

describe('kubectl kustomize', () => {
  it('kubectl is on the PATH (Debian/Ubuntu: apt-get install kubernetes-client)', () => {
    expect(kubectlMissing).toBe(false);
  });

  it.each(folders)('renders %s into exactly its resource files, in the configured namespace', (folder) => {
    const { config, output } = packaged();
    const outDir = mkdtempSync(join(tmpdir(), 'packaging-kustomize-'));
    try {
      writeArtifacts(outDir, output);
      const options = { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 } as const;
      const result = spawnSync('kubectl', ['kustomize', join(outDir, folder)], options);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      const rendered = parseAllDocuments(result.stdout).map((document) => document.toJS() as KubernetesObject);
      const { namespace } = config.packaging;
      const inNamespace = (object: KubernetesObject) => ({ ...object, metadata: { ...object.metadata, namespace } });
      const expected = objectsIn(output, folder).map(inNamespace);
      const key = (object: KubernetesObject) => `${object.kind}/${object.metadata.name}`;
      expect(rendered.map(key).sort()).toEqual(expected.map(key).sort());
      for (const object of expected) {
        expect(rendered.find((candidate) => key(candidate) === key(object))).toEqual(object);
      }
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  });
});
