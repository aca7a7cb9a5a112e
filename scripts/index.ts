/**
 * The build as functions, for code that makes its own output: render the artifacts, then write them into a folder
 * that the build owns only the files of (`OutputError` when writing would destroy a file that is not its own).
 */
export {
  dashboardArtifacts,
  dashboardFiles,
  mergeArtifacts,
  renderArtifacts,
  toJsonFile,
  type Artifacts,
} from './artifacts';
export { checkOutputFolder, OutputError } from './output-folder';
export { runBuildCli } from './build-command';
export { writeArtifacts } from './write-output';
