/** What every Kubernetes manifest of the build shares: its labels, and the kustomize folder that lists it. */
import { kustomizationFile } from '../model/outputs';
import { toYamlFile } from './yaml';

export const partOfLabel = { 'app.kubernetes.io/part-of': 'flux-dashboards' } as const;
/** Flux's kustomize-controller would otherwise replace the dashboards' `${datasource}` and the alerts' templates. */
export const substitutionDisabledLabel = { 'kustomize.toolkit.fluxcd.io/substitute': 'disabled' } as const;

export interface Kustomization {
  apiVersion: 'kustomize.config.k8s.io/v1beta1';
  kind: 'Kustomization';
  namespace: string;
  resources: string[];
}

export function kustomization(namespace: string, resources: string[]): Kustomization {
  return {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    namespace,
    resources: [...resources].sort(),
  };
}

/** A kustomize folder: its resource files by name, and the kustomization listing them. */
export function folderFiles(folder: string, namespace: string, resources: [string, string][]): [string, string][] {
  const names = new Set<string>([kustomizationFile]);
  for (const [name] of resources) {
    if (names.has(name)) {
      const clash = `${folder}/${name}`;
      throw new Error(`${clash} is written by the Kubernetes packaging; rename the manifest that clashes with it.`);
    }
    names.add(name);
  }
  const sorted = [...resources].sort(([a], [b]) => a.localeCompare(b));
  const about = 'Lists every resource file in this folder.';
  const index = toYamlFile(kustomization(namespace, sorted.map(([name]) => name)), { about });
  const files = sorted.map(([name, content]): [string, string] => [`${folder}/${name}`, content]);
  return [...files, [`${folder}/${kustomizationFile}`, index]];
}
