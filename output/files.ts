/** What the build's modules hand each other and the writer: files by path, and manifests for the packaging. */

/** File contents keyed by their path under the output folder. */
export type Artifacts = Map<string, string>;

/** A Kubernetes object file that the packaging puts into each of its kustomize folders. */
export interface KubernetesManifest {
  /** Its file name inside a kustomize folder, e.g. `podmonitor.yaml`. */
  file: string;
  yaml: string;
}

/** What scrape/ and alerts/ make: plain files at their paths, and Kubernetes manifests for the packaging. */
export interface ModuleArtifacts {
  files: Artifacts;
  manifests: KubernetesManifest[];
}
