/**
 * Why a series family is empty, by the piece of the installation that writes it, and the fix: what `doctor` prints
 * and what docs/no-data.md lists (a generated table), in the same words.
 */
import { fluxOperator } from '../model/operator';
import { outputFiles } from '../model/outputs';

const built = (path: string) => `dist/${path}`;

export type CauseId =
  | 'no-flux-state-config' | 'kube-state-metrics-unscraped' | 'controllers-unscraped' | 'controller-metric-dropped'
  | 'cadvisor-missing' | 'kube-state-metric-dropped' | 'operator-unscraped' | 'apiserver-unscraped'
  | 'recording-rules-missing' | 'label-dropped' | 'loki-no-streams' | 'loki-label-missing';

export interface Cause {
  id: CauseId;
  /** What doctor saw; `METRIC` and `LABEL` stand for the metric or label named. */
  reason: string;
  fix: string;
}

export const causes: readonly Cause[] = [
  {
    id: 'no-flux-state-config',
    reason: 'METRIC: no series. kube-state-metrics has no Flux CustomResourceState config',
    fix: `apply ${built(outputFiles.customResourceState)} (kube-prometheus-stack: merge ` +
      `${built(outputFiles.kubePrometheusStackValues)}; k8s-monitoring: add it to the allow-list too)`,
  },
  {
    id: 'kube-state-metrics-unscraped',
    reason: 'METRIC: no series, and no kube-state-metrics series at all: kube-state-metrics is not scraped',
    fix: 'install and scrape kube-state-metrics (kube-prometheus-stack and k8s-monitoring both ship it), ' +
      `with ${built(outputFiles.customResourceState)} for the Flux objects`,
  },
  {
    id: 'controllers-unscraped',
    reason: 'METRIC: no series: the Flux controllers are not scraped',
    fix: `apply ${built(outputFiles.podMonitor)} (or scrape the pods' http-prom port)`,
  },
  {
    id: 'controller-metric-dropped',
    reason: 'METRIC: no series, though the Flux controllers are scraped: a metric allow-list drops it',
    fix: 'keep METRIC (metric_relabel_configs keep rules; k8s-monitoring: add it to the scrape\'s includeMetrics)',
  },
  {
    id: 'kube-state-metric-dropped',
    reason: 'METRIC: no series, though kube-state-metrics is scraped: a metric allow-list drops it',
    fix: 'keep METRIC (metric_relabel_configs keep rules; k8s-monitoring: add it to the scrape\'s includeMetrics)',
  },
  {
    id: 'cadvisor-missing',
    reason: 'METRIC: no series: cAdvisor (the kubelet\'s /metrics/cadvisor) is not scraped, or drops it',
    fix: 'scrape the kubelet\'s cAdvisor endpoint (kube-prometheus-stack: kubelet.serviceMonitor.cAdvisor: true; ' +
      'k8s-monitoring: keep METRIC in the cAdvisor includeMetrics)',
  },
  {
    id: 'operator-unscraped',
    reason: 'METRIC: no series: the Flux Operator is not scraped',
    fix: `apply ${built(outputFiles.operatorPodMonitor)}`,
  },
  {
    id: 'apiserver-unscraped',
    reason: 'METRIC: no series: the Kubernetes API server is not scraped',
    fix: 'scrape the API server (kube-prometheus-stack: kubeApiServer.enabled: true)',
  },
  {
    id: 'recording-rules-missing',
    reason: 'METRIC: no series: the recording rules are not loaded (recordingRules is on)',
    fix: `apply ${built(outputFiles.prometheusRule)} or add ${built(outputFiles.ruleFile)} to rule_files`,
  },
  {
    id: 'label-dropped',
    reason: 'METRIC: its series carry no label LABEL, which the query selects on',
    fix: 'keep the LABEL label in the scrape (a relabelling drops it)',
  },
  {
    id: 'loki-no-streams',
    reason: 'Loki has no streams of the Flux namespace: the controllers\' logs are not shipped',
    fix: 'ship the Flux namespace\'s pod logs to Loki (Promtail, Alloy or the k8s-monitoring chart), and check ' +
      '`namespace` in flux.yaml',
  },
  {
    id: 'loki-label-missing',
    reason: 'the Flux log streams carry no label LABEL',
    fix: 'set loki.preset to the pipeline that ships the logs (run `flux-dashboards init --loki URL`); for the ' +
      'cluster label, add it to the log pipeline or set clusterLabel: null',
  },
];

/** A cause's reason and fix with the metric and label put in. */
export function causeOf(id: CauseId, metric = '', label = ''): { cause: CauseId; reason: string; fix: string } {
  const cause = causes.find((candidate) => candidate.id === id)!;
  const fill = (text: string) => text.replaceAll('METRIC', metric).replaceAll('LABEL', label);
  return { cause: id, reason: fill(cause.reason), fix: fill(cause.fix) };
}

/** The table of docs/no-data.md: every cause doctor reports, and its fix. */
export function causesTable(): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  return ['| doctor says | fix |', '| --- | --- |',
    ...causes.map((cause) => `| ${cell(cause.reason)} | ${cell(cause.fix)} |`)].join('\n');
}

export type MismatchId = 'cluster-label-absent' | 'labels-honoured' | 'labels-not-honoured' | 'api-not-served'
  | 'operator-scraped-twice' | 'object-label-absent';

/** A configuration that does not match the data: what doctor says (placeholders in capitals) and the fix. */
export const mismatchCauses: ReadonlyArray<{ id: MismatchId; message: string; fix: string }> = [
  {
    id: 'cluster-label-absent',
    message: 'clusterLabel is "LABEL" but no Flux series carry a LABEL label',
    fix: 'set clusterLabel: null for a single Prometheus, or the label your series carry (run `flux-dashboards init`)',
  },
  {
    id: 'labels-honoured',
    message: 'objectNamespaceLabel is "exported_namespace" but the scrape honours the controllers\' labels: ' +
      'gotk_reconcile_duration_seconds carries the object\'s namespace in namespace',
    fix: 'set objectNamespaceLabel: namespace',
  },
  {
    id: 'labels-not-honoured',
    message: 'objectNamespaceLabel is "namespace" but gotk_reconcile_duration_seconds carries the object\'s ' +
      'namespace in exported_namespace',
    fix: 'set objectNamespaceLabel: exported_namespace (or leave it out: it is the default)',
  },
  {
    id: 'api-not-served',
    message: 'fluxVersion is "RELEASE", whose KIND is API, but the cluster serves SERVED',
    fix: 'set fluxVersion to the Flux release the cluster runs (`flux version`, or run `flux-dashboards init`)',
  },
  {
    id: 'operator-scraped-twice',
    message: 'the Flux Operator is scraped twice (jobs JOBS): its PodMonitor and its chart\'s ServiceMonitor; every ' +
      'operator count doubles',
    fix: `keep one: the ${fluxOperator.deployment} chart's serviceMonitor.create: false, or leave out ` +
      `${built(outputFiles.operatorPodMonitor)}`,
  },
  {
    id: 'object-label-absent',
    message: 'objectLabels has "KEY" but no gotk_resource_info series carries LABEL: the per-object alerts cannot ' +
      'be routed by it',
    fix: `apply ${built(outputFiles.customResourceState)} built with this objectLabels (kube-prometheus-stack, ` +
      'k8s-monitoring: their values), and label the Flux objects (metadata.labels.KEY)',
  },
];

/** A mismatch's message and fix with its values put in (`{ LABEL: 'cluster' }`). */
export function mismatchOf(id: MismatchId, values: Record<string, string> = {}): { message: string; fix: string } {
  const cause = mismatchCauses.find((candidate) => candidate.id === id)!;
  const fill = (text: string) => text.replace(/\b[A-Z]{3,}\b/g, (word) => values[word] ?? word);
  return { message: fill(cause.message), fix: fill(cause.fix) };
}

/** The second table of docs/no-data.md: every mismatch doctor reports, and its fix. */
export function mismatchesTable(): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  return ['| doctor says | fix |', '| --- | --- |',
    ...mismatchCauses.map((cause) => `| ${cell(cause.message)} | ${cell(cause.fix)} |`)].join('\n');
}
