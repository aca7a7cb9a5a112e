/**
 * The v2 dashboards: every one of every configuration of the test matrix is valid against the v2 JSON Schema the
 * foundation SDK publishes, and carries the same panels, queries, options, variables, links, annotations, time and
 * rows as the classic dashboard made from the same spec.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import type { Config } from '../../../config';
import {
  cellIdsOf, classicRows, dashboardSpecs, dashboardV2Resources, finishDashboard, type DashboardJson, type PanelJson,
  type Row,
} from '../../../dashboards';
import { positions } from '../../../dashboards/layout';
import { screenHeight } from '../../../dashboards/v2';
import { laidOutRows } from './layout';
import { dashboardV2ApiVersion, folderAnnotation, grafanaFolderUid } from '../../../model';
import { configMatrix } from '../../configs';
import { v2DashboardSchema, v2SchemaExceptions } from '../../schemas/dashboardv2-exceptions';

type Json = Record<string, unknown>;
type V2Spec = {
  elements: Record<string, { kind: string; spec: Json & { id: number; data: { spec: Json }; vizConfig: Json } }>;
  layout: { kind: string; spec: Json };
  variables: Array<{ kind: string; spec: Json }>;
  annotations: Array<{ spec: Json }>;
  links: Json[];
  timeSettings: Json;
  cursorSync: string;
  title: string;
  description: string;
  tags: string[];
};

const schema = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../schemas/dashboardv2.jsonschema.json'), 'utf8'),
) as { definitions: Json };
const newAjv = () => new Ajv({ strict: false, allErrors: true, logger: false });
const validateSpec = newAjv().compile(v2DashboardSchema(schema));

/** Both models of every dashboard of the configuration, from the same specs. */
function bothModels(config: Config) {
  const specs = dashboardSpecs(config);
  const resources = dashboardV2Resources(config);
  return specs.map((spec, index) => ({
    spec,
    classic: finishDashboard(config, spec),
    resource: resources[index]!,
    v2: resources[index]!.spec as unknown as V2Spec,
  }));
}

/** Every classic panel but row headers, nested rows' panels included. */
function classicPanels(dashboard: DashboardJson): PanelJson[] {
  return dashboard.panels.flatMap((panel) => (panel.type === 'row' ? panel.panels ?? [] : [panel]));
}

/** A classic query as v2 holds it: the datasource apart, the rest as the query's spec. */
function classicQuery(target: Json, panel: PanelJson) {
  const { refId, hide, datasource, ...spec } = target as Json & { datasource?: { type: string; uid: string } };
  const source = datasource ?? (panel.datasource as { type: string; uid: string });
  return { refId, hidden: hide ?? false, group: source.type, datasource: source.uid, spec };
}

function v2Query(query: { spec: Json }) {
  const { refId, hidden, query: data } = query.spec as { refId: string; hidden: boolean; query: Json };
  const { group, datasource, spec } = data as { group: string; datasource: { name: string }; spec: Json };
  return { refId, hidden, group, datasource: datasource.name, spec };
}

describe.each(configMatrix)('v2 dashboards: $name', ({ config }) => {
  const models = bothModels(config);

  it('one v2 resource per spec, named by its uid and filed in the configuration\'s folder', () => {
    expect(models.map(({ resource }) => resource.metadata.name)).toEqual(
      models.map(({ spec }) => spec.identity.uid),
    );
    for (const { resource } of models) {
      expect(resource.apiVersion).toBe(dashboardV2ApiVersion);
      expect(resource.kind).toBe('Dashboard');
      expect(resource.metadata.annotations?.[folderAnnotation]).toBe(grafanaFolderUid(config.packaging.folder));
    }
  });

  it.each(models.map((model) => [model.spec.identity.uid, model] as const))(
    '%s is valid against the v2 JSON Schema',
    (_uid, { v2 }) => {
      const valid = validateSpec(v2);
      expect(validateSpec.errors ?? [], JSON.stringify(validateSpec.errors?.slice(0, 3))).toEqual([]);
      expect(valid).toBe(true);
    },
  );

  it.each(models.map((model) => [model.spec.identity.uid, model] as const))(
    '%s carries the classic panels field by field: queries, options, field config, transformations',
    (_uid, { classic, v2, spec }) => {
      const panels = classicPanels(classic);
      const inClassic = new Set(classicRows(spec.rows));
      const v2Only = spec.rows.flatMap((row, index) => (inClassic.has(row) ? [] : cellIdsOf(spec.rows)[index]!));
      expect(Object.keys(v2.elements).length).toBe(panels.length + v2Only.length);
      for (const panel of panels) {
        const element = v2.elements[`panel-${panel.id}`];
        expect(element, `panel ${panel.id} ${String(panel.title)}`).toBeDefined();
        const { spec: v2Panel } = element!;
        expect(v2Panel.id).toBe(panel.id);
        expect(v2Panel.title).toBe(panel.title);
        expect(v2Panel.description).toBe(panel.description);
        expect(v2Panel.vizConfig.group).toBe(panel.type);
        const viz = v2Panel.vizConfig.spec as Json;
        expect(viz.options).toEqual(panel.options ?? {});
        expect(viz.fieldConfig).toEqual(panel.fieldConfig ?? { defaults: {}, overrides: [] });
        type QueryGroup = { queries: Array<{ spec: Json }>; transformations: Json[]; queryOptions: Json };
        const data = v2Panel.data.spec as QueryGroup;
        expect(data.queries.map(v2Query)).toEqual((panel.targets ?? []).map((target) => classicQuery(target, panel)));
        const transformations = (panel.transformations ?? []) as Array<{ id: string; options: unknown }>;
        expect(data.transformations.map((t) => [t.group, (t.spec as Json).options])).toEqual(
          transformations.map((t) => [t.id, t.options]),
        );
        expect(data.queryOptions.interval).toBe(panel.interval);
      }
    },
  );

  it.each(models.map((model) => [model.spec.identity.uid, model] as const))(
    '%s has the classic variables, annotations, links and time settings',
    (_uid, { classic, v2 }) => {
      expect([v2.title, v2.description, v2.tags]).toEqual([classic.title, classic.description, classic.tags]);
      expect(v2.cursorSync).toBe('Crosshair');
      expect(classic.graphTooltip).toBe(1);
      const time = classic.time as { from: string; to: string };
      expect(v2.timeSettings).toMatchObject({
        from: time.from, to: time.to, autoRefresh: classic.refresh, timezone: classic.timezone,
      });
      const variables = (classic.templating as { list: Json[] }).list;
      const v2Variables = v2.variables.map(({ spec }) => [
        spec.name, spec.label, spec.current, spec.multi, spec.includeAll,
      ]);
      expect(v2Variables).toEqual(
        // v2 requires a current value: an empty one where the classic variable preselects nothing.
        variables.map((v) => [v.name, v.label, v.current ?? { text: '', value: '' },
          v.type === 'textbox' ? undefined : v.multi, v.type === 'textbox' ? undefined : v.includeAll]),
      );
      const kinds = {
        datasource: 'DatasourceVariable', query: 'QueryVariable', custom: 'CustomVariable', textbox: 'TextVariable',
      };
      expect(v2.variables.map(({ kind }) => kind)).toEqual(variables.map((v) => kinds[v.type as keyof typeof kinds]));
      for (const [index, variable] of variables.entries()) {
        const spec = v2.variables[index]!.spec;
        if (variable.type === 'query') {
          const query = spec.query as { group: string; datasource: { name: string }; spec: Json };
          expect(query.spec).toEqual(variable.query);
          expect(query.datasource.name).toBe((variable.datasource as { uid: string }).uid);
          expect(spec.definition).toBe(variable.definition);
          expect(spec.allValue).toBe(variable.allValue);
        } else if (variable.type === 'datasource') expect(spec.pluginId).toBe(variable.query);
        else expect(spec.query).toBe(variable.query);
      }
      const annotations = (classic.annotations as { list: Json[] }).list;
      expect(v2.annotations.map(({ spec }) => [spec.name, spec.enable, spec.hide, spec.iconColor])).toEqual(
        annotations.map((a) => [a.name, a.enable, a.hide, a.iconColor]),
      );
      expect(v2.annotations.map(({ spec }) => (spec.query as { spec: Json }).spec)).toEqual(
        annotations.map((a) => a.target ?? {}),
      );
      const fields = [
        'title', 'type', 'url', 'icon', 'tooltip', 'keepTime', 'includeVars', 'targetBlank', 'asDropdown',
      ];
      const pick = (link: Json) => Object.fromEntries(fields.map((field) => [field, link[field]]));
      expect(v2.links.map(pick)).toEqual((classic.links as Json[]).map(pick));
    },
  );

  it.each(models.map((model) => [model.spec.identity.uid, model] as const))(
    '%s lays the classic rows out in v2: titles, collapsed ones collapsed or on tabs, panels at the same places',
    (_uid, { classic, v2, spec }) => {
      const rows = laidOutRows(v2.layout as never);
      expect(rows.length).toBe(spec.rows.length);
      const headers = classic.panels.filter((panel) => panel.type === 'row').map((row) => [row.title, row.collapsed]);
      const inClassic = rows.filter(
        (row) => !row.conditionalRendering || headers.some(([title]) => title === row.title),
      );
      const titled = inClassic.filter((row) => !row.hideHeader).map((row) => [row.title, row.collapsed]);
      expect(titled.sort()).toEqual(headers.sort());
      const gridPos = (panel: PanelJson) => panel.gridPos as { x: number; y: number; w: number; h: number };
      for (const row of rows) {
        const byName = (name: string) => classicPanels(classic).find((panel) => `panel-${panel.id}` === name);
        const panels = row.items.map((item) => byName(item.element.name));
        if (panels.some((panel) => panel === undefined)) continue;
        const top = Math.min(...panels.map((panel) => gridPos(panel!).y));
        for (const [index, item] of row.items.entries()) {
          const { x, y, w, h } = gridPos(panels[index]!);
          expect([item.x, item.y, item.width, item.height]).toEqual([x, y - top, w, h]);
        }
      }
    },
  );

  it.each(models.map((model) => [model.spec.identity.uid, model] as const))(
    '%s has tabs only where its rows, collapsed ones closed, are taller than a screen',
    (_uid, { v2, spec }) => {
      const open = spec.rows.filter((row) => !row.collapsed);
      const bottoms = classicPanelsBottom(spec.rows);
      const closedHeight = bottoms + spec.rows.filter((row) => row.title).length;
      const tabs = v2.layout.kind === 'TabsLayout';
      expect(tabs).toBe(open.length < spec.rows.length && closedHeight > screenHeight);
    },
  );
});

/** The height of the open rows' panels, each row placed from its own top. */
function classicPanelsBottom(rows: Row[]): number {
  return rows
    .filter((row) => !row.collapsed)
    .reduce((height, row) => height + Math.max(0, ...positions(row.cells, 0).placed.map(({ y, h }) => y + h)), 0);
}

describe('the v2 schema exceptions', () => {
  it.each(v2SchemaExceptions.map((exception) => [`${exception.definition}.${exception.property}`, exception] as const))(
    '%s is still needed: without it some dashboard of the matrix fails',
    (_name, exception) => {
      const validate = newAjv().compile(v2DashboardSchema(schema, v2SchemaExceptions.filter((e) => e !== exception)));
      const failing = configMatrix.some(({ config }) =>
        dashboardV2Resources(config).some((resource) => !validate(resource.spec)));
      expect(failing).toBe(true);
    },
  );
});

describe('the Flux Operator row', () => {
  const operatorRow = (config: Config) => {
    const cluster = bothModels(config).find(({ spec }) => spec.identity.uid === 'flux-cluster')!;
    const rows = laidOutRows(cluster.v2.layout as never);
    return {
      v2: rows.find((row) => row.title === 'Flux Operator'),
      classic: cluster.classic.panels.find((panel) => panel.type === 'row' && panel.title === 'Flux Operator'),
    };
  };
  const byFlavor = (flavor: string) => configMatrix.filter(({ config }) => config.flavor === flavor);

  it.each(configMatrix.map(({ name, config }) => [name, config] as const))(
    'is in the v2 dashboard, shown only while its panels return data (%s)',
    (_name, config) => {
      expect(operatorRow(config).v2?.conditionalRendering).toEqual({
        kind: 'ConditionalRenderingGroup',
        spec: {
          visibility: 'show',
          condition: 'and',
          items: [{ kind: 'ConditionalRenderingData', spec: { value: true } }],
        },
      });
    },
  );

  it('is in the classic dashboard in the flux-operator flavour only, which cannot hide it', () => {
    expect(byFlavor('flux-operator').length).toBeGreaterThan(0);
    for (const { config } of byFlavor('flux-operator')) expect(operatorRow(config).classic).toBeDefined();
    for (const { config } of configMatrix.filter(({ config }) => config.flavor !== 'flux-operator')) {
      expect(operatorRow(config).classic).toBeUndefined();
    }
  });
});
