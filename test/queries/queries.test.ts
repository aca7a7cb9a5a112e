/**
 * Every query of every dashboard, under every configuration: it parses as Grafana sends it, names catalogued metrics
 * and labels only, reads counters through rate over `$__rate_interval`, selects clusters as configured, and its
 * legend names labels its result keeps. The checkers themselves are proven on bad queries at the end.
 */
import { describe, expect, it } from 'vitest';
import { buildDashboards, type DashboardJson } from '../../dashboards';
import type { Config } from '../../config';
import { configMatrix } from '../configs';
import { parseLabelValues, substitute, variableValues } from '../helpers/grafana-variables';
import { checkLogql, logqlParseProblems, lokiSettings, type LogqlSettings } from '../helpers/logql';
import { checkPromql, legendLabels, parseProblems } from '../helpers/promql';
import { allTargets } from '../helpers/targets';

interface VariableJson {
  name: string;
  type: string;
  query?: unknown;
  datasource?: { type?: string };
}

const variablesOf = (dashboard: DashboardJson) => ((dashboard.templating as { list: VariableJson[] }).list ?? []);

const queryText = (query: unknown) =>
  typeof query === 'string' ? query : String((query as { query?: unknown }).query ?? '');

function missingLegendLabels(legend: unknown, kept: Set<string> | null): string[] {
  if (typeof legend !== 'string') return [];
  return legendLabels(legend).filter((label) => !kept?.has(label));
}

describe.each(configMatrix)('queries under $name', ({ config }) => {
  const dashboards = buildDashboards(config);

  describe.each(dashboards.map((dashboard) => ({ uid: dashboard.uid, dashboard })))('$uid', ({ dashboard }) => {
    const everyTarget = allTargets(dashboard);
    // A panel reusing another's results, and a server-side expression, send no PromQL: checked below.
    const builtIn = new Set(['datasource', '__expr__']);
    const targets = everyTarget.filter(({ panel }) => !builtIn.has(panel.datasourceType ?? ''));
    const values = variableValues(dashboard);
    const named = targets.map(({ panel, target }) => ({
      name: `${panel.title} ${String(target.refId)}`,
      panel,
      target,
      expr: String(target.expr),
    }));

    it('has queries, each on a Prometheus or Loki datasource', () => {
      expect(targets.length).toBeGreaterThan(0);
      for (const { panel } of targets) expect(['prometheus', 'loki']).toContain(panel.datasourceType);
    });

    it('reuses only panels that fetch Prometheus series, and expressions name only their panel\'s queries', () => {
      const prometheusPanels = new Set(targets.filter(({ panel }) => panel.datasourceType === 'prometheus')
        .map(({ panel }) => panel.id));
      for (const { panel, target } of everyTarget.filter((t) => t.panel.datasourceType === 'datasource')) {
        expect(prometheusPanels, `${panel.title} reuses panel ${String(target.panelId)}`).toContain(target.panelId);
        expect(target.panelId, `${panel.title} reuses itself`).not.toBe(panel.id);
      }
      for (const { panel, target } of everyTarget.filter((t) => t.panel.datasourceType === '__expr__')) {
        const own = new Set(targets.filter((t) => t.panel.id === panel.id).map((t) => `$${String(t.target.refId)}`));
        const named = String(target.expression).match(/\$[A-Z]+/g) ?? [];
        expect(named.length, `${panel.title}: ${String(target.expression)}`).toBeGreaterThan(0);
        for (const ref of named) expect(own, `${panel.title}: ${String(target.expression)}`).toContain(ref);
      }
    });

    it.each(named)('$name parses once Grafana has substituted its variables', ({ panel, expr }) => {
      const sent = substitute(expr, values);
      expect(sent).not.toMatch(/\$[A-Za-z_{]/);
      const problems = panel.datasourceType === 'loki' ? logqlParseProblems(sent) : parseProblems(sent);
      expect(problems).toEqual([]);
    });

    it.each(named)(
      '$name uses catalogued metrics and labels, rate windows and cluster matchers correctly',
      ({ panel, target, expr }) => {
        const report =
          panel.datasourceType === 'loki' ? checkLogql(expr, lokiSettings(config)) : checkPromql(expr, config);
        expect(report.problems).toEqual([]);
        expect(missingLegendLabels(target.legendFormat, report.resultLabels)).toEqual([]);
      },
    );

    it('has no variable query that fails to parse or names what the series lack', () => {
      const queryVariables = variablesOf(dashboard).filter((variable) => variable.type === 'query');
      expect(queryVariables.length).toBeGreaterThan(0);
      for (const variable of queryVariables) {
        const query = queryText(variable.query);
        const labelValues = parseLabelValues(query);
        expect(labelValues, `${variable.name}: ${query}`).toBeDefined();
        const { selector, label } = labelValues!;
        const sent = substitute(selector, values);
        if (variable.datasource?.type === 'loki') {
          expect(logqlParseProblems(sent)).toEqual([]);
          expect(checkLogql(selector, lokiSettings(config)).problems).toEqual([]);
          expect(lokiSettings(config).streamLabels).toContain(label);
        } else {
          expect(parseProblems(sent)).toEqual([]);
          const report = checkPromql(selector, config, {
            listsClusters: variable.name === 'cluster',
            seriesSelector: true,
          });
          expect(report.problems, variable.name).toEqual([]);
          expect([...(report.resultLabels ?? [])], `${variable.name} lists ${label}`).toContain(label);
        }
      }
    });
  });

  it('has no increase(...[1m]) in any query', () => {
    const exprs = dashboards.flatMap((dashboard) => allTargets(dashboard).map(({ target }) => String(target.expr)));
    const oneMinuteIncrease = /increase\s*\([^[]*\[\s*1m\s*\]/;
    expect(oneMinuteIncrease.test('sum(increase(gotk_reconcile_duration_seconds_count{kind="A"}[1m]))')).toBe(true);
    expect(exprs.filter((expr) => oneMinuteIncrease.test(expr))).toEqual([]);
  });
});

const multiCluster = configMatrix.find(
  ({ config }) =>
    config.clusterLabel === 'cluster' &&
    config.flavor === 'kube-state-metrics' &&
    config.objectNamespaceLabel === 'exported_namespace',
)!.config;
const singleCluster = { ...multiCluster, clusterLabel: null };
const honorLabels = { ...multiCluster, objectNamespaceLabel: 'namespace' as const };
const legacy = { ...multiCluster, flavor: 'legacy' as const };
const operator = { ...multiCluster, flavor: 'flux-operator' as const };

describe('the PromQL checks catch', () => {
  const cases: Array<{ what: string; expr: string; config: Config; problem: RegExp }> = [
    {
      what: 'a query that does not parse',
      expr: 'sum by (pod (up{cluster=~"$cluster"})',
      config: multiCluster,
      problem: /does not parse/,
    },
    {
      what: 'an unknown metric',
      expr: 'flux_made_up{cluster=~"$cluster"}',
      config: multiCluster,
      problem: /flux_made_up is not in model\/catalogue\.ts/,
    },
    {
      what: 'a histogram read by its bare name',
      expr: 'workqueue_queue_duration_seconds{cluster=~"$cluster"}',
      config: multiCluster,
      problem: /read through its _bucket/,
    },
    {
      what: 'a label the metric lacks',
      expr: 'up{cluster=~"$cluster",controller="x"}',
      config: multiCluster,
      problem: /up has no label\(s\) controller/,
    },
    {
      what: 'exported_namespace under honor_labels',
      expr: 'rate(gotk_reconcile_duration_seconds_count{cluster=~"$cluster",exported_namespace=~"$exported_namespace"' +
        '}[$__rate_interval])',
      config: honorLabels,
      problem: /no label\(s\) exported_namespace/,
    },
    {
      what: 'grouping by a label the series lack',
      expr: 'sum by (cluster, result) ' +
        '(rate(controller_runtime_reconcile_errors_total{cluster=~"$cluster"}[$__rate_interval]))',
      config: multiCluster,
      problem: /sum by label\(s\) result/,
    },
    {
      what: 'grouping away a label a later clause needs',
      expr: 'histogram_quantile(0.9, sum by (cluster) ' +
        '(rate(workqueue_queue_duration_seconds_bucket{cluster=~"$cluster"}[$__rate_interval])))',
      config: multiCluster,
      problem: /needs label\(s\) le/,
    },
    {
      what: 'on() naming a label one side lacks',
      expr: 'sum by (cluster, pod) (up{cluster=~"$cluster"}) / on (cluster, controller) sum by (cluster, controller) ' +
        '(controller_runtime_active_workers{cluster=~"$cluster"})',
      config: multiCluster,
      problem: /on\(\) matches left-hand label\(s\) controller/,
    },
    {
      what: 'group_left copying a label the right side lacks',
      expr: 'up{cluster=~"$cluster"} * on (cluster, pod) group_left (version) go_goroutines{cluster=~"$cluster"}',
      config: multiCluster,
      problem: /group_left copies right-hand label\(s\) version/,
    },
    {
      what: 'series grouped differently on both sides',
      expr: 'sum by (cluster) (up{cluster=~"$cluster"}) / sum by (cluster, pod) (up{cluster=~"$cluster"})',
      config: multiCluster,
      problem: /grouped differently/,
    },
    {
      what: 'a bare counter',
      expr: 'sum(controller_runtime_reconcile_total{cluster=~"$cluster"})',
      config: multiCluster,
      problem: /counter controller_runtime_reconcile_total outside rate/,
    },
    {
      what: 'a counter under a function other than rate',
      expr: 'max_over_time(workqueue_adds_total{cluster=~"$cluster"}[$__rate_interval])',
      config: multiCluster,
      problem: /counter workqueue_adds_total outside rate/,
    },
    {
      what: 'a rate over [1m]',
      expr: 'rate(controller_runtime_reconcile_total{cluster=~"$cluster"}[1m])',
      config: multiCluster,
      problem: /rate window \[1m\] is not \$__rate_interval/,
    },
    {
      what: 'a rate over the whole range',
      expr: 'rate(controller_runtime_reconcile_total{cluster=~"$cluster"}[$__range])',
      config: multiCluster,
      problem: /rate window .* is not \$__rate_interval/,
    },
    {
      what: 'increase over [1m]',
      expr: 'increase(controller_runtime_reconcile_total{cluster=~"$cluster"}[1m])',
      config: multiCluster,
      problem: /fixed range window/,
    },
    {
      what: 'a missing cluster matcher',
      expr: 'sum(up{namespace=~"$namespace"})',
      config: multiCluster,
      problem: /lacks cluster=~"\$cluster"/,
    },
    {
      what: 'a cluster matcher on a fixed value',
      expr: 'up{cluster="prod"}',
      config: multiCluster,
      problem: /lacks cluster=~"\$cluster"/,
    },
    {
      what: 'a cluster matcher without a cluster label',
      expr: 'up{cluster=~"$cluster"}',
      config: singleCluster,
      problem: /cluster matcher without a cluster label/,
    },
    {
      what: 'a removed metric outside the legacy flavour',
      expr: 'gotk_reconcile_condition{cluster=~"$cluster"}',
      config: multiCluster,
      problem: /only the legacy flavour/,
    },
    {
      what: 'gotk_resource_info in the legacy flavour',
      expr: 'gotk_resource_info{cluster=~"$cluster"}',
      config: legacy,
      problem: /never reads gotk_resource_info/,
    },
    {
      what: 'gotk_resource_info in the flux-operator flavour',
      expr: 'gotk_resource_info{cluster=~"$cluster"}',
      config: operator,
      problem: /never reads gotk_resource_info/,
    },
    {
      what: 'flux_resource_info outside the flux-operator flavour',
      expr: 'flux_resource_info{cluster=~"$cluster"}',
      config: multiCluster,
      problem: /never reads flux_resource_info/,
    },
    {
      what: 'a label flux_resource_info lacks',
      expr: 'flux_resource_info{cluster=~"$cluster",stalled="True"}',
      config: operator,
      problem: /no label\(s\) stalled/,
    },
  ];

  it.each(cases)('$what', ({ expr, config, problem }) => {
    const { problems } = checkPromql(expr, config);
    expect(problems.some((found) => problem.test(found)), problems.join('\n')).toBe(true);
  });

  it('but accepts labels label_replace creates, and reports them as kept for the legend', () => {
    const expr =
      'sum by (cluster, deployment) ' +
      '(label_replace(up{cluster=~"$cluster"}, "deployment", "$1", "pod", "(.+)-[a-z0-9]+"))';
    const report = checkPromql(expr, multiCluster);
    expect(report.problems).toEqual([]);
    expect(missingLegendLabels('{{cluster}} {{deployment}}', report.resultLabels)).toEqual([]);
    expect(missingLegendLabels('{{pod}}', report.resultLabels)).toEqual(['pod']);
  });

  it('and a label_replace that reads a label the series lack', () => {
    const expr = 'label_replace(sum by (cluster) (up{cluster=~"$cluster"}), "deployment", "$1", "pod", "(.+)")';
    expect(checkPromql(expr, multiCluster).problems.join('\n')).toMatch(/label_replace reads label\(s\) pod/);
  });

  it('and a variable the dashboard does not define', () => {
    expect(() => substitute('up{pod=~"$undefined_variable"}', { cluster: '.*' })).toThrow(/\$undefined_variable/);
    expect(
      substitute('label_replace(up{cluster=~"${cluster}"}[$__rate_interval], "a", "$1", "b", "c")', { cluster: '.*' }),
    ).toBe('label_replace(up{cluster=~".*"}[1m0s], "a", "$1", "b", "c")');
  });
});

describe('the LogQL checks catch', () => {
  const settings: LogqlSettings = { clusterLabel: 'cluster', streamLabels: ['namespace', 'app'] };
  const cases: Array<{ what: string; expr: string; settings: LogqlSettings; problem: RegExp }> = [
    {
      what: 'a query that does not parse',
      expr: '{namespace="flux-system", cluster=~"$cluster"} | json |=',
      settings,
      problem: /does not parse/,
    },
    {
      what: 'a fixed range',
      expr: 'count_over_time({namespace="flux-system", cluster=~"$cluster"} [5m])',
      settings,
      problem: /range \[5m\] is not \$__auto/,
    },
    {
      what: 'a missing cluster matcher',
      expr: '{namespace="flux-system"}',
      settings,
      problem: /lacks cluster=~"\$cluster"/,
    },
    {
      what: 'a cluster matcher without a cluster label',
      expr: '{namespace="flux-system", cluster=~"$cluster"}',
      settings: { ...settings, clusterLabel: null },
      problem: /without a cluster label/,
    },
    {
      what: 'a stream label the shipper does not write',
      expr: '{k8s_namespace_name="flux-system", cluster=~"$cluster"}',
      settings,
      problem: /stream label k8s_namespace_name/,
    },
    {
      what: 'grouping by a label neither streamed nor extracted',
      expr: 'sum by (pod) (count_over_time({namespace="flux-system", cluster=~"$cluster"} [$__auto]))',
      settings,
      problem: /sum by \(pod\)/,
    },
    {
      what: 'a metric query over | json keeping unparsed lines',
      expr: 'sum by (level) (count_over_time({namespace="flux-system", cluster=~"$cluster"} | json level="level" ' +
        '[$__auto]))',
      settings,
      problem: /add \| __error__=""/,
    },
    {
      what: 'structured metadata in the selector',
      expr: '{namespace="flux-system", pod=~"x-.*", cluster=~"$cluster"}',
      settings: { ...settings, streamLabels: ['namespace'], structuredMetadata: ['pod'] },
      problem: /pod is structured metadata, not a stream label/,
    },
    {
      what: 'a label filter on a label nobody writes',
      expr: '{namespace="flux-system", cluster=~"$cluster"} | pod=~"x-.*"',
      settings,
      problem: /label filter on pod/,
    },
  ];

  it.each(cases)('$what', ({ expr, settings: checkSettings, problem }) => {
    const { problems } = checkLogql(expr, checkSettings);
    expect(problems.some((found) => problem.test(found)), problems.join('\n')).toBe(true);
  });
});
