/**
 * The lint rules (test/helpers/lint.ts) hold for every dashboard of every configuration, and each catches a broken
 * copy.
 */
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../config';
import { buildDashboards, type DashboardJson } from '../../dashboards';
import { configMatrix } from '../configs';
import { lint, lintRules, type LintRuleName } from '../helpers/lint';
import { allPanels } from '../helpers/targets';

describe.each(configMatrix)('$name', ({ config }) => {
  const dashboards = buildDashboards(config);

  it('builds the four dashboards', () => {
    expect(dashboards.map((dashboard) => dashboard.uid).sort()).toEqual([
      'flux-cluster',
      'flux-control-plane',
      'flux-logs',
      'flux-object',
    ]);
  });

  describe.each(dashboards.map((json) => ({ uid: json.uid, json })))('$uid', ({ json }) => {
    it.each(Object.keys(lintRules) as LintRuleName[])('passes %s', (rule) => {
      expect(lint(json, config)[rule]).toEqual([]);
    });
  });
});

describe('each lint rule catches a broken dashboard', () => {
  const config = resolveConfig();
  const byUid = (uid: string) => structuredClone(buildDashboards(config).find((dashboard) => dashboard.uid === uid)!);
  type Panel = Record<string, any>;
  const firstOfType = (dashboard: DashboardJson, type: string) =>
    allPanels(dashboard).find((panel) => panel.type === type) as Panel;
  const collapsedRow = (dashboard: DashboardJson) =>
    dashboard.panels.find((panel) => panel.type === 'row' && panel.collapsed === true) as Panel;
  const variable = (dashboard: DashboardJson, name: string) =>
    (dashboard.templating as { list: Array<Record<string, unknown>> }).list.find((v) => v.name === name)!;

  const cases: Array<{ rule: LintRuleName; what: string; uid?: string; breakIt: (dashboard: DashboardJson) => void }> =
    [
      {
        rule: 'panelTitleAndDescription',
        what: 'a panel without description',
        breakIt: (d) => delete firstOfType(d, 'stat').description,
      },
      {
        rule: 'panelTitleAndDescription',
        what: 'a panel without title',
        breakIt: (d) => (firstOfType(d, 'timeseries').title = ''),
      },
      {
        rule: 'panelUnits',
        what: 'a stat without unit',
        breakIt: (d) => delete firstOfType(d, 'stat').fieldConfig.defaults.unit,
      },
      { rule: 'panelIds', what: 'a duplicate panel id', breakIt: (d) => (d.panels[1]!.id = d.panels[0]!.id) },
      { rule: 'panelIds', what: 'a panel id of 0', breakIt: (d) => (d.panels[0]!.id = 0) },
      {
        rule: 'refIds',
        what: 'refIds out of order',
        breakIt: (d) => (allPanels(d).find((p) => (p.targets?.length ?? 0) > 1)!.targets![0]!.refId = 'B'),
      },
      {
        rule: 'gridPositions',
        what: 'a panel past column 24',
        breakIt: (d) => ((d.panels[0] as Panel).gridPos.x = 22),
      },
      {
        rule: 'gridPositions',
        what: 'two panels on the same cell',
        breakIt: (d) => ((d.panels[1] as Panel).gridPos = { ...(d.panels[0] as Panel).gridPos }),
      },
      {
        rule: 'gridPositions',
        what: 'two panels of a collapsed row on the same cell',
        breakIt: (d) => {
          const [a, b] = collapsedRow(d).panels;
          b.gridPos = { ...a.gridPos };
        },
      },
      {
        rule: 'gridPositions',
        what: 'a collapsed row opening its panels away from its header',
        breakIt: (d) => {
          for (const panel of collapsedRow(d).panels) panel.gridPos.y += 3;
        },
      },
      {
        rule: 'gridPositions',
        what: 'an open row holding panels',
        breakIt: (d) => (collapsedRow(d).collapsed = false),
      },
      {
        rule: 'gridPositions',
        what: 'a panel of a collapsed row past column 24',
        breakIt: (d) => (collapsedRow(d).panels[0].gridPos.x = 20),
      },
      {
        rule: 'datasourceReferences',
        what: 'a fixed datasource uid on a target',
        breakIt: (d) => (allPanels(d)[0]!.targets![0]!.datasource = { type: 'prometheus', uid: 'prometheus' }),
      },
      {
        rule: 'datasourceReferences',
        what: 'a Loki panel reading the Prometheus variable',
        uid: 'flux-logs',
        breakIt: (d) => (allPanels(d)[0]!.targets![0]!.datasource = { type: 'loki', uid: '${datasource}' }),
      },
      {
        rule: 'datasourceReferences',
        what: 'a string datasource on a panel',
        breakIt: (d) => ((d.panels[0] as Panel).datasource = 'Prometheus'),
      },
      {
        rule: 'datasourceReferences',
        what: 'the Grafana datasource outside annotations',
        breakIt: (d) => ((d.panels[0] as Panel).datasource = { type: 'grafana', uid: '-- Grafana --' }),
      },
      {
        rule: 'queryVariablesRefreshOnTimeRange',
        what: 'a variable refreshed on load only',
        breakIt: (d) => (variable(d, 'namespace').refresh = 1),
      },
      {
        rule: 'datasourceVariables',
        what: 'a hidden datasource variable',
        breakIt: (d) => (variable(d, 'datasource').hide = 2),
      },
      {
        rule: 'datasourceVariables',
        what: 'a datasource variable labelled otherwise',
        breakIt: (d) => (variable(d, 'datasource').label = 'Prometheus'),
      },
      {
        rule: 'datasourceVariables',
        what: 'a logs dashboard without loki_datasource',
        uid: 'flux-logs',
        breakIt: (d) =>
          ((d.templating as { list: unknown[] }).list = (d.templating as { list: Array<{ name: string }> }).list.filter(
            (v) => v.name !== 'loki_datasource',
          )),
      },
      {
        rule: 'clusterVariable',
        what: 'a cluster variable without All',
        breakIt: (d) => (variable(d, 'cluster').includeAll = false),
      },
      {
        rule: 'namespaceVariable',
        what: 'a namespace defaulting elsewhere',
        breakIt: (d) => (variable(d, 'namespace').current = { value: 'default', text: 'default' }),
      },
      {
        rule: 'clusterDashboardSelections',
        what: 'a single-valued kind',
        uid: 'flux-cluster',
        breakIt: (d) => (variable(d, 'kind').multi = false),
      },
      { rule: 'identity', what: 'another title', breakIt: (d) => (d.title = 'Flux') },
      { rule: 'identity', what: 'extra tags', breakIt: (d) => (d.tags = ['flux', 'gitops']) },
      {
        rule: 'linksToTheOthers',
        what: 'a link that drops the time range',
        breakIt: (d) => ((d.links as Array<Record<string, unknown>>)[0]!.keepTime = false),
      },
      {
        rule: 'annotations',
        what: 'no Flux events annotation',
        breakIt: (d) => ((d.annotations as { list: unknown[] }).list.length = 1),
      },
      {
        rule: 'timeseriesLegends',
        what: 'a hidden legend',
        breakIt: (d) => (firstOfType(d, 'timeseries').options.legend.showLegend = false),
      },
    ];

  it.each(cases)('$rule: $what', ({ rule, uid, breakIt }) => {
    const dashboard = byUid(uid ?? 'flux-control-plane');
    expect(lint(dashboard, config)[rule]).toEqual([]);
    breakIt(dashboard);
    expect(lint(dashboard, config)[rule].length).toBeGreaterThan(0);
  });

  it('the cluster rule: no cluster variable without a cluster label, one with', () => {
    const single = resolveConfig({ clusterLabel: null });
    const withoutLabel = buildDashboards(single)[0]!;
    expect(lint(withoutLabel, config).clusterVariable).not.toEqual([]);
    expect(lint(buildDashboards(config)[0]!, single).clusterVariable).not.toEqual([]);
  });
});
