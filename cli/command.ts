/**
 * What every command (`build`, `deploy`) shares: its exit codes, its one kind of usage error, where it prints, how it
 * names itself and the commands it suggests, and the one line it prints when it fails.
 */

/** 0 done; 1 the work itself failed (Grafana refused, a write failed); 2 bad input, refused before any work. */
export const exitCodes = { ok: 0, failed: 1, badInput: 2 } as const;
export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

/** Bad input (arguments, configuration, paths) found before any work: the message says what is wrong and what to do. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Where a command prints: its result on `out`, its errors on `err`, one line per call. */
export interface CommandIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

export const consoleIo: CommandIo = { out: (line) => console.log(line), err: (line) => console.error(line) };

/** The commands, each also an npm script of this repository (`npm run doctor -- …`). */
export const commandNames = ['build', 'deploy', 'init', 'doctor'] as const;
export type CommandName = (typeof commandNames)[number];

/** How the user runs the commands: the same words in a usage line and in "run … first" advice. */
export interface Invocation {
  /** The words before a command's options, as a usage line shows them: `flux-dashboards build`. */
  program: (command: CommandName) => string;
  /** The command line that runs the command with its defaults, to suggest: `npx flux-dashboards build`. */
  suggest: (command: CommandName) => string;
}

/** The installed package's command. */
export const packageInvocation: Invocation = {
  program: (command) => `flux-dashboards ${command}`,
  suggest: (command) => `npx flux-dashboards ${command}`,
};

/** This repository's npm scripts (`npm run build`, `npm run doctor`, …), which run the commands from the sources. */
export const repositoryInvocation: Invocation = {
  program: (command) => `npm run ${command} --`,
  suggest: (command) => `npm run ${command}`,
};

export type Environment = Record<string, string | undefined>;

/** The package's name: npm names it in the environment of the package's own scripts. */
export const packageName = 'flux-dashboards';

/**
 * The repository's invocation when npm runs this package's own script of a command, else the package's: a
 * user's script that calls `npx flux-dashboards build` runs under the user's package name.
 */
export function invocationOf(env: Environment): Invocation {
  const script = env.npm_lifecycle_event ?? '';
  const ownScript = env.npm_package_name === packageName && (commandNames as readonly string[]).includes(script);
  return ownScript ? repositoryInvocation : packageInvocation;
}

/** Set to any non-empty value, the stack trace of an unexpected error is printed too. */
export const debugVariable = 'FLUX_DASHBOARDS_DEBUG';

/** The first line of the error's message (the stack with FLUX_DASHBOARDS_DEBUG): a trace says nothing to a user. */
export function errorLine(error: unknown, env: Environment = process.env): string {
  const message = error instanceof Error ? error.message : String(error);
  if (env[debugVariable] && error instanceof Error && error.stack) return error.stack;
  return message.split('\n')[0] ?? message;
}
