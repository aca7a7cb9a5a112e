/** Draws one panel of a dashboard against a Prometheus: its targets run as Grafana runs them, then rendered. */
import type { DataFrame } from '@grafana/data';
import type { PrometheusClient } from '../../../fixtures/prometheus';
import {
  intervalsFor,
  prometheusTargets,
  runTarget,
  type TimeRange,
  type VariableValues,
} from '../../../fixtures/fleet/grafana';
import type { TargetResult } from './frames';
import { panelFrames } from './frames';
import {
  applyFieldConfig,
  statView,
  tableView,
  transform,
  type PanelLike,
  type StatView,
  type TableView,
} from './panel';

export interface Drawing {
  /** The frames as the datasource hands them to the panel. */
  frames: DataFrame[];
  /** After the panel's transformations. */
  transformed: DataFrame[];
  table?: TableView;
  stat?: StatView;
}

export interface DrawContext {
  prometheus: PrometheusClient;
  variables: VariableValues;
  range: TimeRange;
  scrapeInterval: number;
}

/** Runs the panel's Prometheus targets and renders what its table or stat shows. */
export async function drawPanel(panel: PanelLike & { targets?: unknown[] }, context: DrawContext): Promise<Drawing> {
  const results: TargetResult[] = [];
  for (const target of prometheusTargets({ uid: 'panel', panels: [panel] })) {
    const run = await runTarget(context.prometheus, target, context.variables, context.range, context.scrapeInterval);
    const step = intervalsFor(context.range, target.maxDataPoints, context.scrapeInterval, target.minInterval).interval;
    results.push({
      refId: target.refId,
      expr: run.expr,
      table: target.table,
      legend: target.legend,
      step,
      series: run.series,
    });
  }
  const frames = panelFrames(results);
  const transformed = await transform(panel, frames);
  const shown = applyFieldConfig(panel, transformed);
  return panel.type === 'table'
    ? { frames, transformed, table: tableView(panel, shown) }
    : { frames, transformed, stat: statView(panel, shown) };
}
