/**
 * Writes a fleet as the OpenMetrics text `promtool tsdb create-blocks-from openmetrics` backfills: every series the
 * controllers, kube-state-metrics and cAdvisor expose (FLUX-FACTS.md §1–3), with the labels the example PodMonitor
 * and the ServiceMonitors add, one sample per scrape interval. Counters only grow; histograms are cumulative.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { catalogue, labelsOf, type MetricName } from '../../model/catalogue';
import { isAtLeast, kindApiOf, legacyReadiness, releaseWrites } from '../../model/flux-releases';
import { Random } from './random';
import { legacyReadinessOf, timedKinds, type ControllerPod, type Fleet, type FluxObject } from './fleet';

type Labels = Record<string, string>;

interface Series {
  /** `name{labels} ` */
  prefix: string;
  /** The value at a scrape time, or undefined where the series has no sample. */
  value: (time: number) => number | undefined;
}

/** Metrics outside the catalogue that the official dashboards read (a fair comparison needs them). */
const uncataloguedMetrics = new Set(['go_memstats_alloc_bytes', 'process_cpu_seconds_total']);

/** `gotk_reconcile_duration_seconds` buckets: prometheus.ExponentialBucketsRange(0.01, 1800, 10). */
const objectDurationBuckets = Array.from({ length: 10 }, (_, i) => 0.01 * Math.pow(1800 / 0.01, i / 9));
/** controller-runtime's `controller_runtime_reconcile_time_seconds` buckets. */
const controllerRuntimeBuckets = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.25, 1.5, 1.75,
  2, 2.5, 3, 3.5, 4, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60,
];
/** client-go work queue buckets: 1e-8 … 1e3. */
const workqueueBuckets = Array.from({ length: 12 }, (_, i) => Math.pow(10, i - 8));

class Histogram {
  readonly counts: number[];
  sum = 0;
  count = 0;

  constructor(readonly bounds: number[]) {
    this.counts = bounds.map(() => 0);
  }

  observe(value: number): void {
    this.bounds.forEach((bound, index) => {
      if (value <= bound) this.counts[index]! += 1;
    });
    this.sum += value;
    this.count += 1;
  }
}

/** Labels seen per metric, for the check that the fleet carries every catalogued label. */
export type LabelsSeen = Map<string, Set<string>>;

export interface FleetWriteResult {
  samples: number;
  series: number;
  labelsSeen: LabelsSeen;
}

const quote = (value: string) => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const format = (value: number) => (Number.isInteger(value) ? String(value) : value.toPrecision(8));

class SeriesSet {
  readonly series: Series[] = [];
  readonly labelsSeen: LabelsSeen = new Map();
  /** Run before the samples of each scrape: they advance counters and histograms. */
  readonly tickers: Array<(time: number) => void> = [];

  constructor(private readonly fleet: Fleet) {}

  /** Adds a series, checking its labels against the catalogue (a label the catalogue lacks is an error). */
  add(name: string, labels: Labels, value: Series['value'], catalogued: string = name): void {
    const settings = { clusterLabel: this.fleet.options.clusterLabel, objectNamespaceLabel: this.fleet.options.objectNamespaceLabel };
    if (!uncataloguedMetrics.has(catalogued)) {
      if (!(catalogued in catalogue)) throw new Error(`the fleet writes ${catalogued}, which the catalogue lacks`);
      const allowed = new Set([...labelsOf(catalogued as MetricName, settings), 'le']);
      const unknown = Object.keys(labels).filter((label) => !allowed.has(label));
      if (unknown.length) throw new Error(`the fleet gives ${name} labels the catalogue lacks: ${unknown.join(', ')}`);
      const seen = this.labelsSeen.get(catalogued) ?? new Set<string>();
      for (const label of Object.keys(labels)) seen.add(label);
      this.labelsSeen.set(catalogued, seen);
    }
    const text = Object.entries(labels)
      .filter(([, v]) => v !== '')
      .map(([k, v]) => `${k}="${quote(v)}"`)
      .join(',');
    this.series.push({ prefix: `${name}{${text}} `, value });
  }

  histogram(name: string, labels: Labels, histogram: Histogram, alive: (time: number) => boolean): void {
    histogram.bounds.forEach((bound, index) => {
      this.add(`${name}_bucket`, { ...labels, le: String(bound) }, (t) => (alive(t) ? histogram.counts[index] : undefined), name);
    });
    this.add(`${name}_bucket`, { ...labels, le: '+Inf' }, (t) => (alive(t) ? histogram.count : undefined), name);
    this.add(`${name}_sum`, labels, (t) => (alive(t) ? histogram.sum : undefined), name);
    this.add(`${name}_count`, labels, (t) => (alive(t) ? histogram.count : undefined), name);
  }
}

/** Labels Prometheus adds to a Flux controller series through the example PodMonitor. */
function podMonitorLabels(fleet: Fleet, pod: ControllerPod): Labels {
  return {
    ...clusterLabels(fleet, pod.cluster),
    job: `monitoring/${fleet.options.fluxNamespace}`,
    namespace: fleet.options.fluxNamespace,
    pod: pod.pod,
    container: 'manager',
    endpoint: 'http-prom',
    instance: pod.instance,
  };
}

function clusterLabels(fleet: Fleet, cluster: string): Labels {
  return fleet.options.clusterLabel ? { [fleet.options.clusterLabel]: cluster } : {};
}

/** The object's namespace where the controllers' own metrics carry it (honor_labels moves it to `namespace`). */
function objectNamespace(fleet: Fleet, object: FluxObject): Labels {
  return { [fleet.options.objectNamespaceLabel]: object.namespace };
}

/** Reconcile times of an object within (from, to]. */
function reconcilesBetween(object: FluxObject, start: number, from: number, to: number): number[] {
  if (object.suspended) return [];
  const first = start + object.phase;
  const times: number[] = [];
  let k = Math.max(0, Math.ceil((from - first) / object.interval));
  for (let time = first + k * object.interval; time <= to; k++, time = first + k * object.interval) {
    if (time > from && (object.deletedAt === null || time < object.deletedAt)) times.push(time);
  }
  return times;
}

function readyAt(object: FluxObject, time: number): FluxObject['ready'] {
  if (object.recoveredAt !== null && time < object.recoveredAt) return 'False';
  return object.ready;
}

function addObjectSeries(set: SeriesSet, fleet: Fleet, random: Random, start: number): void {
  const { options } = fleet;
  const podOf = (object: FluxObject) => fleet.pods.find((p) => p.cluster === object.cluster && p.deployment === object.kind.deployment)!;
  const podUp = (pod: ControllerPod) => (time: number) => pod.downAt === null || time < pod.downAt;
  const stateMetricsTarget = (cluster: string): Labels => ({
    ...clusterLabels(fleet, cluster),
    job: 'kube-state-metrics',
    namespace: 'monitoring',
    pod: `kube-prometheus-stack-kube-state-metrics-6d4f9b8c7-${cluster.length}x2k9`,
    container: 'kube-state-metrics',
    endpoint: 'http',
    instance: `10.${fleet.clusters.indexOf(cluster) + 1}.0.9:8080`,
    service: 'kube-prometheus-stack-kube-state-metrics',
  });

  for (const object of fleet.objects) {
    const pod = podOf(object);
    const scraped = podUp(pod);
    const existsAt = (time: number) => object.deletedAt === null || time < object.deletedAt;

    if (options.flavor === 'kube-state-metrics') {
      const api = kindApiOf(object.kind.kind, options.fluxVersion);
      const resourceLabels = (ready: FluxObject['ready']): Labels => ({
        ...stateMetricsTarget(object.cluster),
        customresource_group: api.group,
        customresource_kind: api.kind,
        customresource_version: api.version,
        name: object.name,
        exported_namespace: object.namespace,
        ...(ready ? { ready } : {}),
        ...(ready ? { ready_reason: ready === object.ready ? object.readyReason : failureReasonOf(object) } : {}),
        ...(ready === 'Unknown' ? { reconciling: 'True' } : {}),
        ...(object.stalled ? { stalled: 'True' } : {}),
        suspended: String(object.suspended),
        ...(object.revision ? { revision: object.revision } : {}),
        ...object.extraLabels,
      });
      if (object.recoveredAt !== null) {
        const recoveredAt = object.recoveredAt;
        set.add('gotk_resource_info', resourceLabels('False'), (t) => (t < recoveredAt ? 1 : undefined));
        set.add('gotk_resource_info', resourceLabels(object.ready), (t) => (t >= recoveredAt ? 1 : undefined));
      } else {
        set.add('gotk_resource_info', resourceLabels(object.ready), (t) => (existsAt(t) ? 1 : undefined));
      }
    } else if (legacyReadinessOf(fleet, object.kind)) {
      const labels = { ...podMonitorLabels(fleet, pod), kind: object.kind.kind, name: object.name, ...objectNamespace(fleet, object) };
      // Flux 2.0 marked a deleted object status="Deleted"; from 2.1 the controllers delete its series.
      const marksDeleted = isAtLeast(legacyReadiness.deletedStatusLastRelease, options.fluxVersion);
      for (const status of ['True', 'False', 'Unknown', ...(marksDeleted ? ['Deleted'] : [])]) {
        set.add('gotk_reconcile_condition', { ...labels, type: 'Ready', status }, (t) => {
          if (!scraped(t)) return undefined;
          if (!existsAt(t)) return marksDeleted ? (status === 'Deleted' ? 1 : 0) : undefined;
          return readyAt(object, t) === status ? 1 : 0;
        });
      }
      set.add('gotk_suspend_status', labels, (t) => {
        if (!scraped(t)) return undefined;
        if (!existsAt(t)) return marksDeleted ? 0 : undefined;
        return object.suspended ? 1 : 0;
      });
    }

    if (timedKinds.has(object.kind.kind)) {
      const histogram = new Histogram(objectDurationBuckets);
      const jitter = new Random(random.integer(1, 2 ** 30));
      let last = start - options.scrapeInterval;
      set.tickers.push((time) => {
        for (const _ of reconcilesBetween(object, start, last, time)) histogram.observe(object.reconcileSeconds * jitter.between(0.7, 1.3));
        last = time;
      });
      const labels = { ...podMonitorLabels(fleet, pod), kind: object.kind.kind, name: object.name, ...objectNamespace(fleet, object) };
      // The controller keeps a deleted object's histogram until it restarts; under honor_labels `namespace` is the object's.
      set.histogram('gotk_reconcile_duration_seconds', labels, histogram, scraped);
    }
  }
}

function failureReasonOf(object: FluxObject): string {
  return object.kind.role === 'source' ? 'FetchFailed' : 'ReconciliationFailed';
}

/** What one controller (one work queue) did, derived from its objects' reconciles. */
function addControllerSeries(set: SeriesSet, fleet: Fleet, pod: ControllerPod, controller: string, random: Random, start: number): void {
  const labels = podMonitorLabels(fleet, pod);
  const objects = fleet.objects.filter((o) => o.cluster === pod.cluster && o.kind.controller === controller);
  const scraped = (time: number) => pod.downAt === null || time < pod.downAt;
  const results = { success: 0, error: 0, requeue: 0, requeue_after: 0 };
  let errors = 0;
  let terminal = 0;
  let adds = 0;
  const reconcileTime = new Histogram(controllerRuntimeBuckets);
  const queueWait = new Histogram(workqueueBuckets);
  const work = new Histogram(workqueueBuckets);
  let last = start - fleet.options.scrapeInterval;
  let depth = 0;
  let active = 0;
  let longest = 0;
  const workers = controller === 'kustomization' || controller === 'helmrelease' ? 10 : 4;
  set.tickers.push((time) => {
    for (const object of objects) {
      for (const _ of reconcilesBetween(object, start, last, time)) {
        const failing = readyAt(object, time) === 'False';
        const seconds = object.reconcileSeconds * random.between(0.7, 1.3);
        reconcileTime.observe(seconds);
        work.observe(seconds);
        queueWait.observe(random.between(0.0001, 0.5));
        adds += 1;
        // kustomize-controller reports a failed Kustomization as a requeue after its retry interval, not as an error.
        if (!failing) results.success += 1;
        else if (controller === 'kustomization') results.requeue_after += 1;
        else {
          results.error += 1;
          errors += 1;
          if (object.stalled) terminal += 1;
        }
      }
    }
    last = time;
    depth = random.integer(0, 3);
    active = Math.min(workers, random.integer(0, 2) + (objects.some((o) => o.slow) ? 1 : 0));
    const slowest = objects.filter((o) => o.slow && !o.suspended);
    longest = slowest.length ? random.between(100, 600) : random.between(0, 2);
  });
  const c = { ...labels, controller };
  const value = (read: () => number) => (time: number) => (scraped(time) ? read() : undefined);
  for (const result of Object.keys(results) as Array<keyof typeof results>) {
    set.add('controller_runtime_reconcile_total', { ...c, result }, value(() => results[result]));
  }
  set.add('controller_runtime_reconcile_errors_total', c, value(() => errors));
  set.add('controller_runtime_terminal_reconcile_errors_total', c, value(() => terminal));
  const release = fleet.options.fluxVersion;
  if (releaseWrites(release, 'controller_runtime_reconcile_panics_total')) {
    set.add('controller_runtime_reconcile_panics_total', c, value(() => 0));
  }
  set.histogram('controller_runtime_reconcile_time_seconds', c, reconcileTime, scraped);
  set.add('controller_runtime_active_workers', c, value(() => active));
  set.add('controller_runtime_max_concurrent_reconciles', c, value(() => workers));
  // Work queues carry `controller` from Flux 2.4 and depth a `priority` from 2.6 (controller-runtime 0.19, 0.21).
  const queueController: Labels = releaseWrites(release, 'workqueue_depth', 'controller') ? { controller } : {};
  const queue = { ...labels, name: controller, ...queueController };
  if (releaseWrites(release, 'workqueue_depth', 'priority')) {
    set.add('workqueue_depth', { ...queue, priority: '0' }, value(() => depth));
    set.add('workqueue_depth', { ...queue, priority: '-100' }, value(() => 0));
  } else {
    set.add('workqueue_depth', queue, value(() => depth));
  }
  set.add('workqueue_adds_total', queue, value(() => adds));
  // With the priority queue every delayed add counts as a retry, normal intervals included.
  set.add('workqueue_retries_total', queue, value(() => adds));
  set.histogram('workqueue_queue_duration_seconds', queue, queueWait, scraped);
  set.histogram('workqueue_work_duration_seconds', queue, work, scraped);
  set.add('workqueue_unfinished_work_seconds', queue, value(() => (active ? longest : 0)));
  set.add('workqueue_longest_running_processor_seconds', queue, value(() => longest));
}

function addPodSeries(set: SeriesSet, fleet: Fleet, pod: ControllerPod, random: Random, start: number): void {
  const { options } = fleet;
  const labels = podMonitorLabels(fleet, pod);
  const scraped = (time: number) => pod.downAt === null || time < pod.downAt;
  const value = (read: () => number) => (time: number) => (scraped(time) ? read() : undefined);
  const requests: Array<[code: string, method: string, perScrape: number]> = [
    ['200', 'GET', 20], ['200', 'PATCH', 6], ['201', 'POST', 1], ['409', 'PATCH', 0.2], ['404', 'GET', 0.1], ['<error>', 'GET', 0.02],
  ];
  const requestTotals = requests.map(() => 0);
  let cpuSeconds = random.between(10, 100);
  let restarts = 0;
  let nextCrash = pod.downAt;
  set.tickers.push((time) => {
    requests.forEach(([, , perScrape], index) => {
      requestTotals[index]! += Math.floor(perScrape * random.between(0.5, 1.5) + random.next());
    });
    cpuSeconds += random.between(0.3, 3);
    // A crash-looping container restarts every five minutes.
    if (nextCrash !== null && time >= nextCrash) {
      restarts += 1;
      nextCrash += 300;
    }
  });
  requests.forEach(([code, method], index) => {
    set.add('rest_client_requests_total', { ...labels, code, method, host: '10.96.0.1:443' }, value(() => requestTotals[index]!));
  });
  set.add('leader_election_master_status', { ...labels, name: `${pod.deployment}-leader-election` }, value(() => 1));
  set.add('go_info', { ...labels, version: 'go1.25.1' }, value(() => 1));
  set.add('go_goroutines', labels, value(() => random.integer(80, 400)));
  const heap = random.between(30e6, 200e6);
  set.add('go_memstats_heap_inuse_bytes', labels, value(() => heap * random.between(0.9, 1.1)));
  set.add('go_memstats_alloc_bytes', labels, value(() => heap * random.between(0.8, 1)));
  set.add('process_cpu_seconds_total', labels, value(() => cpuSeconds));
  set.add('process_start_time_seconds', labels, value(() => start - 86_400));
  set.add('up', labels, (time) => (scraped(time) ? 1 : 0));

  const cluster = clusterLabels(fleet, pod.cluster);
  const kubelet = {
    ...cluster,
    job: 'kubelet',
    namespace: options.fluxNamespace,
    pod: pod.pod,
    container: 'manager',
    endpoint: 'https-metrics',
    instance: `10.${fleet.clusters.indexOf(pod.cluster) + 1}.0.2:10250`,
    node: `node-${fleet.clusters.indexOf(pod.cluster) + 1}`,
    service: 'kube-prometheus-stack-kubelet',
    metrics_path: '/metrics/cadvisor',
    image: pod.image,
    name: random.hex(64),
    id: `/kubepods/burstable/pod${random.hex(8)}/${random.hex(64)}`,
  };
  set.add('container_cpu_usage_seconds_total', { ...kubelet, cpu: 'total' }, () => cpuSeconds);
  const memory = random.between(40e6, 300e6);
  set.add('container_memory_working_set_bytes', kubelet, () => memory * random.between(0.95, 1.05));

  const stateMetrics = {
    ...cluster,
    job: 'kube-state-metrics',
    namespace: options.fluxNamespace,
    pod: pod.pod,
    container: 'manager',
    endpoint: 'http',
    instance: `10.${fleet.clusters.indexOf(pod.cluster) + 1}.0.9:8080`,
    service: 'kube-prometheus-stack-kube-state-metrics',
    uid: `${random.hex(8)}-${random.hex(4)}-${random.hex(4)}-${random.hex(4)}-${random.hex(12)}`,
  };
  const { uid: _uid, ...deploymentLabels } = stateMetrics;
  const deployment = { ...deploymentLabels, pod: 'kube-prometheus-stack-kube-state-metrics-6d4f9b8c7-x2k9q', container: 'kube-state-metrics', deployment: pod.deployment };
  set.add('kube_pod_container_info', {
    ...stateMetrics, image: pod.image, image_id: `${pod.image}@sha256:${random.hex(64)}`, image_spec: pod.image, container_id: `containerd://${random.hex(64)}`,
  }, () => 1);
  set.add('kube_pod_container_status_restarts_total', stateMetrics, () => restarts);
  if (pod.downAt !== null) {
    const downAt = pod.downAt;
    set.add('kube_pod_container_status_waiting_reason', { ...stateMetrics, reason: 'CrashLoopBackOff' }, (t) => (t >= downAt ? 1 : undefined));
  }
  set.add('kube_pod_container_resource_limits', { ...stateMetrics, node: kubelet.node, resource: 'memory', unit: 'byte' }, () => 1024 ** 3);
  set.add('kube_pod_container_resource_limits', { ...stateMetrics, node: kubelet.node, resource: 'cpu', unit: 'core' }, () => 1);
  set.add('kube_deployment_spec_replicas', deployment, () => 1);
  set.add('kube_deployment_status_replicas_available', deployment, (t) => (scraped(t) ? 1 : 0));
}

/** A controller-runtime operator that is not Flux, in another namespace: every query must leave it out. */
function addBystanderSeries(set: SeriesSet, fleet: Fleet, cluster: string, start: number): void {
  const labels = {
    ...clusterLabels(fleet, cluster),
    job: 'cert-manager/cert-manager',
    namespace: 'cert-manager',
    pod: 'cert-manager-7d9f8c6b5-x8k2p',
    container: 'manager',
    endpoint: 'http-metrics',
    instance: `10.${fleet.clusters.indexOf(cluster) + 1}.9.9:9402`,
  };
  set.add('controller_runtime_reconcile_total', { ...labels, controller: 'certificaterequests', result: 'success' }, (t) => Math.floor((t - start) / 60));
  set.add('controller_runtime_reconcile_errors_total', { ...labels, controller: 'certificaterequests' }, (t) => Math.floor((t - start) / 600));
  // Its controller-runtime is taken to be as old as Flux's, so the fleet's labels stay those of the release.
  const release = fleet.options.fluxVersion;
  set.add('workqueue_depth', {
    ...labels,
    name: 'certificaterequests',
    ...(releaseWrites(release, 'workqueue_depth', 'controller') ? { controller: 'certificaterequests' } : {}),
    ...(releaseWrites(release, 'workqueue_depth', 'priority') ? { priority: '0' } : {}),
  }, () => 7);
  set.add('up', labels, () => 1);
}

/** Writes the fleet's series to `path` as OpenMetrics text, one scrape after the other, ending with `# EOF`. */
export function writeOpenMetrics(fleet: Fleet, path: string): FleetWriteResult {
  const { options } = fleet;
  const random = new Random(options.seed ^ 0x5eed);
  const start = options.end - options.duration;
  const set = new SeriesSet(fleet);
  addObjectSeries(set, fleet, random, start);
  for (const pod of fleet.pods) {
    for (const controller of pod.controllers) addControllerSeries(set, fleet, pod, controller, random, start);
    addPodSeries(set, fleet, pod, random, start);
  }
  for (const cluster of fleet.clusters) addBystanderSeries(set, fleet, cluster, start);

  const file = openSync(path, 'w');
  let samples = 0;
  try {
    let chunk: string[] = [];
    let chunkLength = 0;
    for (let time = start; time <= options.end; time += options.scrapeInterval) {
      for (const tick of set.tickers) tick(time);
      for (const series of set.series) {
        const value = series.value(time);
        if (value === undefined) continue;
        const line = `${series.prefix}${format(value)} ${time}\n`;
        chunk.push(line);
        chunkLength += line.length;
        samples += 1;
        if (chunkLength > 8_000_000) {
          writeSync(file, chunk.join(''));
          chunk = [];
          chunkLength = 0;
        }
      }
    }
    chunk.push('# EOF\n');
    writeSync(file, chunk.join(''));
  } finally {
    closeSync(file);
  }
  return { samples, series: set.series.length, labelsSeen: set.labelsSeen };
}

/** Every catalogued metric the fleet's flavour and release carry: the removed ones only in the legacy flavour. */
export function expectedMetrics(fleet: Fleet): MetricName[] {
  const legacy = fleet.options.flavor === 'legacy';
  return (Object.keys(catalogue) as MetricName[]).filter((metric) => {
    if (!releaseWrites(fleet.options.fluxVersion, metric)) return false;
    if (metric === 'gotk_resource_info') return !legacy;
    return 'removed' in catalogue[metric] ? legacy : true;
  });
}

/** The catalogued labels of a metric that the fleet's release writes. */
export function expectedLabels(fleet: Fleet, metric: MetricName, settings: Parameters<typeof labelsOf>[1]): string[] {
  return labelsOf(metric, settings).filter((label) => releaseWrites(fleet.options.fluxVersion, metric, label));
}
