/**
 * Flux controller log lines as the controllers write them (FLUX-FACTS.md §4: JSON, one object a line, but not every
 * line: a panic's stack trace and klog at start-up are plain text), sorted by hand into reconciliation failures,
 * ordinary lines and unparsed lines, each from the pod that wrote it; and the labels each log pipeline puts on them.
 * The LogQL tests run the logs dashboard's queries over them.
 */

/** Lines that report a failed reconciliation: Flux's own message, controller-runtime's, and source-controller's. */
export const reconciliationFailureLines = [
  '{"level":"error","ts":"2026-08-07T10:18:44.902Z","msg":"Reconciler error","controller":"helmrelease","controllerGroup":"helm.toolkit.fluxcd.io","controllerKind":"HelmRelease","HelmRelease":{"name":"podinfo","namespace":"podinfo"},"namespace":"podinfo","name":"podinfo","reconcileID":"b2f4c0de-1111-4a4a-9b9b-222233334444","error":"terminal error: exceeded maximum retries: cannot upgrade release"}',
  '{"level":"error","ts":"2026-08-07T10:20:01.311Z","msg":"Reconciliation failed after 5m0.104s, next try in 2m0s","controller":"kustomization","controllerGroup":"kustomize.toolkit.fluxcd.io","controllerKind":"Kustomization","Kustomization":{"name":"apps","namespace":"flux-system"},"namespace":"flux-system","name":"apps","reconcileID":"0b7e2f61-55aa-4d1c-8f0e-6b3c2a1d9e77","revision":"main@sha1:30081ad7170fb8168536768fe399493dd43160d7","error":"Deployment/apps/podinfo dry-run failed: field is immutable"}',
  '{"level":"error","ts":"2026-08-07T10:21:13.020Z","msg":"Reconciler error","controller":"gitrepository","controllerGroup":"source.toolkit.fluxcd.io","controllerKind":"GitRepository","GitRepository":{"name":"infra","namespace":"flux-system"},"namespace":"flux-system","name":"infra","reconcileID":"7d1c9a02-3e4f-4b5a-8c6d-9e0f1a2b3c4d","error":"failed to checkout and determine revision: unable to clone \'https://github.com/example/infra\': authentication required"}',
  '{"level":"error","ts":"2026-08-07T10:22:40.550Z","msg":"Reconciliation failed after 1.9s, next try in 30s","controller":"helmrelease","controllerGroup":"helm.toolkit.fluxcd.io","controllerKind":"HelmRelease","HelmRelease":{"name":"ingress-nginx","namespace":"ingress"},"namespace":"ingress","name":"ingress-nginx","reconcileID":"2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d","error":"HelmChart \'flux-system/ingress-ingress-nginx\' is not ready"}',
  '{"level":"error","ts":"2026-08-07T10:23:05.118Z","msg":"failed to checkout and determine revision: unable to clone \'https://github.com/example/infra\': authentication required","controller":"gitrepository","controllerGroup":"source.toolkit.fluxcd.io","controllerKind":"GitRepository","GitRepository":{"name":"infra","namespace":"flux-system"},"namespace":"flux-system","name":"infra","reconcileID":"8e2d0b13-4f5a-4c6b-9d7e-0f1a2b3c4d5e","error":"failed to checkout and determine revision: unable to clone \'https://github.com/example/infra\': authentication required"}',
  '{"level":"error","ts":"2026-08-07T10:24:30.402Z","msg":"reconciliation stalled","controller":"ocirepository","controllerGroup":"source.toolkit.fluxcd.io","controllerKind":"OCIRepository","OCIRepository":{"name":"manifests","namespace":"apps"},"namespace":"apps","name":"manifests","reconcileID":"9f3e1c24-5a6b-4d7c-8e9f-1a2b3c4d5e6f","error":"URL must be in format \'oci://<domain>/<org>/<repo>\'"}',
  '{"level":"error","ts":"2026-08-07T10:25:11.733Z","msg":"failed to fetch Helm repository index: failed to cache index to temporary file: Get \\"https://charts.example.com/index.yaml\\": dial tcp: lookup charts.example.com: no such host","controller":"helmrepository","controllerGroup":"source.toolkit.fluxcd.io","controllerKind":"HelmRepository","HelmRepository":{"name":"example","namespace":"flux-system"},"namespace":"flux-system","name":"example","reconcileID":"0a4f2d35-6b7c-4e8d-9f0a-2b3c4d5e6f70","error":"failed to fetch Helm repository index: failed to cache index to temporary file: Get \\"https://charts.example.com/index.yaml\\": dial tcp: lookup charts.example.com: no such host"}',
] as const;

/** Everything else a controller logs, some of it mentioning failure without being a failed reconciliation. */
export const ordinaryLines = [
  '{"level":"info","ts":"2026-08-07T10:15:42.118Z","msg":"Reconciliation finished in 1.204817332s, next run in 10m0s","controller":"kustomization","controllerGroup":"kustomize.toolkit.fluxcd.io","controllerKind":"Kustomization","Kustomization":{"name":"apps","namespace":"flux-system"},"namespace":"flux-system","name":"apps","reconcileID":"5f0c6a1e-2d7b-4b8e-9c3a-7e1f0d2b4a61","revision":"main@sha1:30081ad7170fb8168536768fe399493dd43160d7"}',
  '{"level":"info","ts":"2026-08-07T10:15:41.902Z","msg":"server-side apply completed","controller":"kustomization","controllerGroup":"kustomize.toolkit.fluxcd.io","controllerKind":"Kustomization","Kustomization":{"name":"apps","namespace":"flux-system"},"namespace":"flux-system","name":"apps","reconcileID":"5f0c6a1e-2d7b-4b8e-9c3a-7e1f0d2b4a61","output":{"Deployment/podinfo/failed-jobs-cleaner":"unchanged","Service/podinfo/podinfo":"configured"}}',
  '{"level":"info","ts":"2026-08-07T10:16:03.447Z","msg":"stored artifact for commit \'Fix reconciliation failed alert wording\'","controller":"gitrepository","controllerGroup":"source.toolkit.fluxcd.io","controllerKind":"GitRepository","GitRepository":{"name":"flux-system","namespace":"flux-system"},"namespace":"flux-system","name":"flux-system","reconcileID":"9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d"}',
  '{"level":"debug","ts":"2026-08-07T10:16:05.001Z","msg":"no changes since last reconcilation: observed revision \'main@sha1:30081ad7\'","controller":"gitrepository","controllerGroup":"source.toolkit.fluxcd.io","controllerKind":"GitRepository","GitRepository":{"name":"flux-system","namespace":"flux-system"},"namespace":"flux-system","name":"flux-system","reconcileID":"1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e"}',
  '{"level":"info","ts":"2026-08-07T10:17:12.338Z","msg":"release in-sync with desired state","controller":"helmrelease","controllerGroup":"helm.toolkit.fluxcd.io","controllerKind":"HelmRelease","HelmRelease":{"name":"podinfo","namespace":"podinfo"},"namespace":"podinfo","name":"podinfo","reconcileID":"3c4d5e6f-7a8b-4c9d-0e1f-2a3b4c5d6e7f"}',
  '{"level":"error","ts":"2026-08-07T10:17:30.009Z","msg":"failed to send event","controller":"kustomization","controllerGroup":"kustomize.toolkit.fluxcd.io","controllerKind":"Kustomization","Kustomization":{"name":"infra","namespace":"flux-system"},"namespace":"flux-system","name":"infra","reconcileID":"4d5e6f7a-8b9c-4d0e-1f2a-3b4c5d6e7f8a","error":"Post \\"http://notification-controller.flux-system.svc.cluster.local./\\": dial tcp: i/o timeout"}',
  '{"level":"info","ts":"2026-08-07T10:00:00.001Z","logger":"setup","msg":"starting manager"}',
  '{"level":"info","ts":"2026-08-07T10:00:01.220Z","msg":"Starting workers","controller":"helmrelease","controllerGroup":"helm.toolkit.fluxcd.io","controllerKind":"HelmRelease","worker count":4}',
  '{"level":"trace","ts":"2026-08-07T10:18:00.000Z","msg":"dependencies do not meet ready condition, retrying in 30s","controller":"kustomization","controllerGroup":"kustomize.toolkit.fluxcd.io","controllerKind":"Kustomization","Kustomization":{"name":"apps","namespace":"team-a"},"namespace":"team-a","name":"apps","reconcileID":"5e6f7a8b-9c0d-4e1f-2a3b-4c5d6e7f8a9b"}',
] as const;

/**
 * Lines `| json` cannot parse (Loki marks them `__error__="JSONParserErr"`): klog at start-up and a panic's stack
 * trace, one line each as the container runtime hands them on.
 */
export const unparsedLines = [
  'I0807 10:00:00.412305       1 leaderelection.go:250] attempting to acquire leader lease ' +
    'flux-system/kustomize-controller-leader-election...',
  'panic: runtime error: invalid memory address or nil pointer dereference [recovered]',
  '[signal SIGSEGV: segmentation violation code=0x1 addr=0x18 pc=0x1c2e6b5]',
  'goroutine 412 [running]:',
] as const;

export const fluxLogLines: readonly string[] = [...reconciliationFailureLines, ...ordinaryLines, ...unparsedLines];

/** The pods that wrote the lines: Deployment name, ReplicaSet hash, pod suffix. */
export const controllerPods = {
  'source-controller': 'source-controller-6b8f9c7d4f-k2x9q',
  'kustomize-controller': 'kustomize-controller-7b9cdd5f86-x2x4z',
  'helm-controller': 'helm-controller-5d6f7c8b9-p4m7n',
} as const;

type Controller = keyof typeof controllerPods;

const controllerOfKind: Record<string, Controller> = {
  gitrepository: 'source-controller', ocirepository: 'source-controller', helmrepository: 'source-controller',
  kustomization: 'kustomize-controller', helmrelease: 'helm-controller',
};

/** The controller that wrote a line: its reconciler's, or, for lines outside a reconcile, as noted here. */
function controllerOf(line: string): Controller {
  if (line.includes('"logger":"setup"') || line.startsWith('I0807')) return 'kustomize-controller';
  if (!line.startsWith('{')) return 'helm-controller';
  const reconciler = (JSON.parse(line) as { controller?: string }).controller;
  const controller = reconciler && controllerOfKind[reconciler];
  if (!controller) throw new Error(`no controller for ${line}`);
  return controller;
}

/** A log entry as Loki stores it: the line, its stream labels, and its structured metadata. */
export interface LogEntry {
  line: string;
  stream: Record<string, string>;
  metadata: Record<string, string>;
  /** The controller that wrote it (the test's truth, not a label). */
  controller: string;
}

/** The log pipelines of FLUX-FACTS.md §4, as the test fleet's truth of what each writes. */
export const logPipelines = ['promtail', 'alloy-k8s-monitoring-v1-v2', 'alloy-k8s-monitoring-v3-plus'] as const;
export type LogPipeline = (typeof logPipelines)[number];

/**
 * The labels a pipeline puts on a Flux controller's lines (FLUX-FACTS.md §4): Promtail keeps the pod's `app` label;
 * k8s-monitoring 1.x–2.x keeps `pod` as a stream label; 3.x and later moves `pod` into structured metadata.
 */
type Labels = Pick<LogEntry, 'stream' | 'metadata'>;

function labelsOf(pipeline: LogPipeline, namespace: string, controller: Controller): Labels {
  const pod = controllerPods[controller];
  if (pipeline === 'promtail') {
    const job = `${namespace}/${controller}`;
    return { stream: { namespace, pod, container: 'manager', app: controller, job, stream: 'stderr' }, metadata: {} };
  }
  const common = { namespace, container: 'manager', job: `${namespace}/manager`, service_name: 'manager' };
  if (pipeline === 'alloy-k8s-monitoring-v1-v2') return { stream: { ...common, pod }, metadata: {} };
  return { stream: common, metadata: { pod, k8s_pod_name: pod } };
}

/** Every line as the pipeline stores it, with a `cluster` stream label when one is given. */
export function fluxLogEntries(pipeline: LogPipeline, options: { namespace?: string; cluster?: string } = {}) {
  const namespace = options.namespace ?? 'flux-system';
  return fluxLogLines.map((line): LogEntry => {
    const controller = controllerOf(line);
    const { stream, metadata } = labelsOf(pipeline, namespace, controller);
    const cluster: Record<string, string> = options.cluster ? { cluster: options.cluster } : {};
    return { line, stream: { ...stream, ...cluster }, metadata, controller };
  });
}
