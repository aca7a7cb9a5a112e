/**
 * The options table of docs/configuration.md, made from config.schema.json (descriptions, what each option accepts)
 * and the defaults; `npm run docs` writes it into the page.
 */
import { defaultConfig } from './defaults';
import { allowedBy, resolveRef, schema, type SchemaNode } from './load';

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
const code = (text: string) => `\`${text}\``;

function defaultOf(path: string[]): string {
  const at = (node: unknown, key: string) => (node as Record<string, unknown> | undefined)?.[key];
  const value = path.reduce<unknown>(at, defaultConfig);
  if (value === undefined) return 'none';
  if (typeof value === 'string') return code(value);
  return code(JSON.stringify(value).replace(/"([^"]+)":/g, '$1: ').replace(/,/g, ', '));
}

/** Options below a mapping that has named options are listed one by one; a nullable mapping also as a whole. */
function rows(node: SchemaNode, path: string[]): string[] {
  const properties = node.properties ?? {};
  return Object.entries(properties).flatMap(([name, child]) => {
    const option = [...path, name];
    const mapping = [resolveRef(child), ...(child.anyOf ?? []).map(resolveRef)].find((n) => n.properties);
    const own = `| ${code(option.join('.'))} | ${defaultOf(option)} | ${cell(allowedBy(child))} | ` +
      `${cell(child.description ?? resolveRef(child).description ?? '')} |`;
    if (!mapping) return [own];
    return [...(child.anyOf ? [own] : []), ...rows(mapping, option)];
  });
}

export function optionsTable(): string {
  const root = resolveRef(schema as SchemaNode);
  return [
    '| option | default | allowed | meaning |',
    '|---|---|---|---|',
    ...rows(root, []),
  ].join('\n');
}
