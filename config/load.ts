/**
 * Reading a configuration file and checking it once: against config.schema.json (generated from `ConfigInput`), then
 * what the schema cannot say (`checks.ts`) on the input completed with the defaults.
 */
import { readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import Ajv, { type ErrorObject } from 'ajv';
import { isScalar, LineCounter, parseDocument, visit } from 'yaml';
import { checkConfig } from './checks';
import { completeConfig } from './defaults';
import { ConfigError, escapedExcerpt, quoted } from './errors';
import type { Config, ConfigInput } from './index';

/** A configuration is a few dozen lines: a file past this is not one, and is refused before it is read. */
export const configFileMaxBytes = 1_048_576;


export interface SchemaNode {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  anyOf?: SchemaNode[];
  description?: string;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  items?: SchemaNode;
}

/** Values an option once took, and what to write instead: refused with this one-line advice. */
const retiredOptionValues: Array<{ option: string; value: unknown; advice: string }> = [
  {
    option: 'loki.preset',
    value: 'alloy',
    advice: 'the Alloy preset is now split by k8s-monitoring chart version: write "alloy-k8s-monitoring-v1-v2" for ' +
      'chart 1.x or 2.x (`pod` is a stream label), "alloy-k8s-monitoring-v3-plus" for 3.x and later ' +
      '(`pod` is structured metadata)',
  },
];

/** Read at run time, not imported: Node imports JSON modules only behind an experimental warning. */
export const schema = JSON.parse(readFileSync(new URL('./config.schema.json', import.meta.url), 'utf8')) as object;
const definitions = (schema as { definitions: Record<string, SchemaNode> }).definitions;
const validate = new Ajv({ allErrors: false, verbose: true, strict: true }).compile<ConfigInput>(schema);

export function resolveRef(node: SchemaNode): SchemaNode {
  if (!node.$ref) return node;
  const target = definitions[node.$ref.replace('#/definitions/', '')];
  if (!target) throw new Error(`config.schema.json has no definition for ${node.$ref}`);
  return resolveRef(target);
}

const orList = (items: string[]) =>
  (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`);

/** What the schema node accepts, in words. */
export function allowedBy(nodeOrRef: SchemaNode): string {
  const node = resolveRef(nodeOrRef);
  if (node.enum) return orList(node.enum.map((value) => JSON.stringify(value)));
  if (node.anyOf) return orList(node.anyOf.map(allowedBy));
  if (node.type === 'null') return 'null';
  if (node.type === 'object') {
    if (node.properties) return `a mapping with the options ${Object.keys(node.properties).join(', ')}`;
    if (typeof node.additionalProperties === 'object') {
      return `a mapping of names to ${allowedBy(node.additionalProperties)}`;
    }
    return 'a mapping';
  }
  if (node.type === 'array' && node.items) return `a list of ${allowedBy(node.items)}`;
  if (node.description && node.type === 'string') return node.description;
  return `a ${String(node.type)}`;
}

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value !== null && typeof value === 'object') return 'a mapping';
  return typeof value === 'string' ? quoted(value) : JSON.stringify(value);
}

const fieldName = (instancePath: string) => instancePath.slice(1).split('/').join('.');

function describeError(error: ErrorObject): string {
  const field = fieldName(error.instancePath);
  if (error.keyword === 'additionalProperties') {
    const unknown = (error.params as { additionalProperty: string }).additionalProperty;
    const known = Object.keys((error.parentSchema as SchemaNode).properties ?? {});
    const where = field ? `in ${field}` : 'options';
    const option = `${field ? `${field}.` : ''}${escapedExcerpt(unknown)}`;
    return `unknown option ${option}; allowed ${where}: ${known.join(', ')}`;
  }
  if (error.keyword === 'required') {
    const missing = (error.params as { missingProperty: string }).missingProperty;
    const wanted = (error.parentSchema as SchemaNode).properties?.[missing]?.description;
    const meaning = wanted ? ` (${wanted.replace(/\.$/, '')})` : '';
    return `${field} lacks ${missing}${meaning}; allowed: ${allowedBy(error.parentSchema as SchemaNode)}`;
  }
  const subject = field || 'the configuration';
  return `${subject} is ${describeValue(error.data)}; allowed: ${allowedBy(error.parentSchema as SchemaNode)}`;
}

const isMapping = (node: unknown): node is Record<string, unknown> => node !== null && typeof node === 'object';
const valueAt = (root: unknown, path: string) =>
  path.split('.').reduce<unknown>((node, key) => (isMapping(node) ? node[key] : undefined), root);

/** Checks a parsed input against the schema and completes it; the message names the first problem, in one line. */
function checkedInput(value: unknown): Config {
  for (const retired of retiredOptionValues) {
    const found = valueAt(value, retired.option);
    if (found !== retired.value) continue;
    throw new ConfigError(`${retired.option} is ${JSON.stringify(found)}; ${retired.advice}`);
  }
  if (!validate(value)) throw new ConfigError(schemaProblem(validate.errors ?? []));
  // What the schema cannot say: a release the flavour serves, Kubernetes' and the queries' rules.
  const config = completeConfig(value);
  checkConfig(config);
  return config;
}

/** The error that says most: inside a mapping that an anyOf refused (`alerts.grafana.prometheusDatasourceUid`). */
function schemaProblem(errors: ErrorObject[]): string {
  const anyOf = errors.find((error) => error.keyword === 'anyOf');
  const inside = anyOf && isMapping(anyOf.data) && !Array.isArray(anyOf.data)
    ? errors.find((error) => error.instancePath.startsWith(`${anyOf.instancePath}/`) ||
      (error.keyword === 'required' && error.instancePath === anyOf.instancePath))
    : undefined;
  const chosen = inside ?? anyOf ?? errors[0];
  return chosen ? describeError(chosen) : 'does not match config/config.schema.json';
}

/**
 * The checked configuration, every option filled in; `source` (a file's name) starts the message of the
 * `ConfigError` it throws, which has no prefix without one. An empty file (null) is the default configuration.
 */
export function checkedConfig(input: unknown, source?: string): Config {
  try {
    return checkedInput(input ?? {});
  } catch (error) {
    if (error instanceof ConfigError && source) throw new ConfigError(`${source}: ${error.message}`);
    throw error;
  }
}

/** Checks a parsed configuration as `checkedConfig` does, and returns it as it was written. */
export function validateConfig(input: unknown, source?: string): ConfigInput {
  checkedConfig(input, source);
  return (input ?? {}) as ConfigInput;
}

/** Parses configuration text: JSON for a `.json` file, YAML otherwise. */
function parsedText(text: string, source: string): unknown {
  if (extname(source).toLowerCase() === '.json') {
    try {
      return JSON.parse(text);
    } catch (error) {
      // Node quotes a piece of the text in its message: escaped and short, never raw bytes on the terminal.
      throw new ConfigError(`${source}: not valid JSON: ${escapedExcerpt((error as Error).message, 200)}`);
    }
  }
  const notYaml = (message: string) => new ConfigError(`${source}: not valid YAML: ${escapedExcerpt(message, 200)}`);
  // The yaml library's own duplicate-key check compares every key with every other: minutes for a long mapping.
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: false, lineCounter });
  const [error] = document.errors;
  if (error) throw notYaml(error.message.split('\n')[0]!.replace(/:$/, ''));
  visit(document, {
    Map(_, map) {
      const keys = new Set<string>();
      for (const { key } of map.items) {
        const name = isScalar(key) ? String(key.value) : String(key);
        if (keys.has(name)) {
          const at = isScalar(key) && key.range ? ` at line ${lineCounter.linePos(key.range[0]).line}` : '';
          throw notYaml(`the key "${name}" appears twice in one mapping${at}`);
        }
        keys.add(name);
      }
    },
  });
  return document.toJS();
}

export function parseConfig(text: string, source: string): ConfigInput {
  return validateConfig(parsedText(text, source), source);
}

/**
 * The file's text, refused in one line before anything is read when it is missing, not a regular file (a folder,
 * `/dev/zero`, a pipe), larger than `configFileMaxBytes`, or not UTF-8 text.
 */
function configText(path: string): string {
  const cannot = (reason: string) => new ConfigError(`${path}: cannot read the configuration file: ${reason}`);
  let bytes: Buffer;
  try {
    const stats = statSync(path);
    if (stats.isDirectory()) throw cannot('it is a folder');
    if (!stats.isFile()) throw cannot('it is not a regular file (a device, pipe or socket); give a YAML or JSON file');
    if (stats.size > configFileMaxBytes) {
      throw cannot(`it is ${stats.size.toLocaleString('en-US')} bytes, over the ` +
        `${configFileMaxBytes.toLocaleString('en-US')} a configuration may have; is it the right file?`);
    }
    bytes = readFileSync(path);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const { code, message } = error as NodeJS.ErrnoException;
    const reasons: Record<string, string> = {
      ENOENT: 'no such file', EISDIR: 'it is a folder', EACCES: 'permission denied', ENOTDIR: 'no such file',
    };
    throw cannot(reasons[code ?? ''] ?? escapedExcerpt(message));
  }
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    if (text.includes('\0')) throw new Error('NUL byte');
    return text;
  } catch {
    throw cannot('it is not UTF-8 text (a binary file?); give a YAML or JSON file');
  }
}

/** Reads and checks a configuration file: the input as written, for code that completes it itself. */
export function loadConfigFile(path: string): ConfigInput {
  return parseConfig(configText(path), path);
}

/**
 * The build's configuration: the file at `path` read, checked once and completed with the defaults; every default
 * without a path. Throws a `ConfigError` whose message is one line starting with the path.
 */
export function readConfig(path: string | undefined): Config {
  if (path === undefined) return checkedConfig({});
  return checkedConfig(parsedText(configText(path), path), path);
}
