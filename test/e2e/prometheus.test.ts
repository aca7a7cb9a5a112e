/**
 * End to end against a real Prometheus: a synthetic fleet is backfilled, every dashboard target runs as Grafana would
 * run it, and the alert rules are evaluated at the fleet's end. Needs `prometheus` and `promtool` (2.35 or later).
 */
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { alertArtifacts, alertSet, grafanaRuleGroups, recordedSeries, recordingGroups } from '../../alerts';
import { resolveConfig, type Config } from '../../config';
import { buildDashboards, dashboardPanelIds, type DashboardJson } from '../../dashboards';
import { releaseWrites } from '../../model/flux-releases';
import { fluxOperator } from '../../model';
import { outputFiles } from '../../model/outputs';
import { recordedWindow } from '../../queries/recorded';
import {
  defaultFleetOptions,
  fleetReport,
  liveObjects,
  visibleObjects,
  type Fleet,
  type FluxObject,
  type StateCounts,
} from '../../fixtures/fleet/fleet';
import {
  appliers,
  clusterKey,
  clusterOf,
  controllerExpectations,
  keysOf,
  mayBeEmpty,
  newerMetricIn,
  objectKeyOf,
  statExpectations,
  valuesByCluster,
} from '../../fixtures/fleet/expectations';
import {
  legendLabels,
  prometheusTargets,
  resolveVariables,
  runTarget,
  type PrometheusTarget,
  type TimeRange,
} from '../../fixtures/fleet/grafana';
import { expectedLabels, expectedMetrics } from '../../fixtures/fleet/openmetrics';
import type { PromSeries } from '../../fixtures/prometheus';
import { conditionOf, queryExprOf } from '../helpers/grafana-condition';
import { dashboardRange, prometheusFleetKey, prometheusSetups } from './fleets';
import { servedFleet, servedFleetEnd } from './served';

const scrapeInterval = defaultFleetOptions.scrapeInterval;
const setups = prometheusSetups;
const end = servedFleetEnd();
const range: TimeRange = { from: end - dashboardRange, to: end };
const fleetOf = (index: number) => servedFleet(prometheusFleetKey(setups[index]!));

const dashboardsOf = (config: Config) =>
  buildDashboards(config).filter((dashboard) => prometheusTargets(dashboard).length > 0);

setups.forEach((setup, index) => {
  const { config } = setup;
  describe(`end to end: ${setup.name}`, () => {
    it('the fleet carries every catalogued metric of its flavour with every catalogued label', () => {
      const { fleet, labelsSeen } = fleetOf(index);
      const settings = { clusterLabel: config.clusterLabel, objectNamespaceLabel: config.objectNamespaceLabel };
      for (const metric of expectedMetrics(fleet)) {
        const seen = [...(labelsSeen.get(metric) ?? [])].filter((label) => label !== 'le').sort();
        expect(seen, metric).toEqual(expectedLabels(fleet, metric, settings).sort());
      }
    });

    it('resolves the variables to what the fleet holds', async () => {
      const { fleet, prometheus } = fleetOf(index);
      for (const dashboard of dashboardsOf(config)) {
        const variables = await resolveVariables(dashboard, prometheus, range);
        if (config.clusterLabel)
          expect(variables.options.cluster?.sort(), dashboard.uid).toEqual([...fleet.clusters].sort());
        expect(variables.options.namespace, dashboard.uid).toEqual([config.namespace]);
        if ('kind' in variables.options) {
          const kinds = [...new Set(visibleObjects(fleet).map((o) => o.kind.kind))].sort();
          expect(variables.options.kind!.sort(), dashboard.uid).toEqual(kinds);
        }
        if ('exported_namespace' in variables.options) {
          const namespaces = [...new Set(visibleObjects(fleet).map((o) => o.namespace))].sort();
          expect(variables.options.exported_namespace!.sort()).toEqual(namespaces);
        }
      }
    });

    for (const dashboard of dashboardsOf(config)) {
      it(`${dashboard.uid}: every target runs, returns series and names only labels its result has`, async () => {
        const { prometheus } = fleetOf(index);
        const variables = await resolveVariables(dashboard, prometheus, range);
        const problems: string[] = [];
        /** Panels with a target excused for a metric its Flux lacks: the other targets must still draw. */
        const panelsWithNewerMetrics = new Set<string>();
        const panelsWithSeries = new Set<string>();
        for (const target of prometheusTargets(dashboard)) {
          const run = await runTarget(prometheus, target, variables, range, scrapeInterval);
          const where = `${dashboard.uid} / ${target.panelTitle} / ${target.refId}: ${run.expr}`;
          const excuse = mayBeEmpty(config, target.panelTitle, run.expr);
          if (newerMetricIn(config, run.expr)) panelsWithNewerMetrics.add(target.panelTitle);
          else if (run.series.length > 0) panelsWithSeries.add(target.panelTitle);
          if (excuse && run.series.length > 0) problems.push(`${where} returned series although ${excuse}`);
          if (!excuse && run.series.length === 0) problems.push(`${where} returned no series`);
          // A table shows labels as columns (a label an object lacks is an empty cell); only series use the legend.
          for (const label of target.table ? [] : legendLabels(target.legend)) {
            const lacking = run.series.filter((series) => !(label in series.metric));
            if (lacking.length) problems.push(`${where}: legend {{${label}}} but ${lacking.length} series lack it`);
          }
        }
        for (const panel of panelsWithNewerMetrics) {
          if (!panelsWithSeries.has(panel)) {
            problems.push(`${dashboard.uid} / ${panel}: no other target draws beside the one its Flux lacks`);
          }
        }
        expect(problems).toEqual([]);
        // On a Flux before 2.4 the errors beside the missing panics counter are what this proves.
        const panicsMissing = !releaseWrites(config.fluxVersion, 'controller_runtime_reconcile_panics_total');
        if (dashboard.uid === 'flux-control-plane') {
          expect(panelsWithNewerMetrics.has('Reconcile error ratio')).toBe(panicsMissing);
        }
      });
    }

    if (config.clusterLabel) {
      const clusterLabel = config.clusterLabel;
      for (const dashboard of dashboardsOf(config)) {
        it(`${dashboard.uid}: with one cluster selected no series of another cluster appears`, async () => {
          const { fleet, prometheus } = fleetOf(index);
          const chosen = fleet.clusters[1]!;
          const variables = await resolveVariables(dashboard, prometheus, range, { cluster: chosen });
          const strays: string[] = [];
          let seriesSeen = 0;
          for (const target of prometheusTargets(dashboard)) {
            const run = await runTarget(prometheus, target, variables, range, scrapeInterval);
            seriesSeen += run.series.length;
            for (const series of run.series) {
              if (series.metric[clusterLabel] !== chosen)
                strays.push(`${target.panelTitle}: ${JSON.stringify(series.metric)}`);
            }
          }
          expect(seriesSeen).toBeGreaterThan(0);
          expect(strays).toEqual([]);
        });
      }
    }

    it('the count panels show what the fleet holds', async () => {
      const { fleet, prometheus } = fleetOf(index);
      const checked: string[] = [];
      const checks: Array<[DashboardJson, Record<string, Record<string, number>>]> = [];
      for (const dashboard of dashboardsOf(config)) {
        if (dashboard.uid === 'flux-cluster') checks.push([dashboard, statExpectations(config, fleet)]);
        if (dashboard.uid === 'flux-control-plane') checks.push([dashboard, controllerExpectations(config, fleet)]);
      }
      for (const [dashboard, expectations] of checks) {
        const variables = await resolveVariables(dashboard, prometheus, range);
        for (const target of prometheusTargets(dashboard).filter(
          (t) => t.panelType === 'stat' && t.panelTitle in expectations,
        )) {
          const run = await runTarget(prometheus, target, variables, range, scrapeInterval);
          expect(valuesByCluster(config, run.series), `${dashboard.uid} / ${target.panelTitle}`).toEqual(
            expectations[target.panelTitle],
          );
          checked.push(target.panelTitle);
        }
      }
      // Every expectation met a panel: a renamed panel must not silently escape the check.
      expect(checked.sort()).toEqual(checks.flatMap(([, expectations]) => Object.keys(expectations)).sort());
    });

    it('the objects-by-kind table counts each kind as the fleet holds it', async () => {
      const { fleet, prometheus } = fleetOf(index);
      const dashboard = dashboardsOf(config).find((d) => d.uid === 'flux-cluster')!;
      const variables = await resolveVariables(dashboard, prometheus, range);
      const states: Record<string, keyof StateCounts> = {
        A: 'total',
        B: 'ready',
        C: 'notReady',
        D: 'unknown',
        E: 'suspended',
      };
      const targets = prometheusTargets(dashboard).filter((t) => t.panelTitle === 'Objects by kind');
      expect(targets.map((t) => t.refId)).toEqual(Object.keys(states));
      const report = fleetReport(fleet, visibleObjects(fleet));
      for (const target of targets) {
        const run = await runTarget(prometheus, target, variables, range, scrapeInterval);
        const actual = Object.fromEntries(
          run.series.map((s) => [
            `${clusterOf(config, s.metric)}|${s.metric.customresource_kind ?? s.metric.kind}`,
            Number(s.value?.[1]),
          ]),
        );
        const expected: Record<string, number> = {};
        for (const [cluster, byKind] of Object.entries(report)) {
          for (const [kind, counts] of Object.entries(byKind)) {
            if (counts[states[target.refId]!] > 0)
              expected[`${config.clusterLabel ? cluster : ''}|${kind}`] = counts[states[target.refId]!];
          }
        }
        expect(actual, `Objects by kind ${target.refId} (${states[target.refId]})`).toEqual(expected);
      }
    });

    it('the failing, stalled and suspended tables list exactly those objects', async () => {
      const { fleet, prometheus } = fleetOf(index);
      const dashboard = dashboardsOf(config).find((d) => d.uid === 'flux-cluster')!;
      const variables = await resolveVariables(dashboard, prometheus, range);
      const live = visibleObjects(fleet);
      const tables: Record<string, FluxObject[]> = {
        'Failing objects': live.filter((o) => o.ready === 'False'),
        ...(config.flavor === 'flux-operator'
          ? {}
          : { 'Stalled objects': config.flavor === 'legacy' ? [] : live.filter((o) => o.stalled) }),
        'Suspended objects': live.filter((o) => o.suspended),
      };
      if (config.flavor === 'flux-operator') {
        expect(prometheusTargets(dashboard).filter((t) => /stalled/i.test(t.panelTitle))).toEqual([]);
      }
      for (const [title, objects] of Object.entries(tables)) {
        const [target] = prometheusTargets(dashboard).filter((t) => t.panelTitle === title);
        expect(target, title).toBeDefined();
        const run = await runTarget(prometheus, target!, variables, range, scrapeInterval);
        expect(run.series.map((s) => objectKeyOf(config, s.metric)).sort(), title).toEqual(keysOf(config, objects));
      }
    });

    if (config.recordingRules) {
      it('every panel reading recorded series shows what its raw twin shows over the recorded window', async () => {
        const { prometheus } = fleetOf(index);
        const raw = dashboardsOf({ ...config, recordingRules: false });
        // Rule groups run at an offset of their own within the minute: a panel at t reads the evaluation before t.
        const stamp = await prometheus.query(`max(timestamp(${recordedSeries(config)[0]!.name}))`, range.to);
        const lag = range.to - Number(stamp.result[0]?.value?.[1]);
        expect(lag).toBeGreaterThanOrEqual(0);
        expect(lag).toBeLessThan(60);
        const evaluated: TimeRange = { from: range.from - lag, to: range.to - lag };
        let compared = 0;
        const problems: string[] = [];
        for (const dashboard of dashboardsOf(config)) {
          const rawTargets = prometheusTargets(raw.find((candidate) => candidate.uid === dashboard.uid)!);
          const variables = await resolveVariables(dashboard, prometheus, range);
          for (const [position, target] of prometheusTargets(dashboard).entries()) {
            const rawTarget = rawTargets[position]!;
            expect(`${rawTarget.panelTitle} ${rawTarget.refId}`).toBe(`${target.panelTitle} ${target.refId}`);
            if (rawTarget.expr === target.expr) continue;
            // A recorded rate has a fixed window: the raw panel matches it over that window, not $__rate_interval.
            const expr = rawTarget.expr.replaceAll('$__rate_interval', recordedWindow);
            const overWindow: PrometheusTarget = { ...rawTarget, expr };
            const recorded = await runTarget(prometheus, target, variables, range, scrapeInterval);
            const expected = await runTarget(prometheus, overWindow, variables, evaluated, scrapeInterval);
            const where = `${dashboard.uid} / ${target.panelTitle} / ${target.refId}`;
            problems.push(...differences(where, expected.series, recorded.series, lag));
            compared += 1;
          }
        }
        expect(problems).toEqual([]);
        // Every recorded rate is read by some panel: the count of panels whose query changed.
        expect(compared).toBeGreaterThanOrEqual(recordingGroups(config)[0]!.rules.length);
      });
    }

    describe('alert rules', () => {
      const rules = alertRulesOf(config);
      const live = () => visibleObjects(fleetOf(index).fleet);
      const objectAlerts: Record<string, () => FluxObject[]> = {
        FluxReconciliationFailure: () => live().filter((o) => o.ready === 'False'),
        FluxSuspendedResource: () => live().filter((o) => o.suspended),
        // The duration histogram keeps its last samples: a controller down for less than the 30 m window still counts.
        FluxHighReconciliationTime: () => liveObjects(fleetOf(index).fleet).filter((o) => o.slow),
        FluxHelmReleaseNotReady: () => live().filter((o) => o.kind.kind === 'HelmRelease' && o.ready === 'False'),
        FluxKustomizationNotReady: () => live().filter((o) => o.kind.kind === 'Kustomization' && o.ready === 'False'),
        FluxGitRepositoryNotReady: () => live().filter((o) => o.kind.kind === 'GitRepository' && o.ready === 'False'),
        ...(config.flavor === 'kube-state-metrics'
          ? { FluxReconciliationStalled: () => live().filter((o) => o.stalled) }
          : {}),
        ...(config.flavor === 'legacy'
          ? {}
          : {
              FluxSourceArtifactFailed: () =>
                live().filter(
                  (o) =>
                    o.ready === 'False' &&
                    ['ArtifactFailed', 'SourceNotReady'].includes(o.readyReason) &&
                    appliers.includes(o.kind.kind),
                ),
            }),
      };

      it('the rule file has every alert the fleet is checked against', () => {
        expect(rules.map((rule) => rule.alert)).toEqual(
          expect.arrayContaining([...Object.keys(objectAlerts), 'FluxSystemDown']),
        );
      });

      it('every rule expression evaluates without error', async () => {
        const { prometheus } = fleetOf(index);
        for (const rule of rules) await expect(prometheus.query(rule.expr, end), rule.alert).resolves.toBeDefined();
      });

      for (const [alert, expected] of Object.entries(objectAlerts)) {
        it(`${alert} fires for exactly the objects the fleet made so`, async () => {
          const rule = rules.find((r) => r.alert === alert);
          expect(rule, `${alert} is missing from ${outputFiles.ruleFile}`).toBeDefined();
          const result = await fleetOf(index).prometheus.query(rule!.expr, end);
          const keys = [...new Set(result.result.map((s) => objectKeyOf(config, s.metric)))].sort();
          expect(keys).toEqual(keysOf(config, expected()));
          expect(keys.length).toBeGreaterThan(0);
        });
      }

      it('each Grafana-managed rule fires for exactly the series its Prometheus rule fires for', async () => {
        const { prometheus } = fleetOf(index);
        const grafanaRules = grafanaRuleGroups(
          config,
          { prometheusDatasourceUid: 'prometheus' },
          alertSet(config),
          dashboardPanelIds(config),
        ).groups[0]!.rules!;
        expect(grafanaRules.map((rule) => rule.title)).toEqual(rules.map((rule) => rule.alert));
        let firing = 0;
        for (const rule of rules) {
          const grafanaRule = grafanaRules.find((candidate) => candidate.title === rule.alert)!;
          const condition = conditionOf(grafanaRule);
          const grafanaResult = await prometheus.query(queryExprOf(grafanaRule, condition.ref), end);
          const fired = grafanaResult.result
            .filter((series) => condition.fires(Number(series.value![1])))
            .map((series) => JSON.stringify(series.metric));
          const expected = (await prometheus.query(rule.expr, end)).result.map((series) =>
            JSON.stringify(series.metric),
          );
          expect(fired.sort(), rule.alert).toEqual(expected.sort());
          firing += fired.length;
        }
        expect(firing).toBeGreaterThan(0);
      });

      it('FluxSystemDown fires for exactly the controllers that are down', async () => {
        const { fleet, prometheus } = fleetOf(index);
        const rule = rules.find((r) => r.alert === 'FluxSystemDown');
        expect(rule).toBeDefined();
        const result = await prometheus.query(rule!.expr, end);
        const fired = result.result
          .map((s) => `${clusterOf(config, s.metric)}|${s.metric.deployment ?? '(no deployment)'}`)
          .sort();
        const down = fleet.pods
          .filter((pod) => pod.downAt !== null)
          .map((pod) => `${clusterKey(config, pod)}|${pod.deployment}`)
          .sort();
        expect([...new Set(fired)]).toEqual(down);
      });

      const operatorCase =
        'no controller alert names the Flux Operator, which fails, saturates, restarts and nears its memory limit';
      it(operatorCase, async () => {
        const { fleet, prometheus } = fleetOf(index);
        const operatorPods = new Set(fleet.operators.map((operator) => operator.pod));
        const named: string[] = [];
        for (const rule of rules.filter((r) => controllerAlerts.includes(r.alert))) {
          const result = await prometheus.query(rule.expr, end);
          for (const series of result.result) {
            const { pod, controller, deployment } = series.metric;
            if (
              (pod && operatorPods.has(pod)) ||
              fluxOperator.controllers.some((c) => c === controller) ||
              deployment === fluxOperator.deployment
            ) {
              named.push(`${rule.alert}: ${JSON.stringify(series.metric)}`);
            }
          }
        }
        expect(named).toEqual([]);
      });
    });

    it('the controllers table shows each Flux controller and the Flux Operator as what it is', async () => {
      const { fleet, prometheus } = fleetOf(index);
      const dashboard = dashboardsOf(config).find((d) => d.uid === 'flux-control-plane')!;
      const variables = await resolveVariables(dashboard, prometheus, range);
      const targets = prometheusTargets(dashboard).filter((t) => t.panelTitle === 'Controllers and versions');
      expect(targets.length).toBe(2);
      for (const target of targets) {
        const run = await runTarget(prometheus, target, variables, range, scrapeInterval);
        const rows = run.series
          .map((s) => `${clusterOf(config, s.metric)}|${s.metric.component}|${s.metric.deployment}`)
          .sort();
        const expected = [
          ...fleet.pods.map((pod) => `${clusterKey(config, pod)}|Flux controller|${pod.deployment}`),
          ...fleet.operators.map(
            (operator) => `${clusterKey(config, operator)}|Flux Operator|${fluxOperator.deployment}`,
          ),
        ].sort();
        expect(rows, target.refId).toEqual(expected);
      }
    });

    if (config.flavor === 'flux-operator') {
      it('the Flux Operator row shows the fleet\'s FluxInstance, operator and ResourceSets', async () => {
        const { fleet, prometheus } = fleetOf(index);
        const dashboard = dashboardsOf(config).find((d) => d.uid === 'flux-cluster')!;
        const variables = await resolveVariables(dashboard, prometheus, range);
        const rowsOf = async (title: string, read: (labels: Record<string, string>) => string) => {
          const [target] = prometheusTargets(dashboard).filter((t) => t.panelTitle === title);
          expect(target, title).toBeDefined();
          const run = await runTarget(prometheus, target!, variables, range, scrapeInterval);
          return run.series.map((s) => `${clusterOf(config, s.metric)}|${read(s.metric)}`).sort();
        };
        const byCluster = <T,>(pick: (operator: Fleet['operators'][number]) => T[], read: (item: T) => string) =>
          fleet.operators
            .flatMap((operator) => pick(operator).map((item) => `${clusterKey(config, operator)}|${read(item)}`))
            .sort();
        expect(await rowsOf('Flux instance', (l) => `${l.name} ${l.revision} ${l.registry} ${l.ready}`))
          .toEqual(byCluster((o) => [o.instanceObject], (i) => `${i.name} ${i.revision} ${i.registry} ${i.ready}`));
        expect(await rowsOf('Flux Operator', (l) => l.version!)).toEqual(byCluster((o) => [o.version], (v) => v));
        expect(await rowsOf('ResourceSets', (l) => `${l.name} ${l.ready} ${l.resources}`))
          .toEqual(byCluster((o) => o.resourceSets, (r) => `${r.name} ${r.ready} ${r.resources}`));
        expect(await rowsOf('ResourceSet input providers', (l) => `${l.name} ${l.suspended}`))
          .toEqual(byCluster((o) => o.inputProviders, (p) => `${p.name} ${p.suspended ? 'True' : 'False'}`));
      });
    }
  });
});

/** The alerts about the controllers themselves, which the Flux Operator's pod must never trip. */
const controllerAlerts = [
  'FluxSystemDown',
  'FluxControllerCrashLooping',
  'FluxControllerMemoryNearLimit',
  'FluxReconcileErrorsHigh',
  'FluxWorkQueueBackingUp',
];

const seriesKey = (series: PromSeries) => JSON.stringify(Object.entries(series.metric).sort());
const pointsOf = (series: PromSeries): Array<[number, string]> => series.values ?? (series.value ? [series.value] : []);
const sameValue = (a: string, b: string) =>
  a === b || Math.abs(Number(a) - Number(b)) <= 1e-9 * Math.max(1, Math.abs(Number(a)), Math.abs(Number(b)));
/** Backfilled recorded series carry no staleness markers: after a series ends it is still read for the lookback. */
const lookbackSeconds = 300;

/**
 * Where the recorded draw differs from the raw one drawn `lag` seconds earlier (at the rules' evaluations): each raw
 * point must be there with the same value (to float rounding); a recorded point the raw draw lacks may only trail a
 * raw series' end by the lookback.
 */
function differences(where: string, raw: PromSeries[], recorded: PromSeries[], lag: number): string[] {
  const problems: string[] = [];
  const recordedByKey = new Map(recorded.map((series) => [seriesKey(series), series]));
  if (raw.length === 0) problems.push(`${where}: the raw draw returned no series to compare`);
  for (const series of raw) {
    const twin = recordedByKey.get(seriesKey(series));
    if (!twin) {
      problems.push(`${where}: no recorded series ${seriesKey(series)}`);
      continue;
    }
    const twinPoints = new Map(pointsOf(twin).map(([time, value]) => [time, value]));
    const rawPoints = pointsOf(series).map(([time, value]): [number, string] => [Math.round(time + lag), value]);
    for (const [time, value] of rawPoints) {
      const other = twinPoints.get(time);
      if (other !== undefined && sameValue(value, other)) continue;
      problems.push(`${where} ${seriesKey(series)} at ${time}: raw ${value}, recorded ${other}`);
    }
    const rawTimes = new Set(rawPoints.map(([time]) => time));
    const lastRaw = Math.max(...rawTimes);
    for (const [time] of pointsOf(twin)) {
      if (rawTimes.has(time) || time <= lastRaw + lookbackSeconds) continue;
      problems.push(`${where} ${seriesKey(series)}: recorded point at ${time} after the raw series ended`);
    }
    recordedByKey.delete(seriesKey(series));
  }
  for (const key of recordedByKey.keys()) problems.push(`${where}: recorded series ${key} has no raw twin`);
  return problems.slice(0, 20);
}

interface RuleFile {
  groups: Array<{ name: string; rules: Array<{ alert?: string; record?: string; expr: string }> }>;
}

function alertRulesOf(config: Config): Array<{ alert: string; expr: string }> {
  const text = alertArtifacts(config).files.get(outputFiles.ruleFile);
  if (!text) return [];
  const file = parse(text) as RuleFile;
  return file.groups.flatMap((group) =>
    group.rules.filter((rule) => rule.alert).map((rule) => ({ alert: rule.alert!, expr: rule.expr })),
  );
}
