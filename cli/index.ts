/** The command plumbing every command shares, and the `flux-dashboards` command line that dispatches to them. */
export {
  consoleIo, debugVariable, errorLine, exitCodes, invocationOf, packageInvocation, repositoryInvocation, UsageError,
  type CommandIo, type CommandName, type Environment, type ExitCode, type Invocation,
} from './command';
export { parseFlags, positiveNumber, type ArgumentRules, type Flag, type Flags, type FlagValues } from './arguments';
export { cliUsage, packageVersion, runCli } from './main';
