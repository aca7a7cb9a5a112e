/**
 * The Flux Object dashboard against a real Prometheus fleet: it shows one object's series only, its readiness
 * timeline (drawn with @grafana/data) changes when the fleet changed the object, and the links of the other dashboards'
 * rows open it (or the logs dashboard) with variables it has, selecting that object.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig, type Config } from '../../config';
import { buildDashboards, type DashboardJson } from '../../dashboards';
import { dashboardIdentities, fluxKinds, readinessObjectLabels } from '../../model';
import {
  defaultFleetOptions, fleetEnd, liveObjects, type Fleet, type FluxObject, type ObjectRole,
} from '../../fixtures/fleet/fleet';
import {
  intervalsFor, prometheusTargets, resolveVariables, runTarget, type TimeRange,
} from '../../fixtures/fleet/grafana';
import { serveFleets, type ServedFleets } from '../../fixtures/fleet/serve';
import { allPanels } from '../helpers/targets';
import { panelFrames } from '../helpers/render/frames';
import { applyFieldConfig, type PanelLike } from '../helpers/render/panel';

const scrapeInterval = defaultFleetOptions.scrapeInterval;
const dashboardRange = 3600;
const end = fleetEnd();
const range: TimeRange = { from: end - dashboardRange, to: end };

/** The three flavours, with and without a cluster label. */
const setups: Array<{ name: string; config: Config; clusters: number }> = [
  { name: 'kube-state-metrics, several clusters', config: resolveConfig({}), clusters: 3 },
  {
    name: 'legacy metrics, Flux 2.0, several clusters',
    config: resolveConfig({ flavor: 'legacy', fluxVersion: '2.0' }),
    clusters: 2,
  },
  {
    name: 'Flux Operator, no cluster label, honor_labels',
    config: resolveConfig({ flavor: 'flux-operator', clusterLabel: null, objectNamespaceLabel: 'namespace' }),
    clusters: 1,
  },
];

let served: ServedFleets | undefined;

beforeAll(async () => {
  served = await serveFleets(
    setups.map(({ config, clusters }) => ({
      ...defaultFleetOptions,
      end,
      duration: dashboardRange + 900,
      clusters,
      objectsPerKind: 8,
      clusterLabel: config.clusterLabel,
      flavor: config.flavor,
      fluxVersion: config.fluxVersion,
      objectNamespaceLabel: config.objectNamespaceLabel,
      fluxNamespace: config.namespace,
      namesakeInOtherNamespace: true,
    })),
  );
});

afterAll(async () => {
  await served?.stop();
});

const fleetOf = (index: number) => served!.fleets[index]!;
const dashboardOf = (config: Config, uid: string) => buildDashboards(config).find((d) => d.uid === uid)!;
const panelTitled = (dashboard: DashboardJson, title: string) =>
  allPanels(dashboard).find((panel) => panel.title === title) as unknown as PanelLike & Record<string, unknown>;

/** The object dashboard's variables set to one object, as a link or an alert sets them. */
function selectionOf(config: Config, object: FluxObject): Record<string, string> {
  return {
    ...(config.clusterLabel ? { cluster: object.cluster } : {}),
    kind: object.kind.kind,
    exported_namespace: object.namespace,
    name: object.name,
  };
}

/** The first Kustomization of the first cluster the fleet gave the role. */
const firstKustomization = (fleet: Fleet, role: ObjectRole) =>
  liveObjects(fleet).find(
    (o) => o.kind.kind === 'Kustomization' && o.role === role && o.cluster === fleet.clusters[0],
  )!;

const resourceSetsTitle = 'ResourceSets of this cluster';

/** Panels about the object's controller rather than the object: their series name the controller. */
const controllerPanels = new Set(['Its controller: error share', 'Its controller: queue wait p99']);

setups.forEach((setup, index) => {
  const { config } = setup;
  describe(`the object dashboard: ${setup.name}`, () => {
    it('returns a failing object\'s series only, though objects of its name live elsewhere', async () => {
      const { fleet, prometheus } = fleetOf(index);
      const object = firstKustomization(fleet, 'failing');
      const namesakes = liveObjects(fleet).filter(
        (o) => o.name === object.name && o.kind === object.kind && o !== object,
      );
      // A Kustomization of its name in another namespace of its cluster, and (with several) in another cluster.
      expect(namesakes.filter((o) => o.cluster === object.cluster && o.namespace !== object.namespace)).toHaveLength(1);
      if (setup.clusters > 1) expect(namesakes.filter((o) => o.cluster !== object.cluster).length).toBeGreaterThan(0);
      const dashboard = dashboardOf(config, dashboardIdentities.object.uid);
      const variables = await resolveVariables(dashboard, prometheus, range, selectionOf(config, object));
      const labels = readinessObjectLabels(config.flavor, config.objectNamespaceLabel);
      const strays: string[] = [];
      const panelsWithSeries = new Set<string>();
      for (const target of prometheusTargets(dashboard)) {
        const run = await runTarget(prometheus, target, variables, range, scrapeInterval);
        if (run.series.length > 0) panelsWithSeries.add(target.panelTitle);
        for (const { metric } of run.series) {
          const where = `${target.panelTitle}: ${JSON.stringify(metric)}`;
          if (config.clusterLabel && metric[config.clusterLabel] !== object.cluster) strays.push(where);
          // The operator's ResourceSets of the object's cluster (checked above), whatever their names.
          if (target.panelTitle === resourceSetsTitle) continue;
          if (controllerPanels.has(target.panelTitle)) {
            if ((metric.controller ?? metric.name) !== object.kind.controller) strays.push(where);
            continue;
          }
          const kind = metric[labels.kind] ?? metric.kind;
          const namespace = metric[labels.namespace] ?? metric[config.objectNamespaceLabel];
          const same = metric.name === object.name && kind === object.kind.kind && namespace === object.namespace;
          if (!same) strays.push(where);
        }
      }
      expect(strays).toEqual([]);
      for (const title of ['Object now', 'Readiness over time', 'Reconciliations per minute', 'Reconcile duration']) {
        expect(panelsWithSeries, title).toContain(title);
      }
    });

    it('lists the ResourceSets of the object\'s cluster with the Flux Operator, none otherwise', async () => {
      const { fleet, prometheus } = fleetOf(index);
      const dashboard = dashboardOf(config, dashboardIdentities.object.uid);
      const panel = panelTitled(dashboard, resourceSetsTitle);
      if (config.flavor !== 'flux-operator') {
        expect(panel).toBeUndefined();
        return;
      }
      const object = firstKustomization(fleet, 'failing');
      const operator = fleet.operators.find((candidate) => candidate.cluster === object.cluster)!;
      const [target] = prometheusTargets({ uid: 'panel', panels: [panel as never] });
      const variables = await resolveVariables(dashboard, prometheus, range, selectionOf(config, object));
      const rows = (await runTarget(prometheus, target!, variables, range, scrapeInterval)).series;
      const expected = operator.resourceSets.map((set) => `${set.namespace}/${set.name}`).sort();
      expect(expected.length).toBeGreaterThan(0);
      expect(rows.map((row) => `${row.metric.exported_namespace}/${row.metric.name}`).sort()).toEqual(expected);
    });

    it('draws the readiness timeline turning from Not ready to Ready when the fleet recovered it', async () => {
      const { fleet, prometheus } = fleetOf(index);
      const object = firstKustomization(fleet, 'recovered');
      const dashboard = dashboardOf(config, dashboardIdentities.object.uid);
      const variables = await resolveVariables(dashboard, prometheus, range, selectionOf(config, object));
      const panel = panelTitled(dashboard, 'Readiness over time');
      const [target] = prometheusTargets({ uid: 'panel', panels: [panel as never] });
      const run = await runTarget(prometheus, target!, variables, range, scrapeInterval);
      const step = intervalsFor(range, target!.maxDataPoints, scrapeInterval, target!.minInterval).interval;
      const result = { refId: 'A', expr: run.expr, table: false, legend: target!.legend, step, series: run.series };
      const frames = panelFrames([result]);
      const [frame] = applyFieldConfig(panel, frames);
      expect(frame, 'a readiness series').toBeDefined();
      const time = frame!.fields.find((field) => field.type === 'time')!;
      const value = frame!.fields.find((field) => field.type === 'number')!;
      const states = value.values.map((v, i) => ({ at: Number(time.values[i]) / 1000, text: value.display!(v).text }));
      const firstReady = states.find((state) => state.text === 'Ready');
      expect(states[0]!.text).toBe('Not ready');
      expect(firstReady, 'the object turns Ready').toBeDefined();
      // Backfilled blocks carry no staleness markers: the old Ready=False series lingers for Prometheus' 5-minute
      // lookback, and the Flux Operator reports only every few minutes. Never earlier than the change, though.
      const operatorDelay = config.flavor === 'flux-operator' ? fleet.operators[0]!.reportingInterval : 0;
      const lookback = 300;
      expect(firstReady!.at).toBeGreaterThanOrEqual(object.recoveredAt!);
      const delay = firstReady!.at - object.recoveredAt!;
      expect(delay).toBeLessThanOrEqual(lookback + operatorDelay + step + scrapeInterval);
      const before = states.filter((state) => state.at < object.recoveredAt!);
      expect(before.every((state) => state.text === 'Not ready')).toBe(true);
      expect(states.filter((state) => state.at >= firstReady!.at).every((state) => state.text === 'Ready')).toBe(true);
    });

    it('opens from a real Failing objects row with variables it has, selecting that object', async () => {
      const { prometheus } = fleetOf(index);
      const cluster = dashboardOf(config, dashboardIdentities.cluster.uid);
      const objectDashboard = dashboardOf(config, dashboardIdentities.object.uid);
      const clusterVariables = await resolveVariables(cluster, prometheus, range);
      const table = panelTitled(cluster, 'Failing objects');
      const url = linkOf(table);
      const [target] = prometheusTargets({ uid: 'panel', panels: [table as never] });
      const rows = (await runTarget(prometheus, target!, clusterVariables, range, scrapeInterval)).series;
      expect(rows.length).toBeGreaterThan(0);
      const known = new Set(variableNamesOf(objectDashboard));
      for (const row of rows.slice(0, 3)) {
        const filled = fillLink(url, row.metric, clusterVariables.text);
        expect(filled.uid).toBe(dashboardIdentities.object.uid);
        expect(Object.keys(filled.variables).filter((name) => !known.has(name))).toEqual([]);
        const variables = await resolveVariables(objectDashboard, prometheus, range, filled.variables);
        const now = prometheusTargets(objectDashboard).find((t) => t.panelTitle === 'Object now')!;
        const shown = (await runTarget(prometheus, now, variables, range, scrapeInterval)).series;
        expect(shown.map((series) => identityOf(config, series.metric))).toEqual([identityOf(config, row.metric)]);
      }
    });

    it('opens the logs dashboard from a controller row with variables it has', async () => {
      const { prometheus } = fleetOf(index);
      const controlPlane = dashboardOf(config, dashboardIdentities.controlPlane.uid);
      const logs = dashboardOf(config, dashboardIdentities.logs.uid);
      const variables = await resolveVariables(controlPlane, prometheus, range);
      const table = panelTitled(controlPlane, 'Controllers and versions');
      const targets = prometheusTargets({ uid: 'panel', panels: [table as never] });
      const rows = (await runTarget(prometheus, targets[1]!, variables, range, scrapeInterval)).series;
      const row = rows.find((series) => series.metric.deployment === 'kustomize-controller')!;
      const filled = fillLink(linkOf(table), row.metric, variables.text);
      expect(filled.uid).toBe(dashboardIdentities.logs.uid);
      const known = new Set(variableNamesOf(logs));
      expect(Object.keys(filled.variables).filter((name) => !known.has(name))).toEqual([]);
      expect(filled.variables.controller).toBe('kustomize-controller');
    });

    it('opens the logs from a real series of each controller\'s graph, searching its reconciler', async () => {
      const { prometheus } = fleetOf(index);
      const controlPlane = dashboardOf(config, dashboardIdentities.controlPlane.uid);
      const logs = dashboardOf(config, dashboardIdentities.logs.uid);
      const known = new Set(variableNamesOf(logs));
      const variables = await resolveVariables(controlPlane, prometheus, range);
      const linked = allPanels(controlPlane)
        .filter((panel) => panel.type === 'timeseries' && seriesLinksOf(panel).length > 0)
        .map((panel) => ({ ...panel, title: String(panel.title) }));
      expect(linked.map((panel) => panel.title)).toEqual(expect.arrayContaining([
        'Reconciliations per minute', 'Reconcile error ratio', 'Reconcile time p99', 'Work queue depth', 'Workers busy',
      ]));
      for (const panel of linked) {
        const [url] = seriesLinksOf(panel);
        // A panel showing another panel's results (the `-- Dashboard --` datasource) draws that panel's series.
        const reused = (panel.targets ?? [])[0]?.panelId;
        const queried = reused === undefined ? panel : allPanels(controlPlane).find((other) => other.id === reused)!;
        const [target] = prometheusTargets({ uid: 'panel', panels: [queried as never] });
        const series = (await runTarget(prometheus, target!, variables, range, scrapeInterval)).series;
        expect(series.length, panel.title).toBeGreaterThan(0);
        for (const { metric } of series.slice(0, 3)) {
          const filled = fillLink(url!, metric, variables.text);
          expect(filled.uid).toBe(dashboardIdentities.logs.uid);
          expect(Object.keys(filled.variables).filter((name) => !known.has(name)), panel.title).toEqual([]);
          expect(filled.variables.controller).toBe('$__all');
          // The reconciler the series is about: a lower-case kind its controller's JSON lines name.
          expect(filled.variables.search, panel.title).toBe(metric.controller ?? metric.name);
          expect(reconcilers.has(filled.variables.search!), filled.variables.search).toBe(true);
          if (config.clusterLabel) expect(filled.variables.cluster).toBe(metric[config.clusterLabel]);
        }
      }
    });

    it('opens from each count the table that lists what it counts, on the same dashboard', () => {
      for (const uid of [dashboardIdentities.cluster.uid, dashboardIdentities.controlPlane.uid]) {
        const dashboard = dashboardOf(config, uid);
        const counts = allPanels(dashboard).filter((panel) => panel.type === 'stat' && seriesLinksOf(panel).length);
        expect(counts.length, uid).toBeGreaterThan(1);
        for (const count of counts) {
          const [url] = seriesLinksOf(count);
          const title = String(count.title);
          const parsed = new URL(url!.replace('${__all_variables}', 'var-all=1'), 'https://grafana.example.com');
          expect(parsed.pathname).toBe(`/d/${uid}`);
          const table = allPanels(dashboard).find((panel) => String(panel.id) === parsed.searchParams.get('viewPanel'));
          expect(table?.type, `${title} opens a table`).toBe('table');
          expect(url).toContain('${__all_variables}');
        }
      }
    });
  });
});

/** The lower-case kinds the controllers reconcile: what a reconciler's series and JSON lines name. */
const reconcilers = new Set(fluxKinds.map((kind) => kind.controller));

/** The data links of a panel's series or value (`fieldConfig.defaults.links`). */
const seriesLinksOf = (panel: object) => {
  const { fieldConfig } = panel as { fieldConfig?: { defaults?: { links?: Array<{ url: string }> } } };
  return (fieldConfig?.defaults?.links ?? []).map((link) => link.url);
};

const variableNamesOf = (dashboard: DashboardJson) =>
  ((dashboard.templating as { list: Array<{ name: string }> }).list ?? []).map((variable) => variable.name);

/** The one data link a table's overrides carry. */
function linkOf(panel: Record<string, unknown>): string {
  type Overrides = Array<{ properties: Array<{ id: string; value: unknown }> }>;
  const overrides = (panel.fieldConfig as { overrides: Overrides }).overrides;
  const links = overrides
    .flatMap((o) => o.properties)
    .filter((p) => p.id === 'links')
    .flatMap((p) => p.value as Array<{ url: string }>);
  expect(links).toHaveLength(1);
  return links[0]!.url;
}

/** A data link's URL as Grafana fills it from a row: the row's cells, the dashboard's variables, the time range. */
function fillLink(url: string, row: Record<string, string>, dashboardVariables: Record<string, string>) {
  const filled = url
    .replace(/\$\{__data\.fields\.(\w+):percentencode\}/g, (_, label: string) => {
      expect(row, `the row has a ${label} cell`).toHaveProperty(label);
      return encodeURIComponent(row[label]!);
    })
    .replace(/\$\{__field\.labels\.(\w+):percentencode\}/g, (_, label: string) => {
      expect(row, `the series has a ${label} label`).toHaveProperty(label);
      return encodeURIComponent(row[label]!);
    })
    .replace(/\$\{(\w+):queryparam\}/g, (_, name: string) => {
      expect(dashboardVariables, `the linking dashboard has ${name}`).toHaveProperty(name);
      return `var-${name}=${encodeURIComponent(dashboardVariables[name]!)}`;
    })
    .replace('${__url_time_range}', `from=${range.from * 1000}&to=${range.to * 1000}`);
  expect(filled).not.toContain('${');
  const parsed = new URL(filled, 'https://grafana.example.com');
  const variables = Object.fromEntries(
    [...parsed.searchParams].filter(([key]) => key.startsWith('var-')).map(([key, value]) => [key.slice(4), value]),
  );
  return { uid: parsed.pathname.replace(/^\/d\//, ''), variables };
}

/** Cluster, kind, namespace and name of a series, whichever flavour's labels it carries. */
function identityOf(config: Config, metric: Record<string, string>): string {
  const labels = readinessObjectLabels(config.flavor, config.objectNamespaceLabel);
  const cluster = config.clusterLabel ? metric[config.clusterLabel] : '';
  return [cluster, metric[labels.kind], metric[labels.namespace], metric[labels.name]].join('|');
}
