/**
 * How the build's files are written: one YAML writer with one header, one JSON writer, and the shapes the modules
 * hand over. A floor beside model/ (it imports only the yaml library), so scrape/, alerts/, packaging/ and
 * scripts/ import it downwards; model/ stays facts, this folder holds the formatting they all share.
 */
export { generatedHeader, toYamlFile, type YamlFileOptions } from './yaml';
export { toJsonFile } from './json';
export type { Artifacts, KubernetesManifest, ModuleArtifacts } from './artifacts';
export { folderFiles, kustomization, partOfLabel, substitutionDisabledLabel, type Kustomization } from './kubernetes';
