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
} from './render';
export { checkOutputFolder, OutputError } from './folder-ownership';
export { buildUsage, runBuildCli } from './command';
export { writeArtifacts } from './write';
