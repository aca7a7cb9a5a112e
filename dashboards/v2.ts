/**
 * The dashboards in Grafana's v2 model (`dashboard.grafana.app/v2`), made from the same `DashboardSpec` as the
 * classic JSON: each panel, variable, annotation and link the spec's builders make is carried over field by field
 * with the foundation SDK's `dashboardv2` builders; rows become a rows layout of grids.
 */
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as dashboardv2 from '@grafana/grafana-foundation-sdk/dashboardv2';
import type { Config } from '../config';
import { dashboardResourceKind, dashboardV2ApiVersion, folderAnnotation, grafanaFolderUid } from '../model';
import { kubernetesObject } from '../output';
import { dashboardParts, type DashboardSpec } from './defaults';
import { cellIdsOf, positions, type Row } from './layout';

/** A v2 dashboard as Grafana's resource APIs, Git Sync and grafana-operator's GrafanaManifest take it. */
export interface DashboardV2Resource {
  apiVersion: typeof dashboardV2ApiVersion;
  kind: typeof dashboardResourceKind;
  metadata: { name: string; annotations?: Record<string, string>; labels?: Record<string, string> };
  spec: dashboardv2.Dashboard;
}

/** An SDK object that is already built, where a `dashboardv2` setter takes a builder. */
const built = <T>(value: T): cog.Builder<T> => ({ build: () => value });

/** Plain JSON: the SDK's built objects may carry functions or undefined fields. */
const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

type DatasourceRef = { type?: string; uid?: string } | undefined;

/** A classic query (panel target, variable or annotation query) as a v2 data query of its datasource's type. */
function dataQuery(datasource: DatasourceRef, spec: Record<string, unknown>): dashboardv2.DataQueryKind {
  if (!datasource?.type) {
    throw new Error(`a query without a datasource type cannot become a v2 query: ${JSON.stringify(spec)}`);
  }
  return {
    kind: 'DataQuery',
    group: datasource.type,
    version: 'v0',
    ...(datasource.uid === undefined ? {} : { datasource: { name: datasource.uid } }),
    spec,
  };
}

/** The classic panel fields `v2Panel` carries; any other field stops the build rather than vanish from v2. */
const carriedPanelFields = new Set([
  'type', 'title', 'description', 'id', 'gridPos', 'datasource', 'targets', 'fieldConfig', 'options', 'transformations',
  'interval', 'maxDataPoints', 'timeFrom', 'timeShift', 'hideTimeOverride', 'cacheTimeout', 'queryCachingTTL', 'links',
  'transparent', 'pluginVersion',
  // The SDK's default for repeated panels; no Flux panel repeats.
  'repeatDirection',
]);

function queryOptions(panel: dashboard.Panel): dashboardv2.QueryOptionsSpecBuilder {
  const options = new dashboardv2.QueryOptionsSpecBuilder();
  if (panel.interval !== undefined) options.interval(panel.interval);
  if (panel.maxDataPoints !== undefined) options.maxDataPoints(panel.maxDataPoints);
  if (panel.timeFrom !== undefined) options.timeFrom(panel.timeFrom);
  if (panel.timeShift !== undefined) options.timeShift(panel.timeShift);
  if (panel.hideTimeOverride !== undefined) options.hideTimeOverride(panel.hideTimeOverride);
  if (panel.cacheTimeout !== undefined) options.cacheTimeout(panel.cacheTimeout);
  if (panel.queryCachingTTL !== undefined) options.queryCachingTTL(panel.queryCachingTTL);
  return options;
}

/** One classic panel (as its builder makes it) as a v2 panel element with the same id. */
export function v2Panel(panel: dashboard.Panel, id: number): dashboardv2.PanelBuilder {
  const unknown = Object.keys(panel).filter((field) => !carriedPanelFields.has(field));
  if (panel.repeat !== undefined || unknown.length > 0) {
    const fields = [...unknown, ...(panel.repeat === undefined ? [] : ['repeat'])].join(', ');
    const where = 'map them in dashboards/v2.ts';
    throw new Error(`panel "${panel.title}" has fields the v2 model does not carry yet (${fields}): ${where}`);
  }
  const targets = plain(panel.targets ?? []) as unknown as Array<Record<string, unknown>>;
  const queries = targets.map((target) => {
    type Target = { refId: string; hide?: boolean; datasource?: DatasourceRef };
    const { refId, hide, datasource, ...spec } = target as Target;
    return new dashboardv2.TargetBuilder()
      .query(built(dataQuery(datasource ?? (panel.datasource as DatasourceRef), spec)))
      .refId(refId)
      .hidden(hide ?? false);
  });
  const transformations = (panel.transformations ?? []).map((transformation) => {
    const builder = new dashboardv2.TransformationBuilder().group(transformation.id).options(transformation.options);
    if (transformation.disabled !== undefined) builder.disabled(transformation.disabled);
    if (transformation.filter !== undefined) builder.filter(transformation.filter);
    if (transformation.topic !== undefined) builder.topic(transformation.topic as unknown as dashboardv2.DataTopic);
    return builder;
  });
  const visualization = new dashboardv2.VizConfigKindBuilder()
    .group(panel.type)
    .version(panel.pluginVersion ?? '')
    .options(panel.options ?? {})
    .fieldConfig((panel.fieldConfig ?? { defaults: {}, overrides: [] }) as dashboardv2.FieldConfigSource);
  const element = new dashboardv2.PanelBuilder()
    .id(id)
    .title(panel.title ?? '')
    .links((panel.links ?? []).map(({ title, url, targetBlank }) => built({ title, url: url ?? '', targetBlank })))
    .data(
      new dashboardv2.QueryGroupBuilder()
        .targets(queries)
        .transformations(transformations)
        .queryOptions(queryOptions(panel)),
    )
    .visualization(visualization);
  if (panel.description !== undefined) element.description(panel.description);
  if (panel.transparent !== undefined) element.transparent(panel.transparent);
  return element;
}

const variableHide: Record<number, dashboardv2.VariableHide> = {
  0: dashboardv2.VariableHide.DontHide,
  1: dashboardv2.VariableHide.HideLabel,
  2: dashboardv2.VariableHide.HideVariable,
};
const variableRefresh: Record<number, dashboardv2.VariableRefresh> = {
  0: dashboardv2.VariableRefresh.Never,
  1: dashboardv2.VariableRefresh.OnDashboardLoad,
  2: dashboardv2.VariableRefresh.OnTimeRangeChanged,
};
const variableSort: Record<number, dashboardv2.VariableSort> = {
  0: dashboardv2.VariableSort.Disabled,
  1: dashboardv2.VariableSort.AlphabeticalAsc,
  2: dashboardv2.VariableSort.AlphabeticalDesc,
  3: dashboardv2.VariableSort.NumericalAsc,
  4: dashboardv2.VariableSort.NumericalDesc,
  5: dashboardv2.VariableSort.AlphabeticalCaseInsensitiveAsc,
  6: dashboardv2.VariableSort.AlphabeticalCaseInsensitiveDesc,
  7: dashboardv2.VariableSort.NaturalAsc,
  8: dashboardv2.VariableSort.NaturalDesc,
};

const emptyOption: dashboardv2.VariableOption = { text: '', value: '' };
const optionOf = (current: dashboard.VariableOption | undefined): dashboardv2.VariableOption =>
  current ? { ...current, text: current.text, value: current.value } : emptyOption;

const stringOf = (value: unknown): string => (typeof value === 'string' ? value : '');

/** One classic variable as its v2 kind: datasource, query, custom or text box. */
export function v2Variable(variable: dashboard.VariableModel): cog.Builder<dashboardv2.VariableKind> {
  const hide = variableHide[variable.hide ?? 0]!;
  const common = <B extends { label(label: string): B; description(text: string): B }>(builder: B): B => {
    if (variable.label !== undefined) builder.label(variable.label);
    if (variable.description !== undefined && variable.description !== null) builder.description(variable.description);
    return builder;
  };
  const multiple = <B extends { multi(on: boolean): B; includeAll(on: boolean): B; allValue(value: string): B }>(
    builder: B,
  ): B => {
    builder.multi(variable.multi ?? false).includeAll(variable.includeAll ?? false);
    if (variable.allValue !== undefined) builder.allValue(variable.allValue);
    return builder;
  };
  switch (variable.type) {
    case 'datasource':
      return multiple(common(new dashboardv2.DatasourceVariableBuilder(variable.name)))
        .pluginId(stringOf(variable.query))
        .regex(variable.regex ?? '')
        .current(optionOf(variable.current))
        .hide(hide)
        .skipUrlSync(variable.skipUrlSync ?? false)
        .allowCustomValue(variable.allowCustomValue ?? true);
    case 'query': {
      const query = typeof variable.query === 'string' ? { query: variable.query } : { ...variable.query };
      const builder = multiple(common(new dashboardv2.QueryVariableBuilder(variable.name)))
        .query(built(dataQuery(variable.datasource as DatasourceRef, query)))
        .regex(variable.regex ?? '')
        .refresh(variableRefresh[variable.refresh ?? 0]!)
        .sort(variableSort[variable.sort ?? 0]!)
        .current(optionOf(variable.current))
        .hide(hide)
        .skipUrlSync(variable.skipUrlSync ?? false)
        .allowCustomValue(variable.allowCustomValue ?? true);
      if (variable.definition !== undefined) builder.definition(variable.definition);
      return builder;
    }
    case 'custom':
      return multiple(common(new dashboardv2.CustomVariableBuilder(variable.name)))
        .query(stringOf(variable.query))
        .current(optionOf(variable.current))
        .hide(hide)
        .skipUrlSync(variable.skipUrlSync ?? false)
        .allowCustomValue(variable.allowCustomValue ?? true);
    case 'textbox':
      return common(new dashboardv2.TextVariableBuilder(variable.name))
        .query(stringOf(variable.query))
        .current(optionOf(variable.current))
        .hide(hide)
        .skipUrlSync(variable.skipUrlSync ?? false);
    default:
      throw new Error(`variable ${variable.name} is of type ${variable.type}, which dashboards/v2.ts does not map yet`);
  }
}

/**
 * One classic annotation query as a v2 one: the target becomes the query. Grafana's built-in annotations (`type:
 * dashboard`) are `builtIn` in v2; other classic-only fields have no v2 place and stop the build.
 */
export function v2Annotation(annotation: dashboard.AnnotationQuery): dashboardv2.AnnotationQueryBuilder {
  if (annotation.type !== undefined && !(annotation.builtIn && annotation.type === 'dashboard')) {
    throw new Error(`annotation "${annotation.name}" has type ${annotation.type}, which dashboards/v2.ts does not map`);
  }
  const spec = plain(annotation.target ?? {}) as Record<string, unknown>;
  const builder = new dashboardv2.AnnotationQueryBuilder()
    .name(annotation.name)
    .query(built(dataQuery(annotation.datasource as DatasourceRef, spec)))
    .enable(annotation.enable)
    .hide(annotation.hide ?? false)
    .iconColor(annotation.iconColor)
    .builtIn(Boolean(annotation.builtIn));
  if (annotation.placement) builder.placement(annotation.placement as unknown as dashboardv2.AnnotationQueryPlacement);
  return builder;
}

export function v2Link(link: dashboard.DashboardLink): dashboardv2.DashboardLinkBuilder {
  const builder = new dashboardv2.DashboardLinkBuilder()
    .title(link.title)
    .type(link.type as unknown as dashboardv2.DashboardLinkType)
    .icon(link.icon)
    .tooltip(link.tooltip)
    .tags(link.tags)
    .asDropdown(link.asDropdown)
    .targetBlank(link.targetBlank)
    .includeVars(link.includeVars)
    .keepTime(link.keepTime);
  if (link.url !== undefined) builder.url(link.url);
  if (link.placement) builder.placement(link.placement as unknown as dashboardv2.DashboardLinkPlacement);
  return builder;
}

/** The element name of a panel, as Grafana names the panels it converts. */
export const elementName = (id: number) => `panel-${id}`;

/** A row's cells as a grid of element references, from its own top. */
function rowGrid(row: Row, ids: number[]): dashboardv2.GridBuilder {
  const { placed } = positions(row.cells, 0);
  return new dashboardv2.GridBuilder().items(
    placed.map(({ x, y, w, h }, index) =>
      new dashboardv2.GridItemBuilder().name(elementName(ids[index]!)).x(x).y(y).width(w).height(h),
    ),
  );
}

/** Shown only while one of its panels returns data. */
const whileDataIsReturned = () =>
  new dashboardv2.ConditionalRenderingGroupBuilder()
    .visibility('show')
    .condition('and')
    .items([new dashboardv2.ConditionalRenderingDataBuilder().value(true)]);

/** A rows layout of the rows: a row without a title has its header hidden, a collapsed row stays collapsed. */
function rowsLayout(rows: Row[], cellIds: number[][]) {
  return new dashboardv2.RowsBuilder().rows(
    rows.map((row, index) => {
      const v2Row = new dashboardv2.RowBuilder().layout(rowGrid(row, cellIds[index]!)).collapse(row.collapsed ?? false);
      if (row.title) v2Row.title(row.title);
      else v2Row.hideHeader(true);
      if (row.onlyWithData) v2Row.conditionalRendering(whileDataIsReturned());
      return v2Row;
    }),
  );
}

/** About what one screen shows of a dashboard, in grid units (30 px each, with their margins, on a 1080p screen). */
export const screenHeight = 24;
export const overviewTab = 'Overview';

/** The height of the rows with every collapsed one closed: what must fit on a screen for every row title to show. */
function closedHeight(rows: Row[]): number {
  return rows.reduce((height, row) => {
    const header = row.title ? 1 : 0;
    return height + header + (row.collapsed ? 0 : positions(row.cells, 0).bottom);
  }, 0);
}

/**
 * The rows as laid out in v2. Rows whose titles do not all fit on one screen become tabs, so that every part of the
 * dashboard is one click away instead of below the fold: the open rows on the first tab, each collapsed row on a tab
 * of its own (queried, like a collapsed row, only once chosen). Otherwise a rows layout; a dashboard of one untitled
 * row is a plain grid.
 */
export function v2Layout(rows: Row[], cellIds: number[][]) {
  const only = rows[0];
  if (rows.length === 1 && only && !only.title && !only.onlyWithData) return rowGrid(only, cellIds[0]!);
  const collapsed = rows.filter((row) => row.collapsed);
  if (collapsed.length === 0 || closedHeight(rows) <= screenHeight) return rowsLayout(rows, cellIds);
  const open = rows.filter((row) => !row.collapsed);
  const idsOf = (row: Row) => cellIds[rows.indexOf(row)]!;
  const tabs = collapsed.map((row) => {
    const tab = new dashboardv2.TabBuilder().title(row.title!).layout(rowGrid(row, idsOf(row)));
    return row.onlyWithData ? tab.conditionalRendering(whileDataIsReturned()) : tab;
  });
  const overview = new dashboardv2.TabBuilder().title(overviewTab).layout(rowsLayout(open, open.map(idsOf)));
  return new dashboardv2.TabsBuilder().tabs([overview, ...tabs]);
}

/** The dashboard spec in the v2 model: the same parts and panels as the classic one, laid out as rows. */
export function dashboardV2(config: Config, spec: DashboardSpec): dashboardv2.Dashboard {
  const parts = dashboardParts(config, spec);
  const cellIds = cellIdsOf(spec.rows);
  const builder = new dashboardv2.DashboardBuilder(parts.identity.title)
    .description(parts.description)
    .tags(parts.tags)
    .editable(true)
    .cursorSync(dashboardv2.DashboardCursorSync.Crosshair)
    .timeSettings(
      new dashboardv2.TimeSettingsBuilder()
        .from(parts.time.from)
        .to(parts.time.to)
        .autoRefresh(parts.refresh)
        .timezone(parts.timezone),
    )
    .annotations(parts.annotations.map((annotation) => v2Annotation(annotation.build())))
    .links(parts.links.map((link) => v2Link(link.build())))
    .variables(parts.variables.map((variable) => v2Variable(variable.build())));
  spec.rows.forEach((row, index) => {
    row.cells.forEach(({ panel }, cellIndex) => {
      const id = cellIds[index]![cellIndex]!;
      builder.element(elementName(id), v2Panel(panel.build(), id));
    });
  });
  return plain(builder.layout(v2Layout(spec.rows, cellIds)).build());
}

/** The dashboard's folder as Grafana's resources name it: the uid of the folder titled `packaging.folder`. */
export const dashboardFolderUid = (config: Config) => grafanaFolderUid(config.packaging.folder);

/**
 * The spec as a v2 resource named by its uid, filed in the configuration's folder, with the build's ownership labels
 * (which also tell a dashboard of ours from another one with the same uid).
 */
export function dashboardV2Resource(config: Config, spec: DashboardSpec): DashboardV2Resource {
  const annotations = { [folderAnnotation]: dashboardFolderUid(config) };
  return kubernetesObject('Dashboard', { name: spec.identity.uid, component: 'dashboard', annotations }, {
    spec: dashboardV2(config, spec),
  });
}
