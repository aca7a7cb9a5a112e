/**
 * Grafana-managed alert rules: every Prometheus and log alert rule is there with the same expression, `for`, labels and
 * annotations, linked to the panel that shows it, valid against Grafana's published alerting schema, and written as a
 * provisioning file, a sidecar ConfigMap and grafana-operator objects; without a datasource uid the build refuses
 * (the command's answer: grafana-alerting.e2e.test.ts).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  alertSet,
  durationText,
  grafanaAlertingArtifacts,
  grafanaAlertingFiles,
  grafanaRuleGroups,
  provisioningFile,
  provisioningGroups,
  ruleUid,
  seriesExistsCondition,
  type Alert,
} from '../../alerts';
import { grafanaTemplate } from '../../alerts/grafana-managed';
import { resolveConfig, type Config, type GrafanaAlertingConfig } from '../../config';
import { readAlertRuleFile } from '../../deploy/alert-rules';
import { buildDashboardSet, dashboardPanelIds, dashboardSpecs, type PanelJson } from '../../dashboards';
import { linkedPanels } from '../../model';
import { renderArtifacts } from '../../build/render';
import { configMatrix } from '../configs';

const root = join(import.meta.dirname, '../..');
const schema = JSON.parse(readFileSync(join(root, 'test/schemas/alerting.jsonschema.json'), 'utf8')) as object;
const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
ajv.addSchema(schema, 'alerting');
const validateGroup = ajv.getSchema('alerting#/definitions/RuleGroup')!;

/** The text in a file of a fresh temporary folder, for `deploy`'s reader. */
function writeTemporary(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'flux-provisioning-')), 'flux-alerts.yaml');
  writeFileSync(path, text);
  return path;
}

const withLoki: GrafanaAlertingConfig = {
  prometheusDatasourceUid: 'prom-uid',
  lokiDatasourceUid: 'loki-uid',
  folder: 'Flux alerts',
};
const setups = [
  ...configMatrix.map(({ name, config }) => ({
    name,
    config: { ...config, alerts: { ...config.alerts, grafana: withLoki } },
  })),
  {
    name: 'Alloy, k8s-monitoring 3 (pod in structured metadata)',
    config: resolveConfig({ loki: { preset: 'alloy-k8s-monitoring-v3-plus' }, alerts: { grafana: withLoki } }),
  },
];

const panelsOf = (panels: PanelJson[]): PanelJson[] =>
  panels.flatMap((panel) => [panel, ...panelsOf(panel.panels ?? [])]);

/** Each keyed panel as its dashboard's spec builds it, found by key: what the alert's panel id must lead to. */
function keyedPanels(config: Config) {
  const cells = dashboardSpecs(config).flatMap((spec) => spec.rows.flatMap((row) => row.cells));
  return new Map(cells.flatMap(({ key, panel }) => (key ? [[key, panel.build()] as const] : [])));
}

describe.each(setups)('Grafana-managed rules ($name)', ({ config }) => {
  const { dashboards, panelIds } = buildDashboardSet(config);
  const alerts = alertSet(config);
  const { groups, folder } = grafanaRuleGroups(config, config.alerts.grafana!, alerts, panelIds);
  const prometheusRules = alerts.prometheus;
  const logRules = alerts.loki;
  const grafanaRules = groups.flatMap((group) => group.rules ?? []);

  it('every rule group validates against the alerting schema Grafana publishes with its foundation SDK', () => {
    expect(groups.length).toBe(2);
    for (const group of groups) expect(validateGroup(group), JSON.stringify(validateGroup.errors)).toBe(true);
    const broken = structuredClone(groups[0]!);
    Object.assign(broken.rules![0]!, { noDataState: 'Silent', severity: 'critical' });
    expect(validateGroup(broken)).toBe(false);
  });

  it('has every Prometheus rule over the Prometheus datasource and every log rule over the Loki datasource', () => {
    const byDatasource = (uid: string) =>
      grafanaRules.filter((rule) => rule.data[0]!.datasourceUid === uid).map((rule) => rule.title);
    expect(byDatasource('prom-uid')).toEqual(prometheusRules.map((rule) => rule.name));
    expect(byDatasource('loki-uid')).toEqual(logRules.map((rule) => rule.name));
  });

  it.each([...prometheusRules, ...logRules].map((rule) => [rule.name, rule] as [string, Alert]))(
    '%s: same expression, for, severity and annotations, firing for every series the expression returns',
    (_alert, rule) => {
      const grafanaRule = grafanaRules.find((candidate) => candidate.title === rule.name)!;
      expect(grafanaRule.uid).toBe(ruleUid(rule.name));
      expect(grafanaRule.for).toBe(durationText(rule.for));
      expect(grafanaRule.labels).toEqual({ severity: rule.severity });
      const [query, condition] = grafanaRule.data;
      const model = query!.model as unknown as Record<string, unknown>;
      expect(model.expr).toBe(rule.query.expr);
      expect(model.instant).toBe(true);
      expect(model.range).toBe(false);
      const datasourceType = rule.query.language === 'promql' ? 'prometheus' : 'loki';
      expect((model.datasource as { type: string }).type).toBe(datasourceType);
      expect(grafanaRule.condition).toBe(condition!.refId);
      expect(condition!.datasourceUid).toBe('__expr__');
      expect(condition!.model).toMatchObject({ type: 'math', expression: seriesExistsCondition });
      expect(grafanaRule.noDataState).toBe('OK');
      expect(grafanaRule.execErrState).toBe('Error');
      const annotations = grafanaRule.annotations!;
      expect(annotations.summary).toBe(rule.summary);
      expect(annotations.description).toBe(grafanaTemplate(rule.description));
      expect(annotations.description).not.toMatch(/\$value\b(?!s)/);
      expect(annotations.dashboard_url).toBe(rule.dashboardUrl);
      expect(grafanaRule.folderUID).toBe(groups[0]!.folderUid);
    },
  );

  it('links every rule to its keyed panel: the built dashboard’s panel at that id is the one the key marks', () => {
    const keyed = keyedPanels(config);
    for (const alert of [...prometheusRules, ...logRules]) {
      const rule = grafanaRules.find((candidate) => candidate.title === alert.name)!;
      expect(rule.annotations!.__dashboardUid__, alert.name).toBe(linkedPanels[alert.panel].uid);
      const dashboard = dashboards.find((d) => d.uid === rule.annotations!.__dashboardUid__)!;
      const panel = panelsOf(dashboard.panels).find((p) => String(p.id) === rule.annotations!.__panelId__);
      const wanted = keyed.get(alert.panel)!;
      expect(panel && [panel.title, panel.type, panel.targets], alert.name).toEqual(
        [wanted.title, wanted.type, JSON.parse(JSON.stringify(wanted.targets))],
      );
    }
  });

  it('writes a provisioning file: apiVersion 1, the configured folder, rules without folder or group fields', () => {
    const file = provisioningFile({ folder, folderUid: 'x', groups }, 60);
    expect(file.apiVersion).toBe(1);
    expect(file.groups.map((group) => [group.name, group.folder, group.interval])).toEqual([
      ['flux', 'Flux alerts', '1m'],
      ['flux-logs', 'Flux alerts', '1m'],
    ]);
    expect(Object.keys(file.groups[0]!.rules[0]!).sort()).toEqual(
      [
        'annotations',
        'condition',
        'data',
        'execErrState',
        'for',
        'isPaused',
        'labels',
        'noDataState',
        'title',
        'uid',
      ].sort(),
    );
  });

  it('has unique rule uids Grafana and grafana-operator accept, no $ where Grafana expands variables', () => {
    const uids = grafanaRules.map((rule) => rule.uid!);
    expect(new Set(uids).size).toBe(uids.length);
    // Grafana wants rule titles unique within a folder, and both groups share one.
    expect(new Set(grafanaRules.map((rule) => rule.title)).size).toBe(grafanaRules.length);
    for (const uid of uids) expect(uid).toMatch(/^[a-zA-Z0-9-_]{1,40}$/);
    // Provisioning files expand $VAR in labels, titles and folders (annotations and query models are left alone).
    for (const rule of grafanaRules)
      expect(JSON.stringify([rule.labels, rule.title, rule.ruleGroup])).not.toContain('$');
  });
});

describe('Kubernetes outputs of the Grafana-managed rules', () => {
  const config = resolveConfig({ alerts: { grafana: withLoki } });
  const artifacts = grafanaAlertingArtifacts(config, alertSet(config), dashboardPanelIds(config));
  const provisioning = artifacts.get(grafanaAlertingFiles.provisioning)!;

  it('writes the provisioning file deploy reads back: the same groups, through the one module of its shape', () => {
    const groups = readAlertRuleFile(writeTemporary(provisioning));
    expect(groups).toEqual(provisioningGroups(parse(provisioning), 'file'));
    expect(groups.map((group) => group.rules.length)).toEqual([alertSet(config).prometheus.length, 3]);
    expect(() => provisioningGroups({ apiVersion: 2, groups }, 'old.yaml')).toThrow(/^old\.yaml is not a Grafana/);
  });

  it('puts the provisioning file, byte for byte, in a ConfigMap the Grafana sidecar loads', () => {
    const configMap = parse(artifacts.get(`${grafanaAlertingFiles.sidecarFolder}/flux-alerts.configmap.yaml`)!) as {
      metadata: { labels: Record<string, string> };
      data: Record<string, string>;
    };
    expect(configMap.metadata.labels.grafana_alert).toBe('1');
    expect(configMap.metadata.labels['kustomize.toolkit.fluxcd.io/substitute']).toBe('disabled');
    expect(configMap.data['flux-alerts.yaml']).toBe(provisioning);
  });

  it('gives grafana-operator a GrafanaFolder and a GrafanaAlertRuleGroup per group, with the CRD fields', () => {
    const folder = parse(artifacts.get(`${grafanaAlertingFiles.operatorFolder}/flux-alerts.grafanafolder.yaml`)!);
    expect(folder).toMatchObject({
      kind: 'GrafanaFolder',
      spec: { title: 'Flux alerts', instanceSelector: { matchLabels: { dashboards: 'grafana' } } },
    });
    const file = parse(provisioning) as ReturnType<typeof provisioningFile>;
    for (const group of file.groups) {
      const object = parse(
        artifacts.get(`${grafanaAlertingFiles.operatorFolder}/${group.name}.grafanaalertrulegroup.yaml`)!,
      ) as {
        apiVersion: string;
        kind: string;
        spec: Record<string, unknown> & { rules: Array<Record<string, unknown>> };
      };
      expect(object.apiVersion).toBe('grafana.integreatly.org/v1beta1');
      expect(object.kind).toBe('GrafanaAlertRuleGroup');
      // Exactly one of folderUID and folderRef (the CRD's validation rule); interval and each rule's for are durations.
      expect(object.spec.folderRef).toBe(folder.metadata.name);
      expect(object.spec.folderUID).toBeUndefined();
      const duration = /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/;
      expect(object.spec.interval).toMatch(duration);
      expect(object.spec.rules).toEqual(group.rules);
      for (const rule of object.spec.rules) {
        expect(rule.for).toMatch(duration);
        expect(['OK', 'Alerting', 'Error', 'KeepLast']).toContain(rule.execErrState);
        expect(['Alerting', 'NoData', 'OK', 'KeepLast']).toContain(rule.noDataState);
      }
    }
    const kustomization = parse(artifacts.get(`${grafanaAlertingFiles.operatorFolder}/kustomization.yaml`)!) as {
      resources: string[];
    };
    expect(kustomization.resources).toEqual([
      'flux-alerts.grafanafolder.yaml',
      'flux-logs.grafanaalertrulegroup.yaml',
      'flux.grafanaalertrulegroup.yaml',
    ]);
  });

  it('keeps the Grafana-managed rules out of the kustomizations that install the PrometheusRule', () => {
    const all = renderArtifacts(config);
    for (const folder of ['kubernetes', 'grafana-operator']) {
      const resources = (parse(all.get(`${folder}/kustomization.yaml`)!) as { resources: string[] }).resources;
      expect(resources).toContain('prometheusrule.yaml');
      expect(resources.some((name) => name.includes('flux-alerts') || name.includes('alertrulegroup'))).toBe(false);
    }
  });
});

describe('which Grafana-managed outputs the configuration asks for', () => {
  it('the default build has the Prometheus group over kube-prometheus-stack’s datasource uid, no log group', () => {
    const file = parse(renderArtifacts(resolveConfig()).get(grafanaAlertingFiles.provisioning)!) as ReturnType<
      typeof provisioningFile
    >;
    expect(file.groups.map((group) => group.name)).toEqual(['flux']);
    expect(new Set(file.groups[0]!.rules.map((rule) => rule.data[0]!.datasourceUid))).toEqual(new Set(['prometheus']));
    expect(file.groups[0]!.folder).toBe('Flux');
  });

  it('alerts.grafana: null builds everything else and no Grafana-managed file', () => {
    const artifacts = renderArtifacts(resolveConfig({ alerts: { grafana: null } }));
    expect([...artifacts.keys()].filter((path) => path.startsWith('grafana-alerting/'))).toEqual([]);
    expect(artifacts.has('prometheus/flux-alerts.yaml')).toBe(true);
    expect(artifacts.has('loki/flux-log-alerts.yaml')).toBe(true);
    expect(artifacts.has('grafana/flux-cluster.json')).toBe(true);
  });

  it('an empty datasource uid given from code is refused with the option to set', () => {
    const config = {
      ...resolveConfig(),
      alerts: { ...resolveConfig().alerts, grafana: { prometheusDatasourceUid: '' } },
    } as Config;
    expect(() => renderArtifacts(config)).toThrow(
      /^alerts\.grafana\.prometheusDatasourceUid is empty: .*set alerts\.grafana: null$/,
    );
  });
});
