/** kustomize's own rendering of every kustomize folder the packaging writes, classic and v2 (runs kubectl). */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { resolveConfig } from '../../config';
import { dashboardV2Resources } from '../../dashboards';
import { grafanaOrgNamespace, kustomizationFile, outputFolders } from '../../model';
import { packageArtifacts, packageV2Artifacts } from '../../packaging';
import { dashboardFiles } from '../../build/render';
import { writeArtifacts } from '../../build/write';
import { scrapeArtifacts } from '../../scrape';

interface KubernetesObject {
  kind: string;
  metadata: { name: string; namespace?: string };
}

const config = resolveConfig({ packaging: { namespace: 'observability' } });
const classic = () =>
  packageArtifacts(config, { dashboards: dashboardFiles(config), manifests: scrapeArtifacts(config).manifests });
const v2 = () => packageV2Artifacts(config, dashboardV2Resources(config));

/** Each folder, the namespace its objects land in, and the packaging that writes it. */
const folders = [
  [outputFolders.kubernetes, config.packaging.namespace, classic],
  [outputFolders.grafanaOperator, config.packaging.namespace, classic],
  [outputFolders.grafanaResources, grafanaOrgNamespace, v2],
  [outputFolders.grafanaOperatorV2, config.packaging.namespace, v2],
] as const;

function objectsIn(output: Map<string, string>, folder: string): KubernetesObject[] {
  return [...output]
    .filter(([path]) => path.startsWith(`${folder}/`) && !path.endsWith(`/${kustomizationFile}`))
    .map(([, content]) => parseAllDocuments(content)[0]!.toJS() as KubernetesObject);
}

const kubectlMissing = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).error !== undefined;

describe('kubectl kustomize', () => {
  it('kubectl is on the PATH (Debian/Ubuntu: apt-get install kubernetes-client)', () => {
    expect(kubectlMissing).toBe(false);
  });

  it.each(folders)('renders %s into exactly its resource files, in namespace %s', (folder, namespace, packaged) => {
    const output = packaged();
    const outDir = mkdtempSync(join(tmpdir(), 'packaging-kustomize-'));
    try {
      writeArtifacts(outDir, output);
      const options = { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 } as const;
      const result = spawnSync('kubectl', ['kustomize', join(outDir, folder)], options);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      const rendered = parseAllDocuments(result.stdout).map((document) => document.toJS() as KubernetesObject);
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
