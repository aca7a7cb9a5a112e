/**
 * Every dashboard (the committed ones in dist/ and those of every configuration) against Grafana's dashboard model:
 * a JSON Schema generated from `@grafana/schema`'s `Dashboard` type, and the draft-07 schemas Grafana publishes with
 * its foundation SDK (whole dashboard, each Prometheus/Loki query, each panel's options and custom field config).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDashboards } from '../../dashboards';
import { runbooksDashboard } from '../../model';
import { configMatrix } from '../configs';
import { allPanels, allTargets } from '../helpers/targets';
import { publishedSchema, schemaFromGrafanaTypes } from '../helpers/schemas';
import { schemaExceptions, withExceptions, type SchemaException } from '../schemas/exceptions';

const distFolder = join(import.meta.dirname, '..', '..', 'dist', 'grafana');

const dashboards: Array<{ name: string; json: Record<string, unknown> }> = [
  ...readdirSync(distFolder)
    .filter((file) => file.endsWith('.json'))
    .map((file) => ({
      name: `dist/grafana/${file}`,
      json: JSON.parse(readFileSync(join(distFolder, file), 'utf8')) as Record<string, unknown>,
    })),
  ...configMatrix.flatMap(({ name, config }) =>
    buildDashboards(config).map((json) => ({ name: `${json.uid} (${name})`, json })),
  ),
];

const describeErrors = (errors: ErrorObject[] | null | undefined) =>
  (errors ?? [])
    .slice(0, 8)
    .map((error) => `${error.instancePath || '/'} ${error.message ?? ''} ${JSON.stringify(error.params)}`);

const newAjv = () => new Ajv({ strict: false, allErrors: true, logger: false });

function compileDashboardSchemas(exceptions: SchemaException[]) {
  return {
    generated: newAjv().compile(withExceptions(generatedSchema, 'generated', exceptions)),
    published: newAjv().compile(withExceptions(publishedSchema('dashboard'), 'dashboard', exceptions)),
  };
}

let generatedSchema: Record<string, unknown>;
let validators: { generated: ValidateFunction; published: ValidateFunction };

beforeAll(() => {
  generatedSchema = schemaFromGrafanaTypes();
  validators = compileDashboardSchemas(schemaExceptions);
});

it('has the committed dashboards to validate', () => {
  expect(dashboards.filter(({ name }) => name.startsWith('dist/')).map(({ name }) => name).sort()).toEqual([
    'dist/grafana/flux-cluster.json',
    'dist/grafana/flux-control-plane.json',
    'dist/grafana/flux-logs.json',
    'dist/grafana/flux-object.json',
    'dist/grafana/flux-runbooks.json',
  ]);
});

describe.each(dashboards)('$name', ({ json }) => {
  it('matches the schema generated from @grafana/schema\'s Dashboard type', () => {
    const valid = validators.generated(json);
    expect(describeErrors(validators.generated.errors)).toEqual([]);
    expect(valid).toBe(true);
  });

  it('matches Grafana\'s published dashboard schema', () => {
    const valid = validators.published(json);
    expect(describeErrors(validators.published.errors)).toEqual([]);
    expect(valid).toBe(true);
  });
});

describe('queries and panel options against the published schemas', () => {
  const ajv = newAjv();
  for (const name of ['prometheus', 'loki', 'timeseries', 'stat', 'table', 'logs', 'state-timeline'] as const)
    ajv.addSchema(publishedSchema(name), name);
  const queryValidators: Record<string, ValidateFunction> = {
    prometheus: ajv.getSchema('prometheus')!,
    loki: ajv.getSchema('loki')!,
  };
  const panelSchemas = ['timeseries', 'stat', 'table', 'logs', 'state-timeline'];
  const definition = (panelType: string, name: 'Options' | 'FieldConfig') => {
    const schema = publishedSchema(panelType as 'timeseries');
    return (schema.definitions as Record<string, unknown>)[name]
      ? ajv.getSchema(`${panelType}#/definitions/${name}`)
      : undefined;
  };

  // The runbooks dashboard holds text panels only: no queries, and no text panel schema here.
  const withQueries = dashboards.filter(({ json }) => json.uid !== runbooksDashboard.uid);
  describe.each(withQueries)('$name', ({ json }) => {
    it('has every target valid for its datasource\'s query schema', () => {
      const targets = allTargets(json);
      expect(targets.length).toBeGreaterThan(0);
      // Grafana's built-in datasources publish no query schema: another panel's id, or a math expression.
      const builtInQueries: Record<string, (target: Record<string, unknown>) => boolean> = {
        datasource: (target) => Number.isInteger(target.panelId),
        __expr__: (target) => target.type === 'math' && typeof target.expression === 'string',
      };
      for (const { panel, target } of targets) {
        const builtIn = builtInQueries[panel.datasourceType ?? ''];
        if (builtIn) {
          expect(builtIn(target), `${panel.title} ${String(target.refId)}`).toBe(true);
          continue;
        }
        const validate = queryValidators[panel.datasourceType ?? ''];
        expect(validate, `${panel.title}: no query schema for ${panel.datasourceType}`).toBeDefined();
        validate!(target);
        expect(describeErrors(validate!.errors), `${panel.title} ${String(target.refId)}`).toEqual([]);
      }
    });

    it('has every panel\'s options and custom field config valid for its panel type', () => {
      for (const panel of allPanels(json).filter((p) => p.type !== 'row')) {
        const type = String(panel.type);
        expect(panelSchemas, `${String(panel.title)} is a ${type} panel, which has no published schema here`).toContain(
          type,
        );
        const options = definition(type, 'Options')!;
        options((panel as { options?: unknown }).options ?? {});
        expect(describeErrors(options.errors), `${String(panel.title)} options`).toEqual([]);
        const custom = (panel as { fieldConfig?: { defaults?: { custom?: unknown } } }).fieldConfig?.defaults?.custom;
        const fieldConfig = definition(type, 'FieldConfig');
        if (fieldConfig && custom !== undefined) {
          fieldConfig(custom);
          expect(describeErrors(fieldConfig.errors), `${String(panel.title)} fieldConfig.defaults.custom`).toEqual([]);
        }
      }
    });
  });
});

describe('the schemas', () => {
  const [first] = dashboards;

  it.each(
    schemaExceptions.map((exception) => ({
      exception,
      name: `${exception.schema} ${exception.definition}.${exception.property}`,
    })),
  )('still need the exception for $name', ({ exception }) => {
    const without = compileDashboardSchemas(schemaExceptions.filter((entry) => entry !== exception));
    const validate = exception.schema === 'generated' ? without.generated : without.published;
    expect(dashboards.some(({ json }) => !validate(json))).toBe(true);
  });

  // Each breakage on its own: together, one schema catching either would pass.
  type Panels = Array<Record<string, unknown>>;
  it.each([
    { what: 'an unknown panel property', breakIt: (panels: Panels) => (panels[1]!.colour = 'red') },
    {
      what: 'a mistyped grid position',
      breakIt: (panels: Panels) => (panels[0]!.gridPos = { x: 0, y: 0, w: 'wide', h: 4 }),
    },
  ])('reject a dashboard with $what', ({ breakIt }) => {
    const broken = structuredClone(first!.json) as { panels: Array<Record<string, unknown>> };
    breakIt(broken.panels);
    expect(validators.generated(broken)).toBe(false);
    expect(validators.published(broken)).toBe(false);
  });

  it('reject a dashboard without schemaVersion', () => {
    const broken = structuredClone(first!.json);
    delete broken.schemaVersion;
    expect(validators.generated(broken)).toBe(false);
    expect(validators.published(broken)).toBe(false);
  });
});
