/**
 * Where the v2 JSON Schema, not the dashboard, is wrong: Grafana's CUE types these properties as any value (`_`), the
 * published schema as objects only. Each entry replaces one property's sub-schema, with the reason; the v2 model test
 * proves every entry is still needed, so none outlives its cause.
 */

export interface V2SchemaException {
  /** `definitions` entry and property whose sub-schema is replaced. */
  definition: string;
  property: string;
  reason: string;
}

export const v2SchemaExceptions: V2SchemaException[] = [
  {
    definition: 'MatcherConfig',
    property: 'options',
    reason: 'The `byName` matcher of an override takes the field name as a string.',
  },
  {
    definition: 'DynamicConfigValue',
    property: 'value',
    reason: 'An override sets a unit or a display name as a string, a width as a number, `mappings` as an array.',
  },
];

type JsonSchema = Record<string, unknown> & { definitions?: Record<string, { properties?: Record<string, unknown> }> };

/** The schema, rooted at its `Dashboard` (a v2 resource's spec), with the exceptions applied (a copy). */
export function v2DashboardSchema(schema: Record<string, unknown>, exceptions = v2SchemaExceptions) {
  const patched = structuredClone(schema) as JsonSchema;
  for (const exception of exceptions) {
    const definition = patched.definitions?.[exception.definition];
    if (!definition?.properties?.[exception.property]) {
      throw new Error(`the v2 schema has no property ${exception.definition}.${exception.property}`);
    }
    definition.properties[exception.property] = {};
  }
  return { ...patched, $ref: '#/definitions/Dashboard' };
}
