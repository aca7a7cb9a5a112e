/**
 * The v2 dashboards as files: one JSON resource per dashboard for Git Sync, a kustomization of the resources and their
 * folder for Grafana's API server (kubectl, grafanactl), and grafana-operator GrafanaManifests wrapping them.
 */
import type { Config } from '../config';
import type { DashboardV2Resource } from '../dashboards';
import { dashboardV2File, folderAnnotation, grafanaFolderUid, grafanaOrgNamespace, outputFolders } from '../model';
import {
  folderFiles, kubernetesObject, toJsonFile, toYamlFile, type Artifacts, type KubernetesObject,
} from '../output';
import { dashboardObjectName } from './manifests';

/** What grafana-operator (v5.22 and later) applies to Grafana's resource API as it is: here a v2 dashboard. */
export type GrafanaManifest = KubernetesObject<'GrafanaManifest', {
  spec: {
    instanceSelector: { matchLabels: Record<string, string> };
    template: DashboardV2Resource;
  };
}>;

export type GrafanaFolder = KubernetesObject<'GrafanaFolder', {
  spec: { instanceSelector: { matchLabels: Record<string, string> }; title: string; uid: string };
}>;

/** Grafana's folder resource, which the dashboards' folder annotation names. */
export type FolderResource = KubernetesObject<'Folder', { spec: { title: string } }>;

/** The name of the grafana-operator object of the dashboards' folder. */
export const dashboardFolderObjectName = 'flux-dashboards';

export const grafanaManifestFile = (uid: string) => `${dashboardObjectName(uid)}.grafanamanifest.yaml`;
export const dashboardResourceFile = (uid: string) => `${uid}.dashboard.yaml`;
export const folderResourceFile = 'folder.yaml';
export const grafanaFolderFile = `${dashboardFolderObjectName}.grafanafolder.yaml`;

/** Git Sync files a dashboard by the repository folder it sits in, and refuses a folder annotation of its own. */
export function gitSyncResource(resource: DashboardV2Resource): DashboardV2Resource {
  const { annotations: all, ...metadata } = resource.metadata;
  const annotations = Object.fromEntries(Object.entries(all ?? {}).filter(([key]) => key !== folderAnnotation));
  return { ...resource, metadata: Object.keys(annotations).length ? { ...metadata, annotations } : metadata };
}

export function folderResource(config: Config): FolderResource {
  const title = config.packaging.folder;
  return kubernetesObject('Folder', { name: grafanaFolderUid(title), component: 'dashboard' }, { spec: { title } });
}

const instanceSelector = (config: Config) => ({ matchLabels: { ...config.packaging.grafanaOperatorInstanceSelector } });

export function grafanaManifest(config: Config, resource: DashboardV2Resource): GrafanaManifest {
  const name = dashboardObjectName(resource.metadata.name);
  const spec = { name, component: 'dashboard', holdsTemplates: true } as const;
  return kubernetesObject('GrafanaManifest', spec, {
    spec: { instanceSelector: instanceSelector(config), template: resource },
  });
}

/** The folder the manifests' dashboards are filed in, made by grafana-operator with the uid they name. */
export function dashboardsGrafanaFolder(config: Config): GrafanaFolder {
  const { spec } = folderResource(config);
  const objectSpec = { name: dashboardFolderObjectName, component: 'dashboard' } as const;
  return kubernetesObject('GrafanaFolder', objectSpec, {
    spec: { instanceSelector: instanceSelector(config), title: spec.title, uid: grafanaFolderUid(spec.title) },
  });
}

/** The three v2 folders of the build. */
export function packageV2Artifacts(config: Config, resources: DashboardV2Resource[]): Artifacts {
  const sorted = [...resources].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  const gitSync = sorted.map((resource): [string, string] => [
    dashboardV2File({ uid: resource.metadata.name }),
    toJsonFile(gitSyncResource(resource)),
  ]);
  const forApiServer = 'for Grafana\'s API server (kubectl apply -k with a Grafana kubeconfig, or grafanactl).';
  const apiResources: [string, string][] = [
    [folderResourceFile, toYamlFile(folderResource(config), { about: `The dashboards' folder, ${forApiServer}` })],
    ...sorted.map((resource): [string, string] => [
      dashboardResourceFile(resource.metadata.name),
      toYamlFile(resource, { about: `Dashboard ${resource.metadata.name} (v2), ${forApiServer}` }),
    ]),
  ];
  const operatorResources: [string, string][] = [
    [grafanaFolderFile, toYamlFile(dashboardsGrafanaFolder(config), { about: 'The v2 dashboards\' folder.' })],
    ...sorted.map((resource): [string, string] => [
      grafanaManifestFile(resource.metadata.name),
      toYamlFile(grafanaManifest(config, resource), {
        about: `Loads dashboard ${resource.metadata.name} (v2) into grafana-operator's Grafana (operator v5.22+).`,
      }),
    ]),
  ];
  return new Map([
    ...gitSync,
    ...folderFiles(outputFolders.grafanaResources, grafanaOrgNamespace, apiResources),
    ...folderFiles(outputFolders.grafanaOperatorV2, config.packaging.namespace, operatorResources),
  ]);
}
