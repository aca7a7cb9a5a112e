/**
 * Alert routing without a running Alertmanager: object labels reach every per-object rule (Prometheus and Grafana),
 * and the Alertmanager side is derived from the alert set.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  alertmanagerConfigObject, alertmanagerFile, alertmanagerSide, alertSet, everyAlert, ruleGroups, type AlertSet,
} from '../../alerts';
import { renderArtifacts } from '../../build/render';
import { resolveConfig } from '../../config';
import { apiVersions, outputFiles, outputFolders } from '../../model';

const keys = ['team', 'app.kubernetes.io/part-of'];
const names = ['team', 'app_kubernetes_io_part_of'];
const config = resolveConfig({ objectLabels: keys });
const alerts = alertSet(config);
const perObject = (set: AlertSet) =>
  everyAlert(set).filter((alert) => alert.subject === 'readiness' || alert.subject === 'object');

describe('object labels on the alerts', () => {
  it('every per-object alert keeps them: grouped by from gotk_resource_info, or joined on from it', () => {
    expect(perObject(alerts).length).toBeGreaterThan(5);
    for (const alert of perObject(alerts)) {
      const { expr } = alert.query;
      if (alert.subject === 'readiness') {
        expect(expr, alert.name).toMatch(/^group by\(cluster, customresource_kind, exported_namespace, name, team, /);
      } else {
        expect(expr, alert.name).toContain(`group_left(${names.join(', ')})`);
        expect(expr, alert.name).toContain('label_replace(gotk_resource_info, "kind", "$1", "customresource_kind"');
      }
    }
  });

  it('joins under honor_labels on the object namespace the controllers\' metrics carry there', () => {
    const honoured = resolveConfig({ objectLabels: keys, objectNamespaceLabel: 'namespace' });
    const slow = everyAlert(alertSet(honoured)).find((alert) => alert.subject === 'object')!;
    expect(slow.query.expr).toContain('"namespace", "$1", "exported_namespace", "(.+)"');
    expect(slow.query.expr).toContain('on(cluster, kind, namespace, name) group_left');
  });

  it('change nothing when none are configured', () => {
    for (const alert of perObject(alertSet(resolveConfig()))) {
      expect(alert.query.expr, alert.name).not.toContain('group_left');
    }
  });

  it('reach the Grafana-managed rules, which query the same expressions', () => {
    const files = renderArtifacts(config);
    const provisioning = parse(files.get(outputFiles.grafanaAlertProvisioning)!) as {
      groups: Array<{ rules: Array<{ title: string; data: Array<{ model: { expr?: string } }> }> }>;
    };
    const rules = provisioning.groups.flatMap((group) => group.rules);
    for (const alert of perObject(alerts)) {
      const rule = rules.find((candidate) => candidate.title === alert.name)!;
      expect(rule.data[0]!.model.expr, alert.name).toBe(alert.query.expr);
    }
  });
});

describe('the Alertmanager side', () => {
  const side = alertmanagerSide(config, alerts);

  it('routes every alert of the set, by severity, then by each owner label', () => {
    expect(side.route.matchers).toEqual([
      { name: 'alertname', matchType: '=~', value: everyAlert(alerts).map((alert) => alert.name).join('|') },
    ]);
    expect(side.route.groupBy).toEqual(['alertname', 'cluster', ...names]);
    expect(side.route.routes!.map((route) => route.matchers[0]!.value)).toEqual(['critical', 'warning', 'info']);
    for (const route of side.route.routes!) {
      expect(route.routes!.map((child) => child.matchers)).toEqual(
        names.map((name) => [{ name, matchType: '=~', value: '.+' }]),
      );
    }
  });

  it('has no owner routes without object labels, and groups without a cluster label when there is none', () => {
    const plain = alertmanagerSide(resolveConfig({ clusterLabel: null }), alertSet(resolveConfig()));
    expect(plain.route.groupBy).toEqual(['alertname']);
    expect(plain.route.routes!.every((route) => route.routes === undefined)).toBe(true);
    expect(plain.inhibitRules.every((rule) => rule.equal.length === 0)).toBe(true);
  });

  it('derives the inhibit rules from what each alert explains: FluxSystemDown silences the rest there', () => {
    const down = everyAlert(alerts).find((alert) => alert.name === 'FluxSystemDown')!;
    const bySystemDown = side.inhibitRules.filter((rule) => rule.source[0]!.value === down.name);
    expect(bySystemDown.length).toBe(down.explains!.length);
    const targets = bySystemDown.flatMap((rule) => rule.target[0]!.value.split('|'));
    const explained = everyAlert(alerts)
      .filter((alert) => alert.name !== down.name && alert.subject && down.explains!.includes(alert.subject))
      .map((alert) => alert.name);
    expect(targets.sort()).toEqual([...explained].sort());
    expect(targets).not.toContain('FluxSystemDown');
    expect(targets).toEqual(expect.arrayContaining(['FluxKustomizationNotReady', 'FluxControllerCrashLooping']));
    for (const rule of side.inhibitRules) expect(rule.equal).toEqual(['cluster']);
  });

  it('has kube-state-metrics missing silence the readiness alerts, in the flavour that reads it', () => {
    const rule = side.inhibitRules.find((candidate) => candidate.source[0]!.value === 'FluxObjectMetricsMissing')!;
    const readiness = everyAlert(alerts).filter((alert) => alert.subject === 'readiness').map((alert) => alert.name);
    expect(rule.target[0]!.value.split('|')).toEqual(readiness);
    const operator = resolveConfig({ flavor: 'flux-operator' });
    const operatorRules = alertmanagerSide(operator, alertSet(operator)).inhibitRules;
    expect(operatorRules.map((candidate) => candidate.source[0]!.value)).not.toContain('FluxObjectMetricsMissing');
  });

  it('takes an alert of your own into the route tree', () => {
    const own = alertSet(config, [{ ...alerts.prometheus[0]!, name: 'MyFluxAlert' }]);
    expect(alertmanagerSide(config, own).route.matchers[0]!.value.split('|')).toContain('MyFluxAlert');
  });

  it('is written as an example alertmanager.yml, and as an AlertmanagerConfig of the Prometheus Operator', () => {
    const file = alertmanagerFile(side);
    expect(file.route.routes).toHaveLength(1);
    expect(file.receivers.map((receiver) => receiver.name)).toEqual(['default', ...side.receivers]);
    const resource = alertmanagerConfigObject(config, side);
    expect(resource.apiVersion).toBe(apiVersions.AlertmanagerConfig);
    expect(resource.apiVersion).toBe('monitoring.coreos.com/v1alpha1');
    expect(resource.metadata.namespace).toBe(config.packaging.namespace);
    expect(resource.spec.inhibitRules).toHaveLength(side.inhibitRules.length);
    const built = renderArtifacts(config);
    expect([...built.keys()].filter((path) => path.startsWith(`${outputFolders.alertmanager}/`)).sort()).toEqual(
      [outputFiles.alertmanagerConfig, outputFiles.alertmanagerExample, outputFiles.alertmanagerRoutes].sort(),
    );
    expect(parse(built.get(outputFiles.alertmanagerConfig)!)).toEqual(resource);
  });

  it('keeps the recording rules out of it', () => {
    const recorded = resolveConfig({ recordingRules: true });
    const names = ruleGroups(recorded)[0]!.rules.map((rule) => ('record' in rule ? rule.record : ''));
    const routed = alertmanagerSide(recorded, alertSet(recorded)).route.matchers[0]!.value;
    for (const name of names) expect(routed).not.toContain(name);
  });
});
