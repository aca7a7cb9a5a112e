/**
 * promtool unit tests of every alert rule, for every flavour, with and without a cluster label: each alert fires where
 * it should, with exact labels and annotations, and stays silent where it should not. Every setup's input includes
 * the Flux Operator's pod where a Flux controller's could be mistaken for it.
 */
import { describe, expect, it } from 'vitest';
import { alertArtifacts } from '../alerts';
import { outputFiles } from '../model/outputs';
import { resolveConfig, type Config } from '../config';
import { isAtLeast } from '../model';
import { clusterName, Fixtures, fluxNamespace, operatorPod, type FluxObject } from './alerts/fixtures';
import { runPromtool, unitTestFile, type AlertCase, type Labels } from './alerts/promtool';

const grafana = 'https://grafana.example.com';
const runbooks = 'https://git.example.com/flux/runbooks';
/** Links into a Grafana and a runbook wiki of the test's own. */
const alerts = { grafanaUrl: grafana, runbookBaseUrl: runbooks };

const setups: Array<{ title: string; config: Config }> = [
  {
    title: 'kube-state-metrics, cluster label',
    config: resolveConfig({ alerts: { grafanaUrl: `${grafana}/`, runbookBaseUrl: `${runbooks}/` } }),
  },
  {
    title: 'legacy on Flux 2.1, cluster label',
    config: resolveConfig({ flavor: 'legacy', fluxVersion: '2.1', alerts }),
  },
  { title: 'kube-state-metrics, no cluster label', config: resolveConfig({ clusterLabel: null, alerts }) },
  {
    title: 'legacy on Flux 2.4, honor_labels, no cluster label',
    config: resolveConfig({ flavor: 'legacy', clusterLabel: null, objectNamespaceLabel: 'namespace', alerts }),
  },
  { title: 'flux-operator, cluster label', config: resolveConfig({ flavor: 'flux-operator', alerts }) },
  {
    title: 'flux-operator, honor_labels, no cluster label',
    config: resolveConfig({ flavor: 'flux-operator', clusterLabel: null, objectNamespaceLabel: 'namespace', alerts }),
  },
  // The recording group runs first and the alerts read what it records.
  {
    title: 'kube-state-metrics, cluster label, recording rules',
    config: resolveConfig({ recordingRules: true, alerts }),
  },
  {
    title: 'legacy, honor_labels, no cluster label, recording rules',
    config: resolveConfig({
      flavor: 'legacy',
      clusterLabel: null,
      objectNamespaceLabel: 'namespace',
      recordingRules: true,
      alerts,
    }),
  },
];

const podinfo: FluxObject = { kind: 'Kustomization', namespace: 'apps', name: 'podinfo' };
const release: FluxObject = { kind: 'HelmRelease', namespace: 'apps', name: 'podinfo' };
const repository: FluxObject = { kind: 'GitRepository', namespace: 'flux-system', name: 'flux-system' };
const helmRepository: FluxObject = { kind: 'HelmRepository', namespace: 'flux-system', name: 'podinfo' };
const sourcePod = 'source-controller-6d4b9c7f5-x2x4z';
const helmPod = 'helm-controller-7d9f8c6b5-h4m2q';

/** Every case of every alert under one setup; the texts are written out here, independently of the rules' code. */
function casesFor(config: Config): Record<string, AlertCase[]> {
  const f = new Fixtures(config);
  const legacy = config.flavor === 'legacy';
  const where = (cluster = clusterName) => (config.clusterLabel ? ` in cluster ${cluster}` : '');
  const clusterVar = (cluster = clusterName) => (config.clusterLabel ? `var-cluster=${cluster}&` : '');
  const objectUrl = (object: FluxObject, cluster = clusterName) =>
    `${grafana}/d/flux-cluster?${clusterVar(cluster)}var-namespace=${fluxNamespace}&var-exported_namespace=${object.namespace}&var-kind=${object.kind}`;
  const controlPlaneUrl = `${grafana}/d/flux-control-plane?${clusterVar()}var-namespace=${fluxNamespace}`;
  const named = (object: FluxObject, cluster = clusterName) => `${object.kind} ${object.namespace}/${object.name}${where(cluster)}`;
  const objectAlert = (object: FluxObject, severity: string, summary: string, description: string, cluster = clusterName) => ({
    labels: f.objectAlertLabels(object, severity, cluster),
    annotations: { summary, description, dashboard_url: objectUrl(object, cluster) },
  });
  const controllerAlert = (labels: Labels, severity: string, summary: string, description: string) => ({
    labels: f.inCluster({ ...labels, severity }),
    annotations: { summary, description, dashboard_url: controlPlaneUrl },
  });
  const backingUpAlert = controllerAlert(
    { controller: 'helmrelease' },
    'warning',
    'A Flux controller has every worker busy while objects wait in its queue.',
    `Controller helmrelease in namespace flux-system${where()} has used all its --concurrent workers ` +
      'with items waiting for 15 minutes: reconciliations are delayed.',
  );
  const systemDown = (deployment: string) =>
    controllerAlert({ deployment }, 'critical', 'A Flux controller is not running.',
      `Flux controller Deployment ${deployment} in namespace flux-system${where()} has no available, scraped replica: what it reconciles is not being reconciled.`);

  const failure = (object: FluxObject, cluster = clusterName) =>
    objectAlert(object, 'warning', 'A Flux object has not been ready for more than 10 minutes.',
      `${named(object, cluster)} has been Ready=False for more than 10 minutes (Ready=Unknown, in progress, does not count).`, cluster);
  const kindNotReady = (object: FluxObject, consequence: string) =>
    objectAlert(object, 'critical', `A Flux ${object.kind} has not been ready for more than 15 minutes.`,
      `${named(object)} has been Ready=False for more than 15 minutes: ${consequence}.`);
  const notReadyCases = (object: FluxObject, consequence: string, otherKind: FluxObject): AlertCase[] => [
    { name: `${object.kind} False for 16m`, alert: `Flux${object.kind}NotReady`, evalTime: '16m', series: f.object(object, { ready: 'False' }, '1x30'), expected: [kindNotReady(object, consequence)] },
    { name: `${object.kind} False for only 14m`, alert: `Flux${object.kind}NotReady`, evalTime: '14m', series: f.object(object, { ready: 'False' }, '1x30'), expected: [] },
    { name: `another kind False`, alert: `Flux${object.kind}NotReady`, evalTime: '20m', series: f.object(otherKind, { ready: 'False' }, '1x30'), expected: [] },
  ];

  const cases: Record<string, AlertCase[]> = {
    FluxReconciliationFailure: [
      { name: 'False for 11m, exported by two replicas', alert: 'FluxReconciliationFailure', evalTime: '11m', series: f.object(podinfo, { ready: 'False' }, '1x30'), expected: [failure(podinfo)] },
      {
        name: 'recovered before 10m',
        alert: 'FluxReconciliationFailure',
        evalTime: '12m',
        series: [...f.object(podinfo, { ready: 'False' }, '1x7 stale'), ...f.object(podinfo, { ready: 'True' }, '_x8 1x20')],
        expected: [],
      },
      { name: 'Unknown (in progress) for 30m', alert: 'FluxReconciliationFailure', evalTime: '30m', series: f.object(podinfo, { ready: 'Unknown' }, '1x40'), expected: [] },
    ],
    FluxSuspendedResource: [
      {
        name: 'suspended for 25h',
        alert: 'FluxSuspendedResource',
        evalTime: '25h',
        series: f.object(release, { ready: 'True', suspended: true }, '1x160'),
        expected: [objectAlert(release, 'info', 'A Flux object has been suspended for more than 24 hours.', `${named(release)} has been suspended for more than 24 hours: drift from its source is not corrected.`)],
      },
      { name: 'suspended for 23h', alert: 'FluxSuspendedResource', evalTime: '23h', series: f.object(release, { ready: 'True', suspended: true }, '1x160'), expected: [] },
    ],
    FluxKustomizationNotReady: notReadyCases(podinfo, 'the cluster no longer follows its source', release),
    // helm-controller writes no legacy readiness from Flux 2.2: the legacy flavour has no HelmRelease rule there.
    ...(legacy && !isAtLeast('2.1', config.fluxVersion) ? {} : {
      FluxHelmReleaseNotReady: notReadyCases(release, 'the cluster no longer follows its source', podinfo),
    }),
    FluxGitRepositoryNotReady: notReadyCases(repository, 'every object built from it is stuck on its last artifact', helmRepository),
    FluxHighReconciliationTime: [
      {
        // Every reconciliation takes 40 s: all in the 31.9–122.3 s bucket, so p95 interpolates to 31.9 + 0.95 × 90.4 = 117.78 s.
        name: 'every reconciliation takes 40 s',
        alert: 'FluxHighReconciliationTime',
        evalTime: '50m',
        series: f.durationBuckets(release, (le) => (le >= 122.3 ? 1 : 0), 60),
        expected: [
          {
            labels: f.inCluster({ kind: 'HelmRelease', [config.objectNamespaceLabel]: 'apps', name: 'podinfo', severity: 'warning' }),
            annotations: {
              summary: 'Reconciling a Flux object takes more than a minute at the 95th percentile.',
              description:
                `${named(release)}: p95 reconciliation time over 30 minutes is 1m 57s. ` +
                '60 s lies between the 31.9 s and 122.3 s buckets, so the estimate is interpolated: with every slow reconciliation in that bucket it fires once more than 7.3 % of them took over 31.9 s.',
              dashboard_url: objectUrl(release),
            },
          },
        ],
      },
      {
        name: '4 % of reconciliations take 40 s',
        alert: 'FluxHighReconciliationTime',
        evalTime: '50m',
        series: f.durationBuckets(release, (le) => (le >= 122.3 ? 25 : le >= 2.17 ? 24 : 0), 60),
        expected: [],
      },
    ],
    FluxSystemDown: [
      {
        name: 'source-controller target down',
        alert: 'FluxSystemDown',
        evalTime: '6m',
        series: [f.controllerSeries('up', sourcePod, {}, '0x10'), f.controllerSeries('up', helmPod, {}, '1x10')],
        expected: [
          systemDown('source-controller'),
        ],
      },
      {
        name: 'helm-controller has no available replica',
        alert: 'FluxSystemDown',
        evalTime: '6m',
        series: [f.controllerSeries('up', sourcePod, {}, '1x10'), ...f.kubeStateSeries('kube_deployment_status_replicas_available', { deployment: 'helm-controller' }, '0x10')],
        expected: [
          systemDown('helm-controller'),
        ],
      },
      {
        name: 'helm-controller Deployment without a scrape target',
        alert: 'FluxSystemDown',
        evalTime: '6m',
        series: [f.controllerSeries('up', sourcePod, {}, '1x10'), ...f.kubeStateSeries('kube_deployment_spec_replicas', { deployment: 'helm-controller' }, '1x10')],
        expected: [
          systemDown('helm-controller'),
        ],
      },
      {
        name: 'no Flux target at all',
        alert: 'FluxSystemDown',
        evalTime: '6m',
        series: [{ labels: { __name__: 'go_goroutines', job: 'prometheus', namespace: 'monitoring' }, values: '1x10' }],
        expected: [
          {
            labels: { container: 'manager', severity: 'critical' },
            annotations: {
              summary: 'A Flux controller is not running.',
              description: 'No Flux controller target in namespace flux-system is scraped in any cluster: what it reconciles is not being reconciled.',
              dashboard_url: `${grafana}/d/flux-control-plane?${config.clusterLabel ? 'var-cluster=&' : ''}var-namespace=${fluxNamespace}`,
            },
          },
        ],
      },
      {
        name: 'the Flux Operator down, every controller up',
        alert: 'FluxSystemDown',
        evalTime: '10m',
        series: [
          f.controllerSeries('up', sourcePod, {}, '1x15'),
          f.controllerSeries('up', operatorPod, {}, '0x15'),
          ...f.kubeStateSeries('kube_deployment_status_replicas_available', { deployment: 'flux-operator' }, '0x15'),
          ...f.kubeStateSeries('kube_deployment_spec_replicas', { deployment: 'flux-operator' }, '1x15'),
        ],
        expected: [],
      },
      {
        name: 'only the Flux Operator is scraped: no Flux controller target at all',
        alert: 'FluxSystemDown',
        evalTime: '6m',
        series: [f.controllerSeries('up', operatorPod, {}, '1x10')],
        expected: [
          {
            labels: { container: 'manager', severity: 'critical' },
            annotations: {
              summary: 'A Flux controller is not running.',
              description: 'No Flux controller target in namespace flux-system is scraped in any cluster: what it reconciles is not being reconciled.',
              dashboard_url: `${grafana}/d/flux-control-plane?${config.clusterLabel ? 'var-cluster=&' : ''}var-namespace=${fluxNamespace}`,
            },
          },
        ],
      },
      {
        name: 'restarted within 3m',
        alert: 'FluxSystemDown',
        evalTime: '8m',
        series: [f.controllerSeries('up', sourcePod, {}, '0x3 1x10'), ...f.kubeStateSeries('kube_deployment_status_replicas_available', { deployment: 'source-controller' }, '0x3 1x10')],
        expected: [],
      },
    ],
    FluxControllerCrashLooping: [
      {
        name: 'CrashLoopBackOff for 10m',
        alert: 'FluxControllerCrashLooping',
        evalTime: '10m',
        series: f.kubeStateSeries('kube_pod_container_status_waiting_reason', { pod: sourcePod, container: 'manager', reason: 'CrashLoopBackOff' }, '1x15'),
        expected: [
          controllerAlert({ pod: sourcePod, deployment: 'source-controller' }, 'warning', 'A Flux controller keeps restarting.',
            `Pod ${sourcePod} of Flux controller source-controller in namespace flux-system${where()} is in CrashLoopBackOff or restarted more than twice in 30 minutes.`),
        ],
      },
      {
        name: 'restarted every 5 minutes',
        alert: 'FluxControllerCrashLooping',
        evalTime: '30m',
        series: f.kubeStateSeries('kube_pod_container_status_restarts_total', { pod: sourcePod, container: 'manager' }, '0+0.2x40'),
        expected: [
          controllerAlert({ pod: sourcePod, deployment: 'source-controller' }, 'warning', 'A Flux controller keeps restarting.',
            `Pod ${sourcePod} of Flux controller source-controller in namespace flux-system${where()} is in CrashLoopBackOff or restarted more than twice in 30 minutes.`),
        ],
      },
      {
        name: 'the Flux Operator in CrashLoopBackOff',
        alert: 'FluxControllerCrashLooping',
        evalTime: '10m',
        series: f.kubeStateSeries('kube_pod_container_status_waiting_reason', { pod: operatorPod, container: 'manager', reason: 'CrashLoopBackOff' }, '1x15'),
        expected: [],
      },
      {
        name: 'one restart in 30m',
        alert: 'FluxControllerCrashLooping',
        evalTime: '30m',
        series: f.kubeStateSeries('kube_pod_container_status_restarts_total', { pod: sourcePod, container: 'manager' }, '0x10 1x30'),
        expected: [],
      },
    ],
    FluxControllerMemoryNearLimit: [
      {
        // 950 MiB of 1 GiB = 92.77 %; the limit comes from two kube-state-metrics replicas and must not be summed.
        name: 'working set at 92.77 % of the limit',
        alert: 'FluxControllerMemoryNearLimit',
        evalTime: '20m',
        series: [
          f.controllerSeries('container_memory_working_set_bytes', helmPod, { job: 'kubelet', metrics_path: '/metrics/cadvisor' }, `${950 * 2 ** 20}x30`),
          ...f.kubeStateSeries('kube_pod_container_resource_limits', { pod: helmPod, container: 'manager', resource: 'memory', unit: 'byte' }, `${2 ** 30}x30`),
        ],
        expected: [
          controllerAlert({ pod: helmPod, deployment: 'helm-controller' }, 'warning', 'A Flux controller uses more than 90 % of its memory limit.',
            `Pod ${helmPod} of Flux controller helm-controller in namespace flux-system${where()} uses 92.77% of its memory limit: it will be OOM-killed next.`),
        ],
      },
      {
        name: 'working set at half the limit',
        alert: 'FluxControllerMemoryNearLimit',
        evalTime: '20m',
        series: [
          f.controllerSeries('container_memory_working_set_bytes', helmPod, { job: 'kubelet' }, `${512 * 2 ** 20}x30`),
          ...f.kubeStateSeries('kube_pod_container_resource_limits', { pod: helmPod, container: 'manager', resource: 'memory', unit: 'byte' }, `${2 ** 30}x30`),
        ],
        expected: [],
      },
    ],
    FluxReconcileErrorsHigh: [
      {
        name: 'a third of HelmRelease reconciliations fail',
        alert: 'FluxReconcileErrorsHigh',
        evalTime: '40m',
        series: [
          f.controllerSeries('controller_runtime_reconcile_total', helmPod, { controller: 'helmrelease', result: 'success' }, '0+10x60'),
          f.controllerSeries('controller_runtime_reconcile_total', helmPod, { controller: 'helmrelease', result: 'error' }, '0+5x60'),
          f.controllerSeries('controller_runtime_reconcile_errors_total', helmPod, { controller: 'helmrelease' }, '0+5x60'),
        ],
        expected: [
          controllerAlert({ controller: 'helmrelease' }, 'warning', 'A Flux controller returns errors for more than 10 % of its reconciliations.',
            `Controller helmrelease in namespace flux-system${where()}: 33.33% of reconciliations ` +
              `over ${config.recordingRules ? 5 : 15} minutes returned an error.`),
        ],
      },
      {
        // kustomize-controller returns failures as requeue_after: readiness alerts catch them, this one must not.
        name: 'failing Kustomizations counted as requeue_after',
        alert: 'FluxReconcileErrorsHigh',
        evalTime: '40m',
        series: [
          f.controllerSeries('controller_runtime_reconcile_total', 'kustomize-controller-5f7c9d8b6-k2x9p', { controller: 'kustomization', result: 'requeue_after' }, '0+5x60'),
          f.controllerSeries('controller_runtime_reconcile_errors_total', 'kustomize-controller-5f7c9d8b6-k2x9p', { controller: 'kustomization' }, '0x60'),
        ],
        expected: [],
      },
      {
        name: "a third of the Flux Operator's ResourceSet reconciliations fail",
        alert: 'FluxReconcileErrorsHigh',
        evalTime: '40m',
        series: [
          f.controllerSeries('controller_runtime_reconcile_total', operatorPod, { controller: 'resourceset', result: 'success' }, '0+10x60'),
          f.controllerSeries('controller_runtime_reconcile_errors_total', operatorPod, { controller: 'resourceset' }, '0+5x60'),
        ],
        expected: [],
      },
      {
        name: 'one error in a quarter hour',
        alert: 'FluxReconcileErrorsHigh',
        evalTime: '40m',
        series: [
          f.controllerSeries('controller_runtime_reconcile_total', helmPod, { controller: 'helmrelease', result: 'success' }, '0+0.2x60'),
          f.controllerSeries('controller_runtime_reconcile_errors_total', helmPod, { controller: 'helmrelease' }, '0+0.1x60'),
        ],
        expected: [],
      },
    ],
    FluxWorkQueueBackingUp: [
      {
        name: 'all workers busy, items waiting',
        alert: 'FluxWorkQueueBackingUp',
        evalTime: '20m',
        series: [
          f.controllerSeries('controller_runtime_active_workers', helmPod, { controller: 'helmrelease' }, '4x30'),
          f.controllerSeries('controller_runtime_max_concurrent_reconciles', helmPod, { controller: 'helmrelease' }, '4x30'),
          f.controllerSeries('workqueue_depth', helmPod, { controller: 'helmrelease', name: 'helmrelease', priority: '0' }, '12x30'),
        ],
        expected: [backingUpAlert],
      },
      {
        // controller-runtime before 0.19 (Flux < 2.4) names the queue but gives it no controller label.
        name: 'all workers busy, items waiting, Flux before 2.4',
        alert: 'FluxWorkQueueBackingUp',
        evalTime: '20m',
        series: [
          f.controllerSeries('controller_runtime_active_workers', helmPod, { controller: 'helmrelease' }, '4x30'),
          f.controllerSeries(
            'controller_runtime_max_concurrent_reconciles', helmPod, { controller: 'helmrelease' }, '4x30',
          ),
          f.controllerSeries('workqueue_depth', helmPod, { name: 'helmrelease' }, '12x30'),
        ],
        expected: [backingUpAlert],
      },
      {
        name: 'the Flux Operator with every worker busy and items waiting',
        alert: 'FluxWorkQueueBackingUp',
        evalTime: '20m',
        series: [
          f.controllerSeries('controller_runtime_active_workers', operatorPod, { controller: 'fluxinstance' }, '1x30'),
          f.controllerSeries('controller_runtime_max_concurrent_reconciles', operatorPod, { controller: 'fluxinstance' }, '1x30'),
          f.controllerSeries('workqueue_depth', operatorPod, { controller: 'fluxinstance', name: 'fluxinstance', priority: '0' }, '3x30'),
        ],
        expected: [],
      },
      {
        name: 'all workers busy, queue empty',
        alert: 'FluxWorkQueueBackingUp',
        evalTime: '20m',
        series: [
          f.controllerSeries('controller_runtime_active_workers', helmPod, { controller: 'helmrelease' }, '4x30'),
          f.controllerSeries('controller_runtime_max_concurrent_reconciles', helmPod, { controller: 'helmrelease' }, '4x30'),
          f.controllerSeries('workqueue_depth', helmPod, { controller: 'helmrelease', name: 'helmrelease', priority: '0' }, '0x30'),
        ],
        expected: [],
      },
    ],
  };

  if (config.clusterLabel) {
    cases.FluxReconciliationFailure!.push({
      name: 'the same object failing in two clusters: one alert each',
      alert: 'FluxReconciliationFailure',
      evalTime: '11m',
      series: [...f.object(podinfo, { ready: 'False' }, '1x30'), ...f.object(podinfo, { ready: 'False' }, '1x30', 'staging')],
      expected: [failure(podinfo), failure(podinfo, 'staging')],
    });
  }
  if (legacy) {
    cases.FluxReconciliationFailure!.push({
      name: 'deleted object (status Deleted at 1)',
      alert: 'FluxReconciliationFailure',
      evalTime: '20m',
      series: [...f.object(podinfo, { ready: 'False' }, '1x30'), f.deleted(podinfo, '1x30')],
      expected: [],
    });
  }
  if (config.flavor === 'kube-state-metrics') {
    const stalledAlert = objectAlert(release, 'warning', 'A Flux object is stalled: its controller will not retry until the object or its source changes.',
      `${named(release)} has been Stalled=True for more than 10 minutes; fix its spec or source, then reconcile it.`);
    cases.FluxReconciliationStalled = [
      { name: 'stalled for 12m', alert: 'FluxReconciliationStalled', evalTime: '12m', series: f.object(release, { ready: 'False', stalled: true }, '1x30'), expected: [stalledAlert] },
      {
        name: 'stalled for 5m, then retried',
        alert: 'FluxReconciliationStalled',
        evalTime: '15m',
        series: [...f.object(release, { ready: 'False', stalled: true }, '1x5 stale'), ...f.object(release, { ready: 'Unknown', stalled: false }, '_x6 1x20')],
        expected: [],
      },
    ];
  }
  // Written out per reason: what each reason means, as the controllers set it (docs/flux-facts.md, Ready reasons).
  const sourceAlert = (object: FluxObject, reason: string, meaning: string) => ({
    labels: { ...f.objectAlertLabels(object, 'warning'), [f.reasonLabel]: reason },
    annotations: {
      summary: "A Flux Kustomization or HelmRelease cannot use its source's artifact.",
      description: `${named(object)} is Ready=False with reason ${reason}: ${meaning}; its Ready message says which.`,
      dashboard_url: objectUrl(object),
    },
  });
  const artifactFailed = 'its source is missing or has no artifact, or the artifact could not be fetched, verified or lacks the path';
  const sourceNotReady = 'its source exists but is not ready';
  if (!legacy) {
    cases.FluxSourceArtifactFailed = [
      { name: 'Kustomization whose GitRepository is missing (ArtifactFailed)', alert: 'FluxSourceArtifactFailed', evalTime: '6m', series: f.object(podinfo, { ready: 'False', reason: 'ArtifactFailed' }, '1x10'), expected: [sourceAlert(podinfo, 'ArtifactFailed', artifactFailed)] },
      { name: 'HelmRelease whose chart could not be fetched (ArtifactFailed)', alert: 'FluxSourceArtifactFailed', evalTime: '6m', series: f.object(release, { ready: 'False', reason: 'ArtifactFailed' }, '1x10'), expected: [sourceAlert(release, 'ArtifactFailed', artifactFailed)] },
      { name: 'HelmRelease whose HelmChart is not ready (SourceNotReady)', alert: 'FluxSourceArtifactFailed', evalTime: '6m', series: f.object(release, { ready: 'False', reason: 'SourceNotReady' }, '1x10'), expected: [sourceAlert(release, 'SourceNotReady', sourceNotReady)] },
      { name: 'Kustomization failing its health checks', alert: 'FluxSourceArtifactFailed', evalTime: '8m', series: f.object(podinfo, { ready: 'False', reason: 'HealthCheckFailed' }, '1x10'), expected: [] },
      { name: 'GitRepository failing to fetch', alert: 'FluxSourceArtifactFailed', evalTime: '8m', series: f.object(repository, { ready: 'False', reason: 'GitOperationFailed' }, '1x10'), expected: [] },
      { name: 'Kustomization waiting for its dependency', alert: 'FluxSourceArtifactFailed', evalTime: '8m', series: f.object(podinfo, { ready: 'False', reason: 'DependencyNotReady' }, '1x10'), expected: [] },
    ];
  }
  if (config.flavor === 'flux-operator') {
    // flux_resource_info changes only at the operator's report (5 minutes by default) and is exported in between:
    // each state is a run of samples starting at a report; a state seen in one report only must not fire a 5m rule.
    cases.FluxSourceArtifactFailed!.push(
      {
        name: 'ArtifactFailed in one report only (5-minute reports)',
        alert: 'FluxSourceArtifactFailed',
        evalTime: '12m',
        series: [
          ...f.object(podinfo, { ready: 'True', reason: 'ReconciliationSucceeded' }, '1x4 stale _x4 1x10'),
          ...f.object(podinfo, { ready: 'False', reason: 'ArtifactFailed' }, '_x5 1x4 stale'),
        ],
        expected: [],
      },
      {
        name: 'ArtifactFailed in two reports running (5-minute reports)',
        alert: 'FluxSourceArtifactFailed',
        evalTime: '11m',
        series: [
          ...f.object(podinfo, { ready: 'True', reason: 'ReconciliationSucceeded' }, '1x4 stale'),
          ...f.object(podinfo, { ready: 'False', reason: 'ArtifactFailed' }, '_x5 1x15'),
        ],
        expected: [sourceAlert(podinfo, 'ArtifactFailed', artifactFailed)],
      },
    );
    cases.FluxReconciliationFailure!.push(
      {
        name: 'failing from the 5m report, checked at 14m (5-minute reports)',
        alert: 'FluxReconciliationFailure',
        evalTime: '14m',
        series: [...f.object(podinfo, { ready: 'True' }, '1x4 stale'), ...f.object(podinfo, { ready: 'False' }, '_x5 1x20')],
        expected: [],
      },
      {
        name: 'failing from the 5m report, checked at 16m (5-minute reports)',
        alert: 'FluxReconciliationFailure',
        evalTime: '16m',
        series: [...f.object(podinfo, { ready: 'True' }, '1x4 stale'), ...f.object(podinfo, { ready: 'False' }, '_x5 1x20')],
        expected: [failure(podinfo)],
      },
    );
  }
  return cases;
}

const rulesOf = (config: Config) => alertArtifacts(config).files.get(outputFiles.ruleFile)!;

describe.each(setups)('alert rules under promtool ($title)', ({ config }) => {
  const rules = rulesOf(config);
  const cases = casesFor(config);
  const ruleNames = [...rules.matchAll(/^\s+- alert: (\w+)$/gm)].map((match) => match[1]);

  it('has fire and silence cases for every rule, and no cases for rules it lacks', () => {
    expect(Object.keys(cases).sort()).toEqual([...ruleNames].sort());
    for (const [alert, alertCases] of Object.entries(cases)) {
      expect(alertCases.some((c) => c.expected.length > 0), `${alert} fires somewhere`).toBe(true);
      expect(alertCases.some((c) => c.expected.length === 0), `${alert} stays silent somewhere`).toBe(true);
    }
  });

  it.each(Object.keys(cases))('%s', async (alert) => {
    // A day-long `for` is sampled every 10 minutes: the same verdicts, a hundredth of the evaluations.
    const interval = alert === 'FluxSuspendedResource' ? '10m' : '1m';
    // Every alert links the runbook page named after it.
    const withRunbook = cases[alert]!.map((c) => ({
      ...c,
      expected: c.expected.map((e) => ({ ...e, annotations: { ...e.annotations, runbook_url: `${runbooks}/${alert}.md` } })),
    }));
    const result = await runPromtool({ 'rules.yaml': rules, 'tests.yaml': unitTestFile(withRunbook, interval) }, ['test', 'rules', 'tests.yaml']);
    expect(result.status, result.output).toBe(0);
    expect(result.output).toContain('SUCCESS');
  });
});
