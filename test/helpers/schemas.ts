/**
 * JSON Schemas of Grafana's dashboard model: one generated from the `Dashboard` type `@grafana/schema` publishes, and
 * the draft-07 schemas Grafana publishes with its foundation SDK (test/schemas/, see SOURCES.md there).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGenerator } from 'ts-json-schema-generator';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const packageJson = (name: string) =>
  JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string };

/**
 * The raw classic-dashboard types; the veneer that `@grafana/schema` exports re-declares `DataSourceRef`, which the
 * generator refuses.
 */
export const grafanaDashboardTypes = join(
  root,
  'node_modules/@grafana/schema/dist/types/raw/dashboard/x/types.gen.d.ts',
);

/**
 * The `Dashboard` type as a JSON Schema with every object closed (`additionalProperties: false`), as Grafana's own
 * published schemas are. Generating it takes seconds, so it is cached per package version under node_modules/.cache.
 */
export function schemaFromGrafanaTypes(): Record<string, unknown> {
  const versions = [packageJson('@grafana/schema').version, packageJson('ts-json-schema-generator').version];
  const key = `grafana-schema-${versions[0]}-generator-${versions[1]}.json`;
  const cacheFile = join(root, 'node_modules/.cache/flux-dashboards', key);
  if (existsSync(cacheFile)) return JSON.parse(readFileSync(cacheFile, 'utf8')) as Record<string, unknown>;
  const schema = createGenerator({
    path: grafanaDashboardTypes,
    type: 'Dashboard',
    skipTypeCheck: true,
    expose: 'export',
    topRef: true,
    additionalProperties: false,
  }).createSchema('Dashboard') as Record<string, unknown>;
  mkdirSync(dirname(cacheFile), { recursive: true });
  writeFileSync(cacheFile, JSON.stringify(schema));
  return schema;
}

export const publishedSchemaNames = [
  'dashboard',
  'prometheus',
  'loki',
  'timeseries',
  'stat',
  'table',
  'logs',
  'state-timeline',
] as const;
export type PublishedSchemaName = (typeof publishedSchemaNames)[number];

export function publishedSchema(name: PublishedSchemaName): Record<string, unknown> {
  return JSON.parse(readFileSync(join(root, 'test/schemas', `${name}.jsonschema.json`), 'utf8')) as Record<
    string,
    unknown
  >;
}
