/** Reading a configuration file and checking it against config.schema.json (generated from `ConfigInput`). */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import Ajv, { type ErrorObject } from 'ajv';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { ConfigError } from './errors';
import { fluxReleaseFor } from './flux-version';
import type { ConfigInput } from './index';


interface SchemaNode {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  anyOf?: SchemaNode[];
  description?: string;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
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
const schema = JSON.parse(readFileSync(new URL('./config.schema.json', import.meta.url), 'utf8')) as object;
const definitions = (schema as { definitions: Record<string, SchemaNode> }).definitions;
const validate = new Ajv({ allErrors: false, verbose: true, strict: true }).compile<ConfigInput>(schema);

function resolveRef(node: SchemaNode): SchemaNode {
  if (!node.$ref) return node;
  const target = definitions[node.$ref.replace('#/definitions/', '')];
  if (!target) throw new Error(`config.schema.json has no definition for ${node.$ref}`);
  return resolveRef(target);
}

const orList = (items: string[]) => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`);

/** What the schema node accepts, in words. */
function allowedBy(nodeOrRef: SchemaNode): string {
  const node = resolveRef(nodeOrRef);
  if (node.enum) return orList(node.enum.map((value) => JSON.stringify(value)));
  if (node.anyOf) return orList(node.anyOf.map(allowedBy));
  if (node.type === 'null') return 'null';
  if (node.type === 'object') {
    if (node.properties) return `a mapping with the options ${Object.keys(node.properties).join(', ')}`;
    if (typeof node.additionalProperties === 'object') return `a mapping of names to ${allowedBy(node.additionalProperties)}`;
    return 'a mapping';
  }
  if (node.description && node.type === 'string') return node.description;
  return `a ${String(node.type)}`;
}

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value !== null && typeof value === 'object') return 'a mapping';
  return JSON.stringify(value);
}

const fieldName = (instancePath: string) => instancePath.slice(1).split('/').join('.');

function describeError(error: ErrorObject): string {
  const field = fieldName(error.instancePath);
  if (error.keyword === 'additionalProperties') {
    const unknown = (error.params as { additionalProperty: string }).additionalProperty;
    const known = Object.keys((error.parentSchema as SchemaNode).properties ?? {});
    return `unknown option ${field ? `${field}.` : ''}${unknown}; allowed ${field ? `in ${field}` : 'options'}: ${known.join(', ')}`;
  }
  if (error.keyword === 'required') {
    const missing = (error.params as { missingProperty: string }).missingProperty;
    const wanted = (error.parentSchema as SchemaNode).properties?.[missing]?.description;
    return `${field} lacks ${missing}${wanted ? ` (${wanted.replace(/\.$/, '')})` : ''}; allowed: ${allowedBy(error.parentSchema as SchemaNode)}`;
  }
  const subject = field || 'the configuration';
  return `${subject} is ${describeValue(error.data)}; allowed: ${allowedBy(error.parentSchema as SchemaNode)}`;
}

const isMapping = (node: unknown): node is Record<string, unknown> => node !== null && typeof node === 'object';
const valueAt = (root: unknown, path: string) =>
  path.split('.').reduce<unknown>((node, key) => (isMapping(node) ? node[key] : undefined), root);

/** Checks a parsed configuration; `source` (a file's name) starts the message, which has no prefix without one. */
export function validateConfig(input: unknown, source?: string): ConfigInput {
  const from = source ? `${source}: ` : '';
  // An empty file is the default configuration.
  const value = input ?? {};
  for (const retired of retiredOptionValues) {
    const found = valueAt(value, retired.option);
    if (found !== retired.value) continue;
    throw new ConfigError(`${from}${retired.option} is ${JSON.stringify(found)}; ${retired.advice}`);
  }
  if (validate(value)) {
    // What the schema cannot say: a release this package knows, and one the flavour serves.
    try {
      fluxReleaseFor(value.flavor, value.fluxVersion);
    } catch (error) {
      if (error instanceof ConfigError) throw new ConfigError(`${from}${error.message}`);
      throw error;
    }
    return value;
  }
  const errors = validate.errors ?? [];
  // An anyOf failure is described by its alternatives, unless the value is a mapping lacking a required option.
  const anyOf = errors.find((error) => error.keyword === 'anyOf');
  const missing = errors.find((error) => error.keyword === 'required' && error.instancePath === anyOf?.instancePath);
  const chosen = missing ?? anyOf ?? errors[0];
  throw new ConfigError(`${from}${chosen ? describeError(chosen) : 'does not match config/config.schema.json'}`);
}

/** Parses configuration text: JSON for a `.json` file, YAML otherwise. */
export function parseConfig(text: string, source: string): ConfigInput {
  let parsed: unknown;
  if (extname(source).toLowerCase() === '.json') {
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new ConfigError(`${source}: not valid JSON: ${(error as Error).message}`);
    }
  } else {
    try {
      parsed = parseYaml(text, { prettyErrors: true });
    } catch (error) {
      const message = error instanceof YAMLParseError ? error.message.split('\n')[0]!.replace(/:$/, '') : String(error);
      throw new ConfigError(`${source}: not valid YAML: ${message}`);
    }
  }
  return validateConfig(parsed, source);
}

export function loadConfigFile(path: string): ConfigInput {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'permission denied' : message;
    throw new ConfigError(`${path}: cannot read the configuration file: ${reason}`);
  }
  return parseConfig(text, path);
}
