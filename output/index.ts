/**
 * How the build's files are written: one YAML writer with one header, one JSON writer, one builder of Kubernetes
 * objects, and the shapes the modules hand over. A floor beside model/ (it imports only model/ and the yaml
 * library), so scrape/, alerts/, packaging/ and the build import it downwards.
 */
export { generatedHeader, toYamlFile, type YamlFileOptions } from './yaml';
export { toJsonFile } from './json';
export type { Artifacts, KubernetesManifest, ModuleArtifacts } from './files';
export {
  folderFiles,
  kubernetesObject,
  kustomization,
  objectMetadata,
  partOfLabel,
  substitutionDisabledLabel,
  type Component,
  type KubernetesObject,
  type Kustomization,
  type ObjectMetadata,
  type ObjectSpec,
} from './kubernetes';
