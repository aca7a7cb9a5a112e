/**
 * Generates config/config.schema.json from the `ConfigInput` type: `npm run config-schema` (then `npm run docs`
 * rewrites the options table of docs/configuration.md from it).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createGenerator } from 'ts-json-schema-generator';

export const schemaPath = fileURLToPath(new URL('./config.schema.json', import.meta.url));

export function generateConfigSchema(): string {
  const schema = createGenerator({
    path: fileURLToPath(new URL('./index.ts', import.meta.url)),
    tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)),
    type: 'ConfigInput',
    additionalProperties: false,
    skipTypeCheck: true,
  }).createSchema('ConfigInput');
  return `${JSON.stringify(schema, null, 2)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(schemaPath, generateConfigSchema());
  console.log(`wrote ${schemaPath}; run \`npm run docs\` for the options table of docs/configuration.md`);
}
