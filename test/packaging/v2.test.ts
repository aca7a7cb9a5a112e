/**
 * The v2 folders of the build: Git Sync's JSON resources, the kustomization for Grafana's API server, and the
 * grafana-operator GrafanaManifests (the CRD's fields, grafana/grafana-operator api/v1beta1/grafanamanifest_types.go).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { resolveConfig, type ConfigInput } from '../../config';
import { dashboardV2Resources, type DashboardV2Resource } from '../../dashboards';
import {
  apiVersions, dashboardV2File, folderAnnotation, grafanaFolderUid, grafanaOrgNamespace, kustomizationFile,
  outputFolders,
} from '../../model';
import {
  dashboardResourceFile, folderResourceFile, grafanaFolderFile, grafanaManifest, grafanaManifestFile,
  packageV2Artifacts,
} from '../../packaging';
import { dashboardObjectName } from '../../packaging/manifests';
import { annotationsLimitBytes, goJsonByteLength } from '../../packaging/size-budget';
import { renderArtifacts } from '../../build/render';

const distDir = join(import.meta.dirname, '../../dist');
const v2Folders = [outputFolders.dashboardsV2, outputFolders.grafanaResources, outputFolders.grafanaOperatorV2];

function built(input: ConfigInput = {}) {
  const config = resolveConfig(input);
  const resources = dashboardV2Resources(config);
  return { config, resources, files: packageV2Artifacts(config, resources) };
}

const yamlIn = (files: Map<string, string>, path: string) => parseYaml(files.get(path)!) as Record<string, unknown>;

describe('the v2 folders', () => {
  it('Git Sync gets one JSON resource per dashboard, named by uid, filed by the repository folder it sits in', () => {
    const { resources, files } = built();
    for (const resource of resources) {
      const file = JSON.parse(files.get(dashboardV2File({ uid: resource.metadata.name }))!) as DashboardV2Resource;
      expect(file.metadata.annotations?.[folderAnnotation]).toBeUndefined();
      expect({ ...file, metadata: { ...file.metadata, annotations: resource.metadata.annotations } }).toEqual(resource);
    }
    const gitSync = [...files.keys()].filter((path) => path.startsWith(`${outputFolders.dashboardsV2}/`));
    expect(gitSync.length).toBe(resources.length);
  });

  it('Grafana\'s API server gets the resources and the folder they name, in org 1\'s namespace', () => {
    const { config, resources, files } = built({ packaging: { folder: 'Flux GitOps' } });
    const folder = yamlIn(files, `${outputFolders.grafanaResources}/${folderResourceFile}`);
    expect(folder).toMatchObject({
      apiVersion: apiVersions.Folder, kind: 'Folder', metadata: { name: 'flux-gitops' }, spec: { title: 'Flux GitOps' },
    });
    for (const resource of resources) {
      const file = yamlIn(files, `${outputFolders.grafanaResources}/${dashboardResourceFile(resource.metadata.name)}`);
      expect(file).toEqual(resource);
      expect(resource.metadata.annotations?.[folderAnnotation]).toBe(grafanaFolderUid(config.packaging.folder));
    }
    const kustomization = yamlIn(files, `${outputFolders.grafanaResources}/${kustomizationFile}`);
    expect(kustomization.namespace).toBe(grafanaOrgNamespace);
    expect(kustomization.resources).toEqual(
      [folderResourceFile, ...resources.map(({ metadata }) => dashboardResourceFile(metadata.name))].sort(),
    );
  });

  it('grafana-operator gets a GrafanaManifest per dashboard (the CRD fields) and the GrafanaFolder they name', () => {
    const selector = { instance: 'main' };
    const input = { packaging: { namespace: 'grafana', grafanaOperatorInstanceSelector: selector } };
    const { config, resources, files } = built(input);
    for (const resource of resources) {
      const path = `${outputFolders.grafanaOperatorV2}/${grafanaManifestFile(resource.metadata.name)}`;
      const manifest = yamlIn(files, path);
      expect(Object.keys(manifest)).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
      expect(manifest.apiVersion).toBe('grafana.integreatly.org/v1beta1');
      expect(manifest.kind).toBe('GrafanaManifest');
      expect((manifest.metadata as { name: string }).name).toBe(dashboardObjectName(resource.metadata.name));
      const spec = manifest.spec as { instanceSelector: unknown; template: Record<string, unknown> };
      expect(Object.keys(spec)).toEqual(['instanceSelector', 'template']);
      expect(spec.instanceSelector).toEqual({ matchLabels: selector });
      // RequiredTypeMeta and RequiredObjectMeta: kind, apiVersion, metadata.name, then the resource's spec as it is.
      expect(spec.template).toEqual(resource);
    }
    const folder = yamlIn(files, `${outputFolders.grafanaOperatorV2}/${grafanaFolderFile}`);
    expect(folder).toMatchObject({
      kind: 'GrafanaFolder',
      spec: {
        instanceSelector: { matchLabels: selector }, title: 'Flux', uid: grafanaFolderUid(config.packaging.folder),
      },
    });
    expect(yamlIn(files, `${outputFolders.grafanaOperatorV2}/${kustomizationFile}`).namespace).toBe('grafana');
  });

  it('every GrafanaManifest and v2 resource fits what client-side kubectl apply keeps in its annotation', () => {
    for (const input of [{}, { flavor: 'flux-operator' as const }]) {
      const { resources, config } = built(input);
      for (const resource of resources) {
        // The object, applied, plus kubectl's copy of it in the annotation.
        expect(goJsonByteLength(grafanaManifest(config, resource)) + 1024).toBeLessThan(annotationsLimitBytes);
        expect(goJsonByteLength(resource) + 1024).toBeLessThan(annotationsLimitBytes);
      }
    }
  });

  it.each(v2Folders)('dist/%s is what the default configuration builds', (folder) => {
    const rendered = renderArtifacts(resolveConfig());
    const expected = [...rendered.keys()].filter((path) => path.startsWith(`${folder}/`)).sort();
    expect(expected.length).toBeGreaterThan(2);
    const onDisk = readdirSync(join(distDir, folder)).map((name) => `${folder}/${name}`).sort();
    expect(onDisk).toEqual(expected);
    for (const path of onDisk) expect(readFileSync(join(distDir, path), 'utf8'), path).toBe(rendered.get(path));
  });
});
