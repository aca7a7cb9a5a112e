/**
 * The one builder of the Kubernetes objects the build writes: each gets its kind's apiVersion from the model, the
 * one ownership label set, its component, and the labels and annotations its caller adds; plus the kustomize folder
 * that lists them.
 */
import { apiVersions, substitutionDisabledLabel, type ManifestKind } from '../model/kubernetes';
import { kustomizationFile } from '../model/outputs';
import { toYamlFile } from './yaml';

/** What marks every object as the build's: `kubectl get -l app.kubernetes.io/part-of=flux-dashboards` lists them. */
export const partOfLabel = { 'app.kubernetes.io/part-of': 'flux-dashboards' } as const;
export { substitutionDisabledLabel } from '../model/kubernetes';

/** What part of the build an object belongs to, its `app.kubernetes.io/component`. */
export type Component = 'dashboard' | 'monitoring' | 'alerts';

export interface ObjectSpec {
  name: string;
  /** Only where the object must name it; the kustomizations set every object's namespace. */
  namespace?: string;
  component: Component;
  /** Holds `${…}` or `{{ … }}` templates that Flux's post-build substitution must leave alone. */
  holdsTemplates?: boolean;
  /** Labels after the build's own: the sidecar's selector label, the user's `monitoringLabels`. */
  labels?: Readonly<Record<string, string>>;
  /** Written only when there are any. */
  annotations?: Readonly<Record<string, string>>;
}

export interface ObjectMetadata {
  name: string;
  namespace?: string;
  labels: Record<string, string>;
  annotations?: Record<string, string>;
}

export type KubernetesObject<K extends ManifestKind, Body extends object> = {
  apiVersion: (typeof apiVersions)[K];
  kind: K;
  metadata: ObjectMetadata;
} & Body;

export function objectMetadata(spec: ObjectSpec): ObjectMetadata {
  const labels = {
    ...partOfLabel,
    'app.kubernetes.io/component': spec.component,
    ...(spec.holdsTemplates ? substitutionDisabledLabel : {}),
    ...spec.labels,
  };
  const annotations = spec.annotations && Object.keys(spec.annotations).length ? { ...spec.annotations } : undefined;
  return {
    name: spec.name,
    ...(spec.namespace === undefined ? {} : { namespace: spec.namespace }),
    labels,
    ...(annotations ? { annotations } : {}),
  };
}

/** A Kubernetes object of `kind`: apiVersion, kind, metadata, then the body's fields (`spec`, `data`) in order. */
export function kubernetesObject<K extends ManifestKind, Body extends object>(
  kind: K,
  spec: ObjectSpec,
  body: Body,
): KubernetesObject<K, Body> {
  return { apiVersion: apiVersions[kind], kind, metadata: objectMetadata(spec), ...body };
}

export interface Kustomization {
  apiVersion: (typeof apiVersions)['Kustomization'];
  kind: 'Kustomization';
  namespace: string;
  resources: string[];
}

export function kustomization(namespace: string, resources: string[]): Kustomization {
  return { apiVersion: apiVersions.Kustomization, kind: 'Kustomization', namespace, resources: [...resources].sort() };
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
