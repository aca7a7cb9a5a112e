/**
 * A built dashboard made a preview scene: its panels laid out as Grafana opens it (collapsed rows closed) or with every
 * row open, each panel's queries run as Grafana runs them (Prometheus on a served fleet; Loki metric queries over the
 * fixture log streams) and its transformations run by @grafana/data.
 */
import type { DataFrame } from '@grafana/data';
import type { DashboardJson } from '../dashboards';
import {
  interpolate, intervalsFor, prometheusTargets, resolveVariables, runTarget, type TimeRange, type VariableValues,
} from '../fixtures/fleet/grafana';
import type { PrometheusClient, PromSeries } from '../fixtures/prometheus';
import { evaluateLogql, type TimedLokiEntry } from '../test/helpers/logql-metrics';
import { panelFrames, type TargetResult } from '../test/helpers/render/frames';
import { transform, type PanelLike } from '../test/helpers/render/panel';
import type { FrameJson, GridPos, Scene, ScenePanel } from './scene';

/** Panel types @grafana/ui 13 has no component for: drawn as a labelled placeholder, never imitated. */
export const undrawableTypes: Record<string, string> = {
  logs: "log lines: Grafana's logs panel (LogRows) is part of Grafana's app, not of @grafana/ui",
  'state-timeline': "state timeline: Grafana's TimelineChart is part of Grafana's app, not of @grafana/ui",
  piechart: "pie chart: Grafana's PieChart is part of Grafana's app, not of @grafana/ui",
  text: 'text: the preview draws no Markdown panels',
};

/** The panel types the preview draws with @grafana/ui's components. */
export const drawnTypes = ['stat', 'table', 'timeseries', 'bargauge'] as const;

interface PanelJson extends PanelLike {
  id?: number;
  gridPos?: GridPos;
  collapsed?: boolean;
  panels?: PanelJson[];
  targets?: Array<Record<string, unknown>>;
  datasource?: { type?: string } | null;
  maxDataPoints?: number;
}

export interface SceneSources {
  prometheus: PrometheusClient;
  scrapeInterval: number;
  /** Log lines a Loki would hold, with their times. */
  logs: readonly TimedLokiEntry[];
}

export interface SceneOptions {
  range: TimeRange;
  theme: 'dark' | 'light';
  /** Every row open, as if a user opened each; otherwise as Grafana opens the dashboard. */
  open: boolean;
  width: number;
  /** Variable values chosen, as a link sets them. */
  selection?: Record<string, string>;
}

/** The panels to draw and where: a collapsed row's panels below it when it is opened, later panels moved down. */
export function laidOut(dashboard: DashboardJson, open: boolean): Array<{ panel: PanelJson; gridPos: GridPos }> {
  const placed: Array<{ panel: PanelJson; gridPos: GridPos }> = [];
  let shift = 0;
  for (const panel of (dashboard.panels ?? []) as PanelJson[]) {
    const pos = panel.gridPos ?? { x: 0, y: 0, w: 24, h: 8 };
    const gridPos = { ...pos, y: pos.y + shift };
    placed.push({ panel, gridPos });
    const nested = panel.type === 'row' && panel.collapsed === true && open ? (panel.panels ?? []) : [];
    if (nested.length === 0) continue;
    const top = Math.min(...nested.map((inner) => inner.gridPos?.y ?? 0));
    const bottom = Math.max(...nested.map((inner) => (inner.gridPos?.y ?? 0) + (inner.gridPos?.h ?? 8)));
    for (const inner of nested) {
      const innerPos = inner.gridPos ?? { x: 0, y: top, w: 24, h: 8 };
      placed.push({ panel: inner, gridPos: { ...innerPos, y: gridPos.y + 1 + innerPos.y - top } });
    }
    shift += bottom - top;
  }
  return placed;
}

const frameJson = (frame: DataFrame): FrameJson => ({
  refId: frame.refId,
  name: frame.name,
  meta: frame.meta as Record<string, unknown> | undefined,
  length: frame.length,
  fields: frame.fields.map((field) => ({
    name: field.name,
    type: field.type,
    labels: field.labels,
    config: JSON.parse(JSON.stringify(field.config)) as Record<string, unknown>,
    values: [...field.values],
  })),
});

const isLoki = (panel: PanelJson, target: Record<string, unknown>) =>
  ((target.datasource as { type?: string } | undefined)?.type ?? panel.datasource?.type) === 'loki';

/** A Loki metric query evaluated at every step of the range, as Loki's query_range answers it. */
function lokiSeries(expr: string, logs: readonly TimedLokiEntry[], range: TimeRange, step: number): PromSeries[] {
  const byLabels = new Map<string, PromSeries>();
  for (let at = range.from; at <= range.to; at += step) {
    for (const sample of evaluateLogql(expr, logs, at)) {
      const key = JSON.stringify(sample.labels);
      const series = byLabels.get(key) ?? { metric: sample.labels, values: [] };
      series.values!.push([at, String(sample.value)]);
      byLabels.set(key, series);
    }
  }
  return [...byLabels.values()];
}

/** Grafana's built-in datasources: a server-side expression, and a panel showing another panel's results. */
const expressionType = '__expr__';
const dashboardDatasourceUid = '-- Dashboard --';

const operations: Record<string, (left: number, right: number) => number> = {
  '+': (left, right) => left + right,
  '-': (left, right) => left - right,
  '*': (left, right) => left * right,
  '/': (left, right) => left / right,
};

/**
 * A server-side math expression of two queries (`$B / $A`), as Grafana evaluates it: series joined on equal labels,
 * points on equal times. Any other expression is an error, so that a panel the preview cannot compute says so.
 */
export function mathExpression(expression: string, results: readonly TargetResult[], refId: string): TargetResult {
  const match = /^\s*\$(\w+)\s*([-+*/])\s*\$(\w+)\s*$/.exec(expression);
  const byRef = (ref: string) => results.find((result) => result.refId === ref);
  const [left, right] = match ? [byRef(match[1]!), byRef(match[3]!)] : [];
  if (!match || !left || !right) {
    throw new Error(`the preview computes no math expression ${JSON.stringify(expression)}`);
  }
  const operation = operations[match[2]!]!;
  const key = (series: PromSeries) => JSON.stringify(Object.entries(series.metric).sort());
  const rightSeries = new Map(right.series.map((series) => [key(series), series]));
  const series = left.series.flatMap((leftSeries): PromSeries[] => {
    const other = rightSeries.get(key(leftSeries));
    if (!other) return [];
    const rightValues = new Map((other.values ?? []).map(([at, value]) => [at, Number(value)]));
    const values = (leftSeries.values ?? [])
      .filter(([at]) => rightValues.has(at))
      .map(([at, value]): [number, string] => [at, String(operation(Number(value), rightValues.get(at)!))]);
    return [{ metric: leftSeries.metric, values }];
  });
  return { refId, expr: expression, table: false, legend: undefined, step: left.step, series };
}

/** Every panel of the dashboard by id, the panels of collapsed rows included: a reusing panel names its source. */
type PanelsById = ReadonlyMap<number, PanelJson>;

function panelsById(dashboard: DashboardJson): PanelsById {
  const all = ((dashboard.panels ?? []) as PanelJson[]).flatMap((panel) => [panel, ...(panel.panels ?? [])]);
  return new Map(all.filter((panel) => panel.id !== undefined).map((panel) => [panel.id!, panel]));
}

async function panelTargets(
  panel: PanelJson, sources: SceneSources, variables: VariableValues, range: TimeRange, panels: PanelsById,
): Promise<TargetResult[]> {
  const reused = (panel.datasource as { uid?: string } | null | undefined)?.uid === dashboardDatasourceUid;
  if (reused) {
    const sourceId = Number((panel.targets ?? [])[0]?.panelId);
    const source = panels.get(sourceId);
    if (!source || source === panel) throw new Error(`the panel it shows (id ${sourceId}) is not on the dashboard`);
    return panelTargets(source, sources, variables, range, panels);
  }
  const results: TargetResult[] = [];
  for (const target of prometheusTargets({ uid: 'panel', panels: [panel] })) {
    const run = await runTarget(sources.prometheus, target, variables, range, sources.scrapeInterval);
    const step = intervalsFor(range, target.maxDataPoints, sources.scrapeInterval, target.minInterval).interval;
    const { refId, table, legend } = target;
    results.push({ refId, expr: run.expr, table, legend, step, series: run.series });
  }
  for (const target of (panel.targets ?? []).filter((t) => isLoki(panel, t) && t.hide !== true)) {
    const maxDataPoints = panel.maxDataPoints ?? Math.round(((panel.gridPos?.w ?? 24) / 24) * 1920);
    const intervals = intervalsFor(range, maxDataPoints, sources.scrapeInterval);
    const step = intervals.interval;
    const expr = interpolate(String(target.expr), {
      ...variables.text,
      __auto: `${step}s`,
      __interval: `${step}s`,
      __range: `${intervals.range}s`,
    });
    const legend = typeof target.legendFormat === 'string' ? target.legendFormat : undefined;
    const series = lokiSeries(expr, sources.logs, range, step);
    results.push({ refId: String(target.refId ?? 'A'), expr, table: false, legend, step, series });
  }
  const expressions = (panel.targets ?? []).filter(
    (target) => (target.datasource as { type?: string } | undefined)?.type === expressionType && target.hide !== true,
  );
  for (const target of expressions) {
    results.push(mathExpression(String(target.expression), results, String(target.refId)));
  }
  return results;
}

interface Drawing {
  sources: SceneSources;
  variables: VariableValues;
  range: TimeRange;
  open: boolean;
  panels: PanelsById;
}

async function scenePanel(panel: PanelJson, gridPos: GridPos, drawing: Drawing): Promise<ScenePanel> {
  const { sources, variables, range, open, panels } = drawing;
  const base = { id: panel.id ?? 0, type: panel.type, title: panel.title ?? '', gridPos, frames: [] };
  if (panel.type === 'row') {
    const collapsed = panel.collapsed === true && !open;
    return { ...base, row: { collapsed, panels: panel.panels?.length ?? 0 } };
  }
  const own = {
    fieldConfig: panel.fieldConfig as ScenePanel['fieldConfig'],
    options: panel.options as ScenePanel['options'],
  };
  const undrawable = undrawableTypes[panel.type];
  if (undrawable || !(drawnTypes as readonly string[]).includes(panel.type)) {
    return { ...base, ...own, placeholder: { reason: undrawable ?? `${panel.type}: no component drawn here` } };
  }
  try {
    const frames = await transform(panel, panelFrames(await panelTargets(panel, sources, variables, range, panels)));
    return { ...base, ...own, frames: frames.map(frameJson) };
  } catch (error) {
    return { ...base, ...own, error: error instanceof Error ? error.message : String(error) };
  }
}

/** The variables as Grafana's header shows them: All where All is chosen, else the value. */
function shownVariables(dashboard: DashboardJson, variables: VariableValues, selection: Record<string, string>) {
  const templating = dashboard.templating as { list?: Array<Record<string, unknown>> } | undefined;
  const list = templating?.list ?? [];
  return list
    .filter((variable) => variable.type !== 'datasource' && variable.hide !== 2)
    .map((variable) => {
      const name = String(variable.name);
      const chosen = selection[name];
      const current = (variable.current as { text?: unknown } | undefined)?.text;
      const all = variable.includeAll === true && chosen === undefined;
      const saved = typeof current === 'string' ? current : '';
      const value = chosen ?? (all ? 'All' : (variables.options[name]?.[0] ?? saved));
      return { label: String(variable.label ?? name), value };
    });
}

export async function sceneOf(dashboard: DashboardJson, sources: SceneSources, options: SceneOptions): Promise<Scene> {
  const selection = options.selection ?? {};
  const variables = await resolveVariables(dashboard, sources.prometheus, options.range, selection);
  const drawing = { sources, variables, range: options.range, open: options.open, panels: panelsById(dashboard) };
  const panels: ScenePanel[] = [];
  for (const { panel, gridPos } of laidOut(dashboard, options.open)) {
    panels.push(await scenePanel(panel, gridPos, drawing));
  }
  return {
    uid: dashboard.uid,
    title: String(dashboard.title ?? dashboard.uid),
    theme: options.theme,
    timeRange: { from: options.range.from * 1000, to: options.range.to * 1000 },
    width: options.width,
    variables: shownVariables(dashboard, variables, selection),
    panels,
  };
}
