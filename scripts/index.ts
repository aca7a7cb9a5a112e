/** The build as functions, for code that makes its own output: render the artifacts, then write them atomically. */
export {
  dashboardArtifacts,
  dashboardFiles,
  mergeArtifacts,
  renderArtifacts,
  toJsonFile,
  type Artifacts,
} from './artifacts';
export { writeArtifacts } from './write-output';
