/** The build as functions, for code that makes its own output: render the artifacts, then write them atomically. */
export { dashboardArtifacts, renderArtifacts, toJsonFile, type Artifacts } from './artifacts';
export { writeArtifacts } from './write-output';
