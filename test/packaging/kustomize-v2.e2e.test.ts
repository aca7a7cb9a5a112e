/** kustomize's own rendering of the v2 folders (runs kubectl), as kustomize.e2e.test.ts does for the others. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { resolveConfig } from '../../config';
import { dashboardV2Resources } from '../../dashboards';
import { grafanaOrgNamespace, kustomizationFile, outputFolders } from '../../model';
import { packageV2Artifacts } from '../../packaging';
import { writeArtifacts } from '../../build/write';

interface KubernetesObject {
  kind: string;
  metadata: { name: string; namespace?: string };
}

const config = resolveConfig({ packaging: { namespace: 'observability' } });
const folders = [
  [outputFolders.grafanaResources, grafanaOrgNamespace],
  [outputFolders.grafanaOperatorV2, config.packaging.namespace],
] as const;

describe('kubectl kustomize of the v2 folders', () => {
  it.each(folders)('renders %s into exactly its resource files, in namespace %s', (folder, namespace) => {
    const output = packageV2Artifacts(config, dashboardV2Resources(config));
    const outDir = mkdtempSync(join(tmpdir(), 'packaging-kustomize-v2-'));
    try {
      writeArtifacts(outDir, output);
      const options = { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 } as const;
      const result = spawnSync('kubectl', ['kustomize', join(outDir, folder)], options);
      expect(result.error).toBeUndefined();
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      const rendered = parseAllDocuments(result.stdout).map((document) => document.toJS() as KubernetesObject);
      const expected = [...output]
        .filter(([path]) => path.startsWith(`${folder}/`) && !path.endsWith(`/${kustomizationFile}`))
        .map(([, content]) => parseAllDocuments(content)[0]!.toJS() as KubernetesObject)
        .map((object) => ({ ...object, metadata: { ...object.metadata, namespace } }));
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
