/**
 * The dashboards stay bounded at fleet scale, by construction: every table listing objects takes at most
 * `tableRowBound` of them (topk) and counts the rest; every time series that draws a line per cluster and controller,
 * queue, kind or resource is topk-bounded; and the bounds of one panel's queries add up to at most `panelSeriesBound`.
 * What the bounds come to on a large fleet is measured by `npm run bench`.
 */
import { describe, expect, it } from 'vitest';
import { buildDashboards } from '../../dashboards';
import { dashboardIdentities } from '../../model';
import { boundOf, panelSeriesBound, tableRowBound } from '../../queries';
import { configMatrix } from '../configs';
import { allPanels, allTargets, type TargetWithPanel } from '../helpers/targets';

/** The k of a query bounded by `largest` or a table's `topk(k, …)`, or undefined. */
const topkOf = boundOf;

/** Labels that multiply a per-cluster series by up to a few dozen each (controllers, queues, kinds, resources). */
const fanOutLabels = ['controller', 'name', 'kind', 'customresource_kind', 'resource'];

const legendLabelsOf = (target: TargetWithPanel['target']) =>
  [...String(target.legendFormat ?? '').matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((match) => match[1]!);

const fleetDashboards: string[] = [dashboardIdentities.controlPlane.uid, dashboardIdentities.cluster.uid];
const clustered = configMatrix.filter(({ config }) => config.clusterLabel !== null);

describe.each(clustered)('$name', ({ config }) => {
  const dashboards = buildDashboards(config).filter((dashboard) => fleetDashboards.includes(dashboard.uid));
  const label = config.clusterLabel!;

  it('builds both fleet dashboards', () => expect(dashboards.map((d) => d.uid).sort()).toEqual(fleetDashboards.sort()));

  describe.each(dashboards.map((dashboard) => ({ uid: dashboard.uid, dashboard })))('$uid', ({ dashboard }) => {
    const prometheus = allTargets(dashboard).filter(({ panel }) => panel.datasourceType === 'prometheus');

    it('lists objects in tables only topk-bounded, with a count of the rest beside any long list', () => {
      // The control plane lists pods and leases, a handful per cluster: only Flux Cluster Stats lists objects.
      if (dashboard.uid !== dashboardIdentities.cluster.uid) return;
      const byPanel = new Map<string, TargetWithPanel[]>();
      for (const target of prometheus.filter(({ panel }) => panel.type === 'table')) {
        byPanel.set(target.panel.title, [...(byPanel.get(target.panel.title) ?? []), target]);
      }
      // A table listing objects has a Name column.
      const namesObjects = new Set(
        allPanels(dashboard)
          .filter((panel) => JSON.stringify((panel as { transformations?: unknown }).transformations ?? []).includes(
            '"Name"',
          ))
          .map((panel) => String(panel.title)),
      );
      // The Flux Operator's own objects (its instance, ResourceSets, input providers) are a handful per cluster.
      const operatorOwn = /flux_(instance|resourceset|resourcesetinputprovider|operator)_info/;
      const readsOperatorOwn = (targets: TargetWithPanel[]) =>
        targets.some(({ target }) => operatorOwn.test(String(target.expr)));
      const listing = [...byPanel].filter(([title, targets]) => namesObjects.has(title) && !readsOperatorOwn(targets));
      expect(listing.length).toBeGreaterThan(0);
      for (const [title, targets] of listing) {
        const [rows, ...rest] = targets;
        const k = topkOf(String(rows!.target.expr));
        expect(k, `${title}: ${String(rows!.target.expr).slice(0, 80)}`).toBeDefined();
        expect(k!, title).toBeLessThanOrEqual(tableRowBound);
        // Past a screenful, the table says how many it leaves out.
        if (k! > 10) expect(rest.some(({ target }) => String(target.expr).includes(`- (${k}))`)), title).toBe(true);
      }
    });

    it('bounds every time series with a line per cluster and controller, queue, kind or resource', () => {
      const series = prometheus.filter(({ panel }) => panel.type === 'timeseries');
      const fanningOut = series.filter(({ target }) => {
        const labels = legendLabelsOf(target);
        return labels.includes(label) && labels.some((name) => fanOutLabels.includes(name));
      });
      expect(fanningOut.length).toBeGreaterThan(0);
      for (const { panel, target } of fanningOut) {
        expect(topkOf(String(target.expr)), `${panel.title} ${String(target.refId)}`).toBeDefined();
      }
    });

    it('gives no panel bounds that add up past the panel bound', () => {
      const bounds = new Map<string, number>();
      for (const { panel, target } of prometheus) {
        const k = topkOf(String(target.expr));
        if (k === undefined) continue;
        // A table merges its queries' rows; a time series draws all of them.
        const key = `${panel.type} ${panel.title}`;
        bounds.set(key, panel.type === 'table' ? Math.max(bounds.get(key) ?? 0, k) : (bounds.get(key) ?? 0) + k);
      }
      // A server-side expression adds as many series as the largest query it divides.
      for (const { panel } of allTargets(dashboard).filter((t) => t.panel.datasourceType === '__expr__')) {
        const own = prometheus.filter((t) => t.panel.id === panel.id).map((t) => topkOf(String(t.target.expr)) ?? 0);
        const key = `${panel.type} ${panel.title}`;
        bounds.set(key, (bounds.get(key) ?? 0) + Math.max(...own));
      }
      expect(bounds.size).toBeGreaterThan(0);
      for (const [panel, bound] of bounds) expect(bound, panel).toBeLessThanOrEqual(panelSeriesBound);
    });
  });
});
