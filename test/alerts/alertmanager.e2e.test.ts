/**
 * The built Alertmanager side on a real Alertmanager. amtool checks the outputs and the routes labels choose; then a
 * real Prometheus evaluates the built rules (their `for` set to 0s, so they fire at once) on a fleet whose Flux objects
 * carry owner labels, and sends its alerts to an Alertmanager running the built routes and inhibit rules, whose
 * receivers post to a webhook of the test's own: each alert arrives once, in its group, at the receiver its labels
 * choose, with its links; the alerts a down controller explains are inhibited, by that controller's alert.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import {
  alertmanagerArtifacts, alertmanagerFile, alertmanagerSide, alertSet, ruleGroups, type AlertSet,
} from '../../alerts';
import { resolveConfig } from '../../config';
import { outputFiles, variableNames } from '../../model';
import {
  amtool, startAlertmanager, startWebhookReceiver, type AlertmanagerServer, type GettableAlert, type WebhookReceiver,
} from '../../fixtures/alertmanager';
import { defaultFleetOptions, fleetEnd, makeFleet } from '../../fixtures/fleet/fleet';
import { writeOpenMetrics } from '../../fixtures/fleet/openmetrics';
import { backfill, startPrometheus, type PrometheusServer } from '../../fixtures/prometheus';

const repo = join(import.meta.dirname, '../..');
const config = resolveConfig({ objectLabels: ['team', 'app.kubernetes.io/part-of'] });
const owners = ['team', 'app_kubernetes_io_part_of'];

/** The owner labels the fleet's Flux objects carry, by their namespace (flux-system's carry none). */
const ownersByNamespace: Record<string, Record<string, string>> = {
  apps: { team: 'apps' },
  infrastructure: { app_kubernetes_io_part_of: 'platform' },
};

/** The receiver the route tree must choose: by severity, then by the first owner label the alert carries. */
function expectedReceiver(labels: Record<string, string>): string {
  const owner = owners.find((label) => labels[label]);
  return `flux-${labels.severity}${owner ? `-${owner}` : ''}`;
}

/**
 * Short waits, so that the test takes seconds; a repeat far beyond the test, so each alert is notified once. The
 * group wait outlasts Prometheus' first sending: Alertmanager flushes at once a new group whose alert is older than
 * its group wait, maybe before the alert that inhibits it, sent in a later batch, has arrived.
 */
// group_wait long enough for every alert of a group to arrive before its first notification on a busy machine.
const quick = {
  critical: { groupWait: '20s', groupInterval: '3s', repeatInterval: '1h' },
  other: { groupWait: '20s', groupInterval: '3s', repeatInterval: '1h' },
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let work: string;
let alerts: AlertSet;
let builtExample: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'flux-alertmanager-'));
  alerts = alertSet(config);
  const files = alertmanagerArtifacts(config, alerts);
  for (const [path, content] of files) {
    mkdirSync(join(work, 'dist', path, '..'), { recursive: true });
    writeFileSync(join(work, 'dist', path), content);
  }
  builtExample = join(work, 'dist', outputFiles.alertmanagerExample);
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('amtool on the built files', () => {
  it('accepts the example alertmanager.yml, of this configuration and the one dist/ was built from', async () => {
    expect(await amtool(['check-config', builtExample])).toContain('SUCCESS');
    expect(await amtool(['check-config', join(repo, 'dist', outputFiles.alertmanagerExample)])).toContain('SUCCESS');
  });

  it('accepts the fragment merged under a root route, and the fragment is what the example holds', async () => {
    const fragment = parse(readFileSync(join(work, 'dist', outputFiles.alertmanagerRoutes), 'utf8'));
    const merged = {
      route: { receiver: 'root', routes: fragment.routes },
      inhibit_rules: fragment.inhibit_rules,
      receivers: [{ name: 'root' }, ...fragment.receivers],
    };
    const path = join(work, 'merged.yml');
    writeFileSync(path, stringify(merged));
    expect(await amtool(['check-config', path])).toContain('SUCCESS');
    const example = parse(readFileSync(builtExample, 'utf8'));
    expect(example.route.routes).toEqual(fragment.routes);
    expect(example.inhibit_rules).toEqual(fragment.inhibit_rules);
  });

  it.each([
    [{ alertname: 'FluxKustomizationNotReady', severity: 'critical', cluster: 'a' }],
    [{ alertname: 'FluxKustomizationNotReady', severity: 'critical', cluster: 'a', team: 'payments' }],
    [{ alertname: 'FluxReconciliationFailure', severity: 'warning', app_kubernetes_io_part_of: 'shop' }],
    [{ alertname: 'FluxReconciliationFailure', severity: 'warning', team: 'x', app_kubernetes_io_part_of: 'y' }],
    [{ alertname: 'FluxSuspendedResource', severity: 'info', team: 'apps' }],
    [{ alertname: 'FluxSystemDown', severity: 'critical', cluster: 'a', deployment: 'source-controller' }],
    [{ alertname: 'FluxControllerLogsStopped', severity: 'warning', cluster: 'a', controller: 'helm-controller' }],
  ])('routes %o to the receiver of its severity and first owner label', async (labels) => {
    const args = Object.entries(labels).map(([name, value]) => `${name}=${value}`);
    const receiver = expectedReceiver(labels);
    const output = await amtool([
      'config', 'routes', 'test', `--config.file=${builtExample}`, `--verify.receivers=${receiver}`, ...args,
    ]);
    expect(output.trim().split('\n').at(-1)).toBe(receiver);
  });

  it('routes an alert that is not Flux\'s past the Flux route', async () => {
    const output = await amtool(['config', 'routes', 'test', `--config.file=${builtExample}`, 'alertname=Watchdog']);
    expect(output.trim().split('\n').at(-1)).toBe('default');
  });
});

describe('the built rules, fired by Prometheus on a fleet, through Alertmanager to a webhook', () => {
  let receiver: WebhookReceiver;
  let alertmanager: AlertmanagerServer;
  let prometheus: PrometheusServer;
  let held: GettableAlert[];
  let downCluster: string;
  /** How many series the rules return, evaluated by the test itself. */
  let returned: number;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    // The example alertmanager.yml of this configuration, each placeholder receiver posting to the test's webhook.
    const amConfig = alertmanagerFile(alertmanagerSide(config, alerts, quick));
    const receivers = amConfig.receivers.map(({ name }) => ({
      name, webhook_configs: [{ url: receiver.urlFor(name), send_resolved: false }],
    }));
    alertmanager = await startAlertmanager(stringify({ ...amConfig, receivers }), join(work, 'alertmanager'));

    const end = fleetEnd();
    const fleet = makeFleet({ ...defaultFleetOptions, end, duration: 3600 + 900, clusters: 2, objectsPerKind: 3 });
    downCluster = fleet.clusters.at(-1)!;
    const openMetrics = join(work, 'fleet.om');
    writeOpenMetrics(fleet, openMetrics);
    // kube-state-metrics with objectLabels set writes each object's owner labels on its gotk_resource_info.
    const text = readFileSync(openMetrics, 'utf8').replace(
      /^gotk_resource_info\{(.*?exported_namespace="([^"]*)".*)$/gm,
      (line, _labels: string, namespace: string) => {
        const labels = Object.entries(ownersByNamespace[namespace] ?? {}).map(([k, v]) => `${k}="${v}",`).join('');
        return line.replace('gotk_resource_info{', `gotk_resource_info{${labels}`);
      },
    );
    writeFileSync(openMetrics, text);
    const dataDir = join(work, 'prometheus');
    await backfill(openMetrics, dataDir);

    const groups = ruleGroups(config, alerts).map((group) => ({
      ...group,
      rules: group.rules.map((rule) => ('alert' in rule ? { ...rule, for: '0s' } : rule)),
    }));
    const rulesPath = join(work, 'rules.yaml');
    writeFileSync(rulesPath, stringify({ groups }));
    const alertmanagerHost = new URL(alertmanager.url).host;
    prometheus = await startPrometheus(dataDir, work, stringify({
      global: { scrape_interval: '30s', evaluation_interval: '2s' },
      rule_files: [rulesPath],
      alerting: { alertmanagers: [{ static_configs: [{ targets: [alertmanagerHost] }] }] },
      scrape_configs: [],
    }), [
      // Alerts sent before Prometheus knows its Alertmanager are dropped: send them again soon, not a minute later.
      '--rules.alert.resend-delay=2s',
    ]);

    // Wait until Alertmanager holds as many alerts as the rules return, the same number twice, and has notified.
    const expectedCount = async () => {
      let count = 0;
      for (const rule of groups[0]!.rules) {
        count += (await prometheus.query(rule.expr, Date.now() / 1000)).result.length;
      }
      return count;
    };
    let previous = -1;
    for (let attempt = 0; attempt < 120; attempt++) {
      await sleep(1000);
      held = await alertmanager.alerts();
      const wanted = await expectedCount();
      if (wanted > 0 && held.length === wanted && held.length === previous && receiver.received.length > 0) break;
      previous = held.length;
    }
    // Longer than group_wait and group_interval: any second notification of a group would have come by now.
    await sleep(7000);
    held = await alertmanager.alerts();
    returned = await expectedCount();
  }, 240_000);

  afterAll(async () => {
    await prometheus?.stop();
    await alertmanager?.stop();
    await receiver?.stop();
  });

  const delivered = () => receiver.received.map(({ notification }) => notification);
  const inDownCluster = (alert: { labels: Record<string, string> }) => alert.labels.cluster === downCluster;

  it('holds every alert the rules return, per-object ones with the owner labels of their object', async () => {
    expect(held.length).toBeGreaterThan(0);
    expect(held.length).toBe(returned);
    const perObject = held.filter((alert) => alert.labels.exported_namespace);
    expect(perObject.length).toBeGreaterThan(0);
    for (const alert of perObject) {
      const wanted = ownersByNamespace[alert.labels.exported_namespace!] ?? {};
      const carried = Object.fromEntries(owners.filter((l) => alert.labels[l]).map((l) => [l, alert.labels[l]]));
      expect(carried, `${alert.labels.alertname} ${alert.labels.exported_namespace}/${alert.labels.name}`)
        .toEqual(wanted);
    }
    for (const route of ['team', 'app_kubernetes_io_part_of']) {
      expect(perObject.some((alert) => expectedReceiver(alert.labels).endsWith(route)), route).toBe(true);
    }
  });

  it('notifies each alert that is not inhibited once, at the receiver its labels choose', () => {
    const active = held.filter((alert) => alert.status.state === 'active');
    expect(active.length).toBeGreaterThan(0);
    for (const alert of active) {
      const notifications = delivered().filter((n) => n.alerts.some((a) => a.fingerprint === alert.fingerprint));
      expect(notifications.map((n) => n.receiver), alert.labels.alertname).toEqual([expectedReceiver(alert.labels)]);
    }
    for (const { path, notification } of receiver.received) {
      expect(path).toBe(`/${encodeURIComponent(notification.receiver)}`);
    }
  });

  it('groups per alert, cluster and owner: one notification per group, holding all of its alerts', () => {
    const groupKey = (labels: Record<string, string>) =>
      JSON.stringify(['alertname', 'cluster', ...owners].map((label) => labels[label] ?? ''));
    const active = held.filter((alert) => alert.status.state === 'active');
    const groups = new Map<string, string[]>();
    for (const alert of active) {
      groups.set(groupKey(alert.labels), [...(groups.get(groupKey(alert.labels)) ?? []), alert.fingerprint]);
    }
    expect(delivered().length).toBe(groups.size);
    for (const notification of delivered()) {
      const expected = groups.get(groupKey(notification.groupLabels));
      expect(expected, JSON.stringify(notification.groupLabels)).toBeDefined();
      expect(notification.alerts.map((alert) => alert.fingerprint).sort()).toEqual([...expected!].sort());
    }
    expect([...groups.values()].some((fingerprints) => fingerprints.length > 1)).toBe(true);
  });

  it('sends each alert with its summary, description, runbook and dashboard links, templates expanded', () => {
    for (const alert of delivered().flatMap((notification) => notification.alerts)) {
      const { summary, description, runbook_url: runbook, dashboard_url: dashboard } = alert.annotations;
      expect(summary, alert.labels.alertname).toBeTruthy();
      expect(description).toBeTruthy();
      expect(`${summary} ${description} ${dashboard}`).not.toContain('{{');
      expect(runbook).toMatch(/^https?:\/\//);
      expect(new URL(dashboard!).searchParams.get(`var-${variableNames.cluster}`)).toBe(alert.labels.cluster);
      if (alert.labels.exported_namespace) {
        expect(new URL(dashboard!).searchParams.get(`var-${variableNames.objectName}`)).toBe(alert.labels.name);
      }
    }
  });

  it('inhibits every other alert of the cluster whose controller is down, by its FluxSystemDown alert', () => {
    const systemDown = held.filter((alert) => alert.labels.alertname === 'FluxSystemDown');
    expect(systemDown.map((alert) => alert.labels.cluster)).toEqual([downCluster]);
    expect(systemDown[0]!.status.state).toBe('active');
    const explained = held.filter((alert) => inDownCluster(alert) && alert.labels.alertname !== 'FluxSystemDown');
    expect(explained.filter((alert) => alert.labels.exported_namespace).length).toBeGreaterThan(0);
    for (const alert of explained) {
      expect(alert.status, alert.labels.alertname).toEqual(
        expect.objectContaining({ state: 'suppressed', inhibitedBy: [systemDown[0]!.fingerprint] }),
      );
      expect(delivered().some((n) => n.alerts.some((a) => a.fingerprint === alert.fingerprint))).toBe(false);
    }
    const elsewhere = held.filter((alert) => !inDownCluster(alert));
    expect(elsewhere.length).toBeGreaterThan(0);
    for (const alert of elsewhere) expect(alert.status.state, alert.labels.alertname).toBe('active');
  });
});
