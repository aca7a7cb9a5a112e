/**
 * Every metric a query may name, with its type and labels as Flux, kube-state-metrics, cAdvisor and Prometheus emit
 * them today. A query that names anything else does not compile.
 */

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'info';

/** Who exposes the metric; each source's scrape adds its own target labels. */
export type MetricSource =
  | 'flux-controller'
  | 'flux-resource-state'
  | 'flux-operator'
  | 'kube-state-metrics'
  | 'cadvisor'
  | 'kubernetes-apiserver'
  | 'prometheus';

/** Labels the scrape adds to every series of a source (the cluster label comes from the configuration). */
export const targetLabels = {
  'flux-controller': ['job', 'namespace', 'pod', 'container', 'endpoint', 'instance'],
  'flux-resource-state': ['job', 'namespace', 'pod', 'container', 'endpoint', 'instance', 'service'],
  // The operator's PodMonitor (scrape/): the same target labels as the controllers'.
  'flux-operator': ['job', 'namespace', 'pod', 'container', 'endpoint', 'instance'],
  'kube-state-metrics': ['job', 'pod', 'container', 'endpoint', 'instance', 'service'],
  cadvisor: [
    'job', 'namespace', 'pod', 'container', 'endpoint', 'instance', 'node', 'service', 'metrics_path', 'image', 'name',
    'id',
  ],
  // kube-prometheus-stack's ServiceMonitor of the `kubernetes` Service in `default`.
  'kubernetes-apiserver': ['job', 'namespace', 'service', 'endpoint', 'instance'],
  prometheus: ['job', 'namespace', 'pod', 'container', 'endpoint', 'instance'],
} as const satisfies Record<MetricSource, readonly string[]>;

export interface MetricDefinition {
  type: MetricType;
  source: MetricSource;
  /** The metric's own labels, after scraping (a controller's `namespace` becomes `exported_namespace`). */
  labels: readonly string[];
  help: string;
  /** Carries the Flux object's namespace, which `objectNamespaceLabel` may move to `namespace` (honor_labels). */
  objectNamespace?: true;
  /** No longer written by Flux ≥ 2.5 (helm-controller: ≥ 2.2): only the legacy flavour may read it. */
  removed?: true;
  /** A pod-level cAdvisor series (the pod's network namespace): no `container` label. */
  podLevel?: true;
}

const objectLabels = ['kind', 'name', 'exported_namespace'] as const;
const queueLabels = ['name', 'controller'] as const;
/** The labels the Flux Operator gives every object it reports (`internal/reporter/metrics.go`, `commonLabels`). */
const operatorObjectLabels = ['uid', 'kind', 'name', 'exported_namespace', 'ready', 'reason', 'suspended'] as const;

export const catalogue = {
  gotk_reconcile_duration_seconds: {
    type: 'histogram', source: 'flux-controller', labels: objectLabels, objectNamespace: true,
    help: 'Duration of a Flux object reconciliation, per object.',
  },
  gotk_reconcile_condition: {
    type: 'gauge', source: 'flux-controller', labels: [...objectLabels, 'type', 'status'],
    objectNamespace: true, removed: true,
    help: 'Condition status of a Flux object (Flux ≤ 2.4; status True, False, Unknown, and Deleted on 2.0).',
  },
  gotk_suspend_status: {
    type: 'gauge', source: 'flux-controller', labels: objectLabels, objectNamespace: true, removed: true,
    help: 'Whether a Flux object is suspended (Flux ≤ 2.4).',
  },
  gotk_resource_info: {
    type: 'info', source: 'flux-resource-state',
    labels: [
      'customresource_group', 'customresource_kind', 'customresource_version', 'name', 'exported_namespace',
      'ready', 'ready_reason', 'reconciling', 'stalled', 'suspended', 'revision', 'source_name', 'url', 'endpoint',
      'bucket_name', 'chart_name', 'chart_version', 'chart_app_version', 'chart_ref_name', 'chart_source_name',
      'webhook_path', 'image',
    ],
    help: 'One series per Flux object from kube-state-metrics CustomResourceState.',
  },
  flux_resource_info: {
    type: 'info', source: 'flux-operator',
    labels: [...operatorObjectLabels, 'revision', 'url', 'ref', 'source_name', 'path'],
    help: 'One series per Flux object from the Flux Operator, refreshed with its report (`suspended` is True/False).',
  },
  flux_instance_info: {
    type: 'info', source: 'flux-operator', labels: [...operatorObjectLabels, 'registry', 'revision'],
    help: 'The FluxInstance: the Flux distribution version (`revision`) and the registry it is pulled from.',
  },
  flux_resourceset_info: {
    type: 'info', source: 'flux-operator', labels: [...operatorObjectLabels, 'resources', 'revision'],
    help: 'A ResourceSet of the Flux Operator: readiness, inventory size (`resources`) and applied revision.',
  },
  flux_resourcesetinputprovider_info: {
    type: 'info', source: 'flux-operator', labels: [...operatorObjectLabels, 'url'],
    help: 'A ResourceSetInputProvider of the Flux Operator: readiness and the URL it reads inputs from.',
  },
  flux_operator_info: {
    type: 'info', source: 'flux-operator', labels: ['version', 'api_version', 'platform'],
    help: 'The Flux Operator version, its API version and the platform it runs on.',
  },
  controller_runtime_reconcile_total: {
    type: 'counter', source: 'flux-controller', labels: ['controller', 'result'],
    help: 'Reconciliations per controller and result (success, error, requeue, requeue_after).',
  },
  controller_runtime_reconcile_errors_total: {
    type: 'counter', source: 'flux-controller', labels: ['controller'],
    help: 'Reconciliations that returned an error.',
  },
  controller_runtime_terminal_reconcile_errors_total: {
    type: 'counter', source: 'flux-controller', labels: ['controller'],
    help: 'Reconciliations that returned a terminal error.',
  },
  controller_runtime_reconcile_panics_total: {
    type: 'counter', source: 'flux-controller', labels: ['controller'],
    help: 'Reconciliations that panicked.',
  },
  controller_runtime_reconcile_time_seconds: {
    type: 'histogram', source: 'flux-controller', labels: ['controller'],
    help: 'Time per reconciliation per controller.',
  },
  controller_runtime_active_workers: {
    type: 'gauge', source: 'flux-controller', labels: ['controller'],
    help: 'Workers currently reconciling.',
  },
  controller_runtime_max_concurrent_reconciles: {
    type: 'gauge', source: 'flux-controller', labels: ['controller'],
    help: 'Configured worker count (--concurrent).',
  },
  workqueue_depth: {
    type: 'gauge', source: 'flux-controller', labels: [...queueLabels, 'priority'],
    help: 'Items waiting in the work queue.',
  },
  workqueue_adds_total: {
    type: 'counter', source: 'flux-controller', labels: queueLabels,
    help: 'Items added to the work queue.',
  },
  workqueue_retries_total: {
    type: 'counter', source: 'flux-controller', labels: queueLabels,
    help: 'Delayed adds to the work queue (normal intervals included: not a failure signal).',
  },
  workqueue_queue_duration_seconds: {
    type: 'histogram', source: 'flux-controller', labels: queueLabels,
    help: 'Time an item waits in the work queue before a worker takes it.',
  },
  workqueue_work_duration_seconds: {
    type: 'histogram', source: 'flux-controller', labels: queueLabels,
    help: 'Time a worker spends on an item.',
  },
  workqueue_unfinished_work_seconds: {
    type: 'gauge', source: 'flux-controller', labels: queueLabels,
    help: 'Seconds of work in progress not yet observed by work_duration.',
  },
  workqueue_longest_running_processor_seconds: {
    type: 'gauge', source: 'flux-controller', labels: queueLabels,
    help: 'How long the longest running worker has been at its item.',
  },
  rest_client_requests_total: {
    type: 'counter', source: 'flux-controller', labels: ['code', 'method', 'host'],
    help: 'Kubernetes API requests by status code, method and host.',
  },
  leader_election_master_status: {
    type: 'gauge', source: 'flux-controller', labels: ['name'],
    help: '1 on the replica holding the leader lease.',
  },
  go_info: {
    type: 'gauge', source: 'flux-controller', labels: ['version'],
    help: 'Go version the controller was built with.',
  },
  go_goroutines: {
    type: 'gauge', source: 'flux-controller', labels: [],
    help: 'Goroutines in the controller.',
  },
  go_memstats_heap_inuse_bytes: {
    type: 'gauge', source: 'flux-controller', labels: [],
    help: 'Go heap in use.',
  },
  process_start_time_seconds: {
    type: 'gauge', source: 'flux-controller', labels: [],
    help: 'When the controller process started (Unix seconds).',
  },
  up: {
    type: 'gauge', source: 'prometheus', labels: [],
    help: '1 when Prometheus scraped the target, 0 when the scrape failed.',
  },
  container_cpu_usage_seconds_total: {
    type: 'counter', source: 'cadvisor', labels: ['cpu'],
    help: 'CPU time consumed by a container.',
  },
  container_memory_working_set_bytes: {
    type: 'gauge', source: 'cadvisor', labels: [],
    help: 'Container working set memory: what the OOM killer looks at.',
  },
  container_network_receive_bytes_total: {
    type: 'counter', source: 'cadvisor', labels: ['interface'], podLevel: true,
    help: 'Bytes received by a pod (pod-level: no container label).',
  },
  container_network_transmit_bytes_total: {
    type: 'counter', source: 'cadvisor', labels: ['interface'], podLevel: true,
    help: 'Bytes sent by a pod (pod-level: no container label).',
  },
  apiserver_request_total: {
    type: 'counter', source: 'kubernetes-apiserver',
    labels: ['verb', 'dry_run', 'group', 'version', 'resource', 'subresource', 'scope', 'component', 'code'],
    help: 'Requests the Kubernetes API server handled, by resource, verb and code (no client label).',
  },
  apiserver_storage_objects: {
    type: 'gauge', source: 'kubernetes-apiserver', labels: ['resource'],
    help: 'Objects stored in etcd per resource (`kustomizations.kustomize.toolkit.fluxcd.io`…).',
  },
  kube_pod_container_info: {
    type: 'info', source: 'kube-state-metrics',
    labels: ['namespace', 'image', 'image_id', 'image_spec', 'container_id', 'uid'],
    help: 'One series per container, with its image (and so the controller version).',
  },
  kube_pod_container_status_restarts_total: {
    type: 'counter', source: 'kube-state-metrics', labels: ['namespace', 'uid'],
    help: 'Container restarts.',
  },
  kube_pod_container_status_waiting_reason: {
    type: 'gauge', source: 'kube-state-metrics', labels: ['namespace', 'uid', 'reason'],
    help: '1 while a container waits, with the reason (CrashLoopBackOff…).',
  },
  kube_pod_container_resource_limits: {
    type: 'gauge', source: 'kube-state-metrics', labels: ['namespace', 'uid', 'node', 'resource', 'unit'],
    help: 'Container resource limits (memory in bytes, cpu in cores).',
  },
  kube_deployment_status_replicas_available: {
    type: 'gauge', source: 'kube-state-metrics', labels: ['namespace', 'deployment'],
    help: 'Available replicas of a Deployment.',
  },
  kube_deployment_spec_replicas: {
    type: 'gauge', source: 'kube-state-metrics', labels: ['namespace', 'deployment'],
    help: 'Desired replicas of a Deployment.',
  },
} as const satisfies Record<string, MetricDefinition>;

export type MetricName = keyof typeof catalogue;
type Definition<M extends MetricName> = (typeof catalogue)[M];
/** Every label a series of metric M can carry (its own and its scrape's), but the configurable cluster label. */
export type LabelOf<M extends MetricName> =
  | Definition<M>['labels'][number]
  | (typeof targetLabels)[Definition<M>['source']][number];

export function definitionOf(metric: string): MetricDefinition | undefined {
  return (catalogue as Record<string, MetricDefinition>)[metric];
}

/** The labels a metric's series carry under the given scrape settings. */
export function labelsOf(
  metric: MetricName,
  settings: { clusterLabel: string | null; objectNamespaceLabel: 'exported_namespace' | 'namespace' },
): string[] {
  const definition: MetricDefinition = catalogue[metric];
  let own: string[] = [...definition.labels];
  if (definition.objectNamespace && settings.objectNamespaceLabel === 'namespace') {
    own = own.filter((label) => label !== 'exported_namespace');
  }
  const target = targetLabels[definition.source].filter((label) => !(definition.podLevel && label === 'container'));
  const labels = new Set([...own, ...target]);
  if (settings.clusterLabel) labels.add(settings.clusterLabel);
  return [...labels];
}
