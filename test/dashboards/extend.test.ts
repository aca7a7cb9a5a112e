/**
 * Extending a shipped dashboard through the package's entry points, as a user would: a new table is one query and
 * one line in the dashboard's data, and its columns (order, titles, hidden ones) come from the query's labels.
 */
import { describe, expect, it } from 'vitest';
import { resolveConfig, type ConfigInput } from 'flux-dashboards/config';
import { cell, clusterDashboard, finishDashboard, type PanelJson } from 'flux-dashboards/dashboards';
import { tablePanel } from 'flux-dashboards/panels';
import { dashboardScope, objects } from 'flux-dashboards/queries';
import { allPanels } from '../helpers/targets';

const title = 'Objects in progress';

/** Flux Cluster Stats with one more table: objects whose Ready condition is Unknown, with their revision and source. */
function withInProgressTable(input: ConfigInput) {
  const config = resolveConfig(input);
  const spec = clusterDashboard(config);
  const inProgress = objects.objectTable(dashboardScope(config), 'unknown', ['revision', 'source_name']);
  spec.rows[1]!.cells.push(
    cell(tablePanel({ title, description: 'Objects being reconciled right now.' }, [inProgress]), 24),
  );
  const dashboard = finishDashboard(config, spec);
  const panel = allPanels(dashboard).find((candidate) => candidate.title === title) as PanelJson;
  const organize = (panel.transformations as Array<{ id: string; options: Record<string, Record<string, unknown>> }>)
    .find((transformation) => transformation.id === 'organize')!.options;
  const visible = Object.entries(organize.indexByName!)
    .sort(([, a], [, b]) => Number(a) - Number(b))
    .map(([field]) => organize.renameByName![field]);
  return { dashboard, panel, organize, visible };
}

describe('a table added to a shipped dashboard in one query and one line', () => {
  it('shows the object, then the asked-for labels, under their titles, in order', () => {
    const { visible, organize } = withInProgressTable({});
    expect(visible).toEqual(['Cluster', 'Kind', 'Namespace', 'Name', 'Revision', 'Source']);
    expect(organize.excludeByName).toEqual({ Time: true, Value: true });
  });

  it('has no cluster column without a cluster label', () => {
    expect(withInProgressTable({ clusterLabel: null }).visible).toEqual([
      'Kind',
      'Namespace',
      'Name',
      'Revision',
      'Source',
    ]);
  });

  it('titles the cluster column whatever the label is called', () => {
    const { visible, organize } = withInProgressTable({ clusterLabel: 'k8s_cluster' });
    expect(visible[0]).toBe('Cluster');
    expect(Object.keys(organize.includeByName!)[0]).toBe('k8s_cluster');
  });

  it('shows only the columns the legacy metrics have (no revision or source there)', () => {
    expect(withInProgressTable({ flavor: 'legacy', clusterLabel: null }).visible).toEqual([
      'Kind',
      'Namespace',
      'Name',
    ]);
  });

  it('is placed below the row it was added to, on the grid, without overlapping', () => {
    const { panel, dashboard } = withInProgressTable({});
    const gridPos = panel.gridPos as { x: number; y: number; w: number };
    expect(gridPos).toMatchObject({ x: 0, w: 24 });
    const nextRow = (dashboard.panels as PanelJson[]).find(
      (candidate) => candidate.type === 'row' && candidate.title === 'Revisions',
    );
    expect((nextRow!.gridPos as { y: number }).y).toBeGreaterThan(gridPos.y);
  });

  it('refuses a label it has no title for, naming it', () => {
    const config = resolveConfig({});
    const query = objects.objectTable(dashboardScope(config), 'any', ['webhook_path']);
    expect(() => tablePanel({ title: 'Receivers', description: 'Webhook paths.' }, [query])).toThrow(
      /label webhook_path has no column title/,
    );
  });
});
