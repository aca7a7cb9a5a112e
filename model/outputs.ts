/** Where the build puts what it makes, relative to the output folder. */
import type { DashboardIdentity } from './dashboards';
import { alertsObjectName } from './alerting';

/** The output folder when none is given. */
export const defaultOutDir = 'dist';

export const outputFolders = {
  /** Dashboard JSON, ready to import into Grafana. */
  dashboards: 'grafana',
  /** A kustomization for the Grafana sidecar, with every other Kubernetes manifest. */
  kubernetes: 'kubernetes',
  /** The same for grafana-operator; an alternative to `kubernetes/`. */
  grafanaOperator: 'grafana-operator',
  kubeStateMetrics: 'kube-state-metrics',
  prometheus: 'prometheus',
  /** Loki ruler rule files. */
  loki: 'loki',
  /** Grafana-managed alert rules: the provisioning file, and kustomizations for the sidecar and grafana-operator. */
  grafanaAlerting: 'grafana-alerting',
  /** Values for the kube-prometheus-stack Helm chart that the other folders' objects need. */
  kubePrometheusStack: 'kube-prometheus-stack',
  /** The v2 dashboards (`dashboard.grafana.app/v2` resources) as JSON files, one per uid: a folder for Git Sync. */
  dashboardsV2: 'grafana-v2',
  /** The v2 dashboards and their folder as a kustomization for Grafana's API server (kubectl, grafanactl). */
  grafanaResources: 'grafana-v2-resources',
  /** The v2 dashboards wrapped in grafana-operator GrafanaManifests (operator v5.22+), with their GrafanaFolder. */
  grafanaOperatorV2: 'grafana-operator-v2',
  /** Values for Grafana's k8s-monitoring Helm chart (Grafana Alloy), one file per chart generation. */
  k8sMonitoring: 'k8s-monitoring',
  /** Alertmanager's side of the alerts: route tree, inhibit rules, AlertmanagerConfig, an example alertmanager.yml. */
  alertmanager: 'alertmanager',
} as const;

/** Manifests of scrape/ and alerts/ that every kustomize folder (kubernetes/, grafana-operator/) carries. */
export const manifestFiles = {
  podMonitor: 'podmonitor.yaml',
  /** The Flux Operator's, in the flux-operator flavour. */
  operatorPodMonitor: 'flux-operator-podmonitor.yaml',
  prometheusRule: 'prometheusrule.yaml',
} as const;

/** The file listing a kustomize folder's resources. */
export const kustomizationFile = 'kustomization.yaml';

export const outputFiles = {
  customResourceState: `${outputFolders.kubeStateMetrics}/flux-resources.yaml`,
  kubePrometheusStackValues: `${outputFolders.kubePrometheusStack}/values.yaml`,
  /** For k8s-monitoring 2.x–3.x. */
  k8sMonitoringValuesV3: `${outputFolders.k8sMonitoring}/values-v3.yaml`,
  /** For k8s-monitoring 4.x. */
  k8sMonitoringValuesV4: `${outputFolders.k8sMonitoring}/values-v4.yaml`,
  podMonitor: `${outputFolders.kubernetes}/${manifestFiles.podMonitor}`,
  operatorPodMonitor: `${outputFolders.kubernetes}/${manifestFiles.operatorPodMonitor}`,
  ruleFile: `${outputFolders.prometheus}/${alertsObjectName}.yaml`,
  prometheusRule: `${outputFolders.kubernetes}/${manifestFiles.prometheusRule}`,
  lokiRuleFile: `${outputFolders.loki}/flux-log-alerts.yaml`,
  grafanaAlertProvisioning: `${outputFolders.grafanaAlerting}/provisioning/${alertsObjectName}.yaml`,
  grafanaAlertSidecarFolder: `${outputFolders.grafanaAlerting}/kubernetes`,
  grafanaAlertOperatorFolder: `${outputFolders.grafanaAlerting}/grafana-operator`,
  /** The route tree and inhibit rules, to merge under your alertmanager.yml's `route.routes` and `inhibit_rules`. */
  alertmanagerRoutes: `${outputFolders.alertmanager}/flux-routes.yaml`,
  /** A complete alertmanager.yml around them, with placeholder receivers. */
  alertmanagerExample: `${outputFolders.alertmanager}/alertmanager.yml`,
  /** The same for the Prometheus Operator, as an AlertmanagerConfig. */
  alertmanagerConfig: `${outputFolders.alertmanager}/alertmanagerconfig.yaml`,
} as const;

/** Lists the files a build wrote into its output folder: the next build replaces or removes those and no other. */
export const buildManifestFile = '.flux-dashboards-manifest.json';

/** The repository folder of the alerts' runbook pages, one `<alert>.md` per alert. */
export const runbookFolder = 'docs/runbooks';
export const runbookPage = (alert: string) => `${alert}.md`;

/** A v2 dashboard resource's file for Git Sync: named by its uid, like the classic one. */
export const dashboardV2File = (identity: Pick<DashboardIdentity, 'uid'>) =>
  `${outputFolders.dashboardsV2}/${identity.uid}.json`;

/** A dashboard's JSON file: named by its uid, as Grafana's sidecar and file provisioning expect. */
export const dashboardFile = (identity: Pick<DashboardIdentity, 'uid'>) =>
  `${outputFolders.dashboards}/${identity.uid}.json`;
