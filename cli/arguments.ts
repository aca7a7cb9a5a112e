/**
 * A command's flags, read with Node's `parseArgs` and every mistake turned into a `UsageError` that names the flag or
 * the word: a stray word, an unknown flag, a flag without its value, an empty value.
 */
import { parseArgs } from 'node:util';
import { UsageError } from './command';

export interface Flag {
  type: 'string' | 'boolean';
  short?: string;
  /** What a string flag's value is, for the advice when it is missing: `--config FILE`. */
  value?: string;
}

export type Flags = Record<string, Flag>;
export type FlagValues<F extends Flags> = { [K in keyof F]?: F[K]['type'] extends 'string' ? string : boolean };

export interface ArgumentRules {
  /** The command's usage line, added to every error about its arguments. */
  usage: string;
  /** What a word that is not a flag's value should have been: `pass the configuration as --config flux.yaml`. */
  stray: (word: string) => string;
}

const quoted = (message: string) => /'(-[^' =]+)/.exec(message)?.[1];

/** A negative number after a flag that takes a value is that value (`--timeout -1`), not another flag. */
function joinNegativeValues(argv: string[], flags: Flags): string[] {
  const joined: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    const next = argv[index + 1];
    const name = arg.startsWith('--') ? arg.slice(2) : undefined;
    if (name && flags[name]?.type === 'string' && next !== undefined && /^-\d|^-\.\d/.test(next)) {
      joined.push(`${arg}=${next}`);
      index++;
    } else joined.push(arg);
  }
  return joined;
}

function flagError(error: unknown, flags: Flags): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as NodeJS.ErrnoException).code;
  const flag = quoted(message) ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option ${flag}`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    if (/does not take an argument/.test(message)) return `${flag} takes no value`;
    const spec = Object.entries(flags).find(([name, { short }]) => flag === `--${name}` || flag === `-${short}`);
    return `${flag} needs a value: ${flag} ${spec?.[1].value ?? 'VALUE'}`;
  }
  return message.split(/\.\s|\n/)[0]!;
}

/** The flags' values; throws a one-line `UsageError` naming what is wrong, followed by the usage line. */
export function parseFlags<F extends Flags>(argv: string[], flags: F, rules: ArgumentRules): FlagValues<F> {
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({ args: joinNegativeValues(argv, flags), options: flags, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError(`${flagError(error, flags)}; ${rules.usage}`);
  }
  const [stray] = parsed.positionals;
  if (stray !== undefined) {
    throw new UsageError(`unexpected argument "${stray}": ${rules.stray(stray)}; ${rules.usage}`);
  }
  for (const [name, value] of Object.entries(parsed.values)) {
    if (typeof value === 'string' && !value.trim()) {
      throw new UsageError(`--${name} is empty: give --${name} ${flags[name]?.value ?? 'VALUE'}; ${rules.usage}`);
    }
  }
  return parsed.values as FlagValues<F>;
}

/** A number of the flag's unit greater than zero; a clear error for `-1`, `0`, `abc`. */
export function positiveNumber(flag: string, text: string, unit: string): number {
  const number = Number(text);
  if (!text.trim() || !Number.isFinite(number) || number <= 0) {
    throw new UsageError(`--${flag} must be a number of ${unit} greater than 0, not "${text}"`);
  }
  return number;
}
