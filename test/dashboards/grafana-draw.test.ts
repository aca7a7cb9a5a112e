/**
 * How the end-to-end tests and the benchmark draw, with Grafana's own interval code: which panels a draw queries
 * (collapsed rows wait until opened, every panel once all are opened) and how a panel's max data points and min
 * interval set the step.
 */
import { describe, expect, it } from 'vitest';
import { buildDashboards } from '../../dashboards';
import { configMatrix } from '../configs';
import { intervalsFor, parseMinInterval, prometheusTargets, type DashboardLike } from '../../fixtures/fleet/grafana';
import { allTargets } from '../helpers/targets';

const prometheusExprs = (dashboard: DashboardLike) =>
  allTargets(dashboard)
    .filter(({ panel }) => panel.datasourceType === 'prometheus' && panel.type !== 'row')
    .map(({ target }) => String(target.expr));

describe.each(configMatrix)('$name', ({ config }) => {
  describe.each(buildDashboards(config).map((json) => ({ uid: json.uid, json })))('$uid', ({ json }) => {
    it('with every row opened, the draw runs every Prometheus target of the dashboard', () => {
      expect(
        prometheusTargets(json, 'expanded')
          .map((target) => target.expr)
          .sort(),
      ).toEqual(prometheusExprs(json).sort());
    });

    it('the first draw runs every target outside collapsed rows and none inside', () => {
      const collapsed = json.panels.filter((panel) => panel.type === 'row' && panel.collapsed === true);
      const hidden = collapsed.flatMap((row) => prometheusExprs({ uid: json.uid, panels: row.panels ?? [] }));
      const open = prometheusExprs({
        uid: json.uid,
        panels: json.panels.filter((panel) => !collapsed.includes(panel)),
      });
      expect(prometheusTargets(json, 'first').map((target) => target.expr).sort()).toEqual(open.sort());
      expect(hidden.filter((expr) => open.includes(expr))).toEqual([]);
    });
  });

  it('Flux Control Plane and Flux Cluster Stats leave some rows closed on opening', () => {
    for (const dashboard of buildDashboards(config).filter((d) => d.uid !== 'flux-logs')) {
      expect(prometheusTargets(dashboard, 'first').length).toBeLessThan(
        prometheusTargets(dashboard, 'expanded').length,
      );
    }
  });
});

describe('panels Grafana does not query', () => {
  const target = { refId: 'A', expr: 'up', datasource: { type: 'prometheus', uid: '${datasource}' } };
  const panel = (title: string) => ({
    type: 'timeseries',
    title,
    gridPos: { x: 0, y: 0, w: 24, h: 8 },
    targets: [target],
  });

  it('skips row headers and the panels of an open row, which Grafana drops', () => {
    const dashboard = {
      uid: 'x',
      panels: [
        { type: 'row', title: 'open', collapsed: false, targets: [target], panels: [panel('dropped')] },
        panel('shown'),
      ],
    };
    expect(prometheusTargets(dashboard, 'expanded').map((t) => t.panelTitle)).toEqual(['shown']);
  });
});

describe('the step Grafana asks for', () => {
  const hour = { from: 0, to: 3600 };

  it('is the hour over the panel width in pixels, rounded, floored at the scrape interval', () => {
    expect(intervalsFor(hour, 1920, 30)).toEqual({ interval: 30, rateInterval: 120, range: 3600 });
    expect(intervalsFor(hour, 60, 15)).toEqual({ interval: 60, rateInterval: 75, range: 3600 });
  });

  it('takes the panel min interval as the floor instead of the scrape interval, higher or lower', () => {
    expect(intervalsFor(hour, 1920, 30, 60)).toEqual({ interval: 60, rateInterval: 120, range: 3600 });
    expect(intervalsFor(hour, 1920, 30, 10)).toEqual({ interval: 10, rateInterval: 120, range: 3600 });
    expect(intervalsFor({ from: 0, to: 86_400 }, 640, 30, 60)).toEqual({
      interval: 120,
      rateInterval: 150,
      range: 86_400,
    });
  });

  it('reads a panel min interval and the max data points from the panel', () => {
    const read = ['1m', '30s', '', undefined].map(parseMinInterval);
    expect(read).toEqual([60, 30, undefined, undefined]);
    expect(() => parseMinInterval('a minute')).toThrow(/not a duration/);
    // Grafana's calculateInterval no longer reads the old `>` prefix: such a panel fails to query.
    expect(() => parseMinInterval('>30s')).toThrow(/not a duration/);
    const dashboard = {
      uid: 'x',
      panels: [
        {
          type: 'timeseries',
          interval: '2m',
          maxDataPoints: 100,
          gridPos: { x: 0, y: 0, w: 12, h: 8 },
          targets: [{ refId: 'A', expr: 'up', datasource: { type: 'prometheus' } }],
        },
      ],
    };
    expect(prometheusTargets(dashboard)).toMatchObject([{ maxDataPoints: 100, minInterval: 120 }]);
  });
});
