/**
 * A user's own row and panel, added to a shipped dashboard's spec through the package's `flux-dashboards/dashboards`
 * entry, reach both models: the classic JSON and the v2 resource.
 */
import { describe, expect, it } from 'vitest';
import { resolveConfig } from 'flux-dashboards/config';
import {
  cell, controlPlaneDashboard, dashboardV2Resource, elementName, finishDashboard, type PanelJson, type Row,
} from 'flux-dashboards/dashboards';
import { timeseriesPanel } from 'flux-dashboards/panels';
import { controllers, dashboardScope } from 'flux-dashboards/queries';
import { laidOutRows } from './layout';

const title = 'Reconciles of my team\'s controllers';

function extended() {
  const config = resolveConfig({});
  const spec = controlPlaneDashboard(config);
  const query = controllers.reconcilesPerMinute(dashboardScope(config), ['controller']);
  const panel = timeseriesPanel({ title, description: 'Reconciles per minute.', unit: 'short' }, [query]);
  const row: Row = { title: 'My team', collapsed: true, cells: [cell(panel, 24, 9)] };
  spec.rows.push(row);
  return { classic: finishDashboard(config, spec), v2: dashboardV2Resource(config, spec).spec };
}

describe('a row and a panel of the user\'s', () => {
  it('is in the classic dashboard: a collapsed row holding the panel', () => {
    const { classic } = extended();
    const row = classic.panels.find((panel) => panel.type === 'row' && panel.title === 'My team');
    expect(row?.collapsed).toBe(true);
    expect(row?.panels?.map((panel) => panel.title)).toEqual([title]);
  });

  it('is in the v2 dashboard: a collapsed row whose grid holds the same panel, with the same query and id', () => {
    const { classic, v2 } = extended();
    const nested = classic.panels.flatMap((panel) => panel.panels ?? []);
    const classicPanel = nested.find((panel) => panel.title === title) as PanelJson;
    const panel = v2.elements[elementName(classicPanel.id!)] as { spec: { title: string; data: unknown } };
    expect(panel.spec.title).toBe(title);
    const queries = (panel.spec.data as { spec: { queries: Array<{ spec: { query: { spec: { expr: string } } } }> } })
      .spec.queries;
    expect(queries.map(({ spec }) => spec.query.spec.expr)).toEqual(classicPanel.targets!.map((t) => t.expr));
    // Control Plane's rows do not fit a screen: its collapsed rows, this one too, are tabs.
    expect((v2.layout as { kind: string }).kind).toBe('TabsLayout');
    const row = laidOutRows(v2.layout as never).at(-1)!;
    expect([row.title, row.collapsed]).toEqual(['My team', true]);
    const element = { kind: 'ElementReference', name: elementName(classicPanel.id!) };
    expect(row.items).toEqual([{ x: 0, y: 0, width: 24, height: 9, element }]);
  });
});
