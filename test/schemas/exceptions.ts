/**
 * Where a schema, not the dashboard, is wrong: each entry replaces one property's sub-schema, with the reason. The
 * schema test proves every entry is still needed (without it some dashboard fails), so none outlives its cause.
 */

export type SchemaName = 'generated' | 'dashboard';

export interface SchemaException {
  schema: SchemaName;
  /** `definitions` entry and property whose sub-schema is replaced. */
  definition: string;
  property: string;
  replacement: Record<string, unknown>;
  reason: string;
}

const anyValue = {};

export const schemaExceptions: SchemaException[] = [
  {
    schema: 'generated',
    definition: 'VariableModel',
    property: 'definition',
    replacement: { type: 'string' },
    reason:
      "Grafana writes a query variable's query text to `definition` for its variables list; the TypeScript type " +
        "lacks it (the published schema has it).",
  },
  ...(['auto', 'auto_min', 'auto_count'] as const).map((property) => ({
    schema: 'generated' as const,
    definition: 'VariableModel',
    property,
    replacement: { auto: { type: 'boolean' }, auto_min: { type: 'string' }, auto_count: { type: 'integer' } }[property],
    reason:
      'The interval-variable settings the foundation SDK writes on every variable; the published schema has them, ' +
        'the TypeScript type does not.',
  })),
  {
    schema: 'dashboard',
    definition: 'VariableModel',
    property: 'query',
    replacement: { anyOf: [{ type: 'string' }, { type: 'object' }] },
    reason:
      'A Prometheus query variable stores `{query, refId}` (strings); the published schema demands every value of ' +
        'the object be an object, where @grafana/schema types it `string | Record<string, unknown>`.',
  },
  {
    schema: 'dashboard',
    definition: 'MatcherConfig',
    property: 'options',
    replacement: anyValue,
    reason:
      'The `byName` matcher takes the field name as a string; @grafana/schema types `options` as any, the published ' +
        'schema as an object.',
  },
  {
    schema: 'dashboard',
    definition: 'DynamicConfigValue',
    property: 'value',
    replacement: anyValue,
    reason:
      'An override of `mappings` is an array; @grafana/schema types the value as any, the published schema as an ' +
        'object.',
  },
];

type JsonSchema = Record<string, unknown> & { definitions?: Record<string, { properties?: Record<string, unknown> }> };

/** The schema with the given exceptions applied (a copy; the original is untouched). */
export function withExceptions(
  schema: Record<string, unknown>,
  name: SchemaName,
  exceptions = schemaExceptions,
): Record<string, unknown> {
  const patched = structuredClone(schema) as JsonSchema;
  for (const exception of exceptions.filter((entry) => entry.schema === name)) {
    const definition = patched.definitions?.[exception.definition];
    if (!definition?.properties)
      throw new Error(`schema ${name} has no definition ${exception.definition} with properties`);
    definition.properties[exception.property] = exception.replacement;
  }
  return patched;
}
