/** Panels about the Flux controllers: health, reconcile loop, work queues, API traffic, resources. */
import type { Query } from '../queries/query';
import {
  expressionTimeseriesPanel, reusedTimeseriesPanel, statPanel, tablePanel, timeseriesPanel, type ColumnLink,
} from './common';
import { reconcilerLogsLinks } from './links';

// Overview

export const controllersUp = (query: Query) =>
  statPanel({
    title: 'Controllers up',
    unit: 'short',
    description: 'Flux controller pods Prometheus scrapes successfully (`up`); the Flux Operator is not one of them.',
  }, query);

export const controllersDown = (query: Query) =>
  statPanel({
    title: 'Controllers down',
    unit: 'short',
    badAt: 1,
    noValue: '0',
    description:
      'Flux controller pods whose metrics endpoint cannot be scraped. ' +
      'Anything above 0 means a controller is not running or not reachable.',
  }, query);

export const reconcilesPerMinuteStat = (query: Query) =>
  statPanel({
    title: 'Reconciliations',
    unit: 'opm',
    decimals: 1,
    description: 'Reconciliations per minute across all controllers (`controller_runtime_reconcile_total`).',
  }, query);

export const errorRatioStat = (query: Query) =>
  statPanel({
    title: 'Reconcile errors',
    unit: 'percentunit',
    decimals: 1,
    warnAt: 0.05,
    badAt: 0.2,
    noValue: '0',
    description:
      'Share of reconciliations that returned an error. kustomize-controller reports failed Kustomizations as ' +
      'requeue_after, not as errors: see Flux Cluster Stats for readiness.',
  }, query);

export const longestRunningStat = (query: Query) =>
  statPanel({
    title: 'Longest running reconcile',
    unit: 's',
    decimals: 0,
    warnAt: 120,
    badAt: 600,
    description:
      'The longest a worker of any controller has been busy with one object ' +
      '(`workqueue_longest_running_processor_seconds`). A value that only grows is a stuck reconcile.',
  }, query);

export const memoryStat = (query: Query) =>
  statPanel({
    title: 'Memory',
    unit: 'bytes',
    description: 'Container working set of all Flux controllers (cAdvisor), the memory the OOM killer looks at.',
  }, query);

export const apiRequestsStat = (query: Query) =>
  statPanel({
    title: 'API requests',
    unit: 'reqps',
    decimals: 1,
    description: 'Requests per second from the Flux controllers to the Kubernetes API.',
  }, query);

export const restartsStat = (query: Query) =>
  statPanel({
    title: 'Restarts',
    unit: 'short',
    badAt: 1,
    noValue: '0',
    description: 'Container restarts of the Flux controllers over the time range (kube-state-metrics).',
  }, query);

export const controllersTable = (up: Query, versions: Query, links: ColumnLink[] = []) =>
  tablePanel(
    {
      title: 'Controllers and versions',
      description:
        'Each controller pod: whether Prometheus scrapes it (1 up, 0 down) and the version of its image ' +
        '(kube-state-metrics `kube_pod_container_info`). The Flux Operator, when it runs in this namespace, has a ' +
        'row of its own (Component "Flux Operator") and is counted in no other panel of this dashboard.',
      sortBy: { column: 'Controller' },
      columnLinks: links,
    },
    [{ query: up, value: 'Up' }, versions],
  );

// Reconcile loop

/** The reconcile loop's queries, fetched once by the error ratio panel and reused by its neighbours. */
export interface ReconcileQueries {
  reconciles: Query;
  errors: Query;
  panics: Query;
}

const reconcileQueryList = (q: ReconcileQueries) => [q.reconciles, q.errors, q.panics];

export const reconcileErrorRatio = (q: ReconcileQueries) =>
  expressionTimeseriesPanel({
    title: 'Reconcile error ratio',
    unit: 'percentunit',
    min: 0,
    max: 1,
    thresholdLines: [0.2],
    description:
      "Share of each controller's reconciliations that returned an error. A lasting rise means objects fail again " +
      'and again. Errors over reconciliations, divided in Grafana from the series the two panels beside it show.',
  }, reconcileQueryList(q), {
    expression: (ref) => `${ref(q.errors)} / ${ref(q.reconciles)}`,
    legendLabels: q.reconciles.labels,
  }).dataLinks(reconcilerLogsLinks(q.reconciles));

/** `ratioPanelId`: the id of the error ratio panel, whose fetched series this panel shows. */
export const reconcilesPerMinute = (q: ReconcileQueries, ratioPanelId: number) =>
  reusedTimeseriesPanel({
    title: 'Reconciliations per minute',
    unit: 'opm',
    stacked: true,
    min: 0,
    description:
      'Reconciliations per minute by controller, every result counted, stacked: the top of the stack is the ' +
      "fleet's total. From controller-runtime's reconcile-time count, a per-second rate, not `increase(...[1m])`, " +
      'which is empty at a 60 s scrape interval. kustomize-controller reports a failed Kustomization as ' +
      'requeue_after, not as an error: see Flux Cluster Stats for readiness.',
  }, { panelId: ratioPanelId, queries: reconcileQueryList(q), shown: [q.reconciles] })
    .dataLinks(reconcilerLogsLinks(q.reconciles));

export const reconcileErrorsPerMinute = (q: ReconcileQueries, ratioPanelId: number) =>
  reusedTimeseriesPanel({
    title: 'Reconcile errors and panics per minute',
    unit: 'opm',
    min: 0,
    description: 'Reconciliations per minute that returned an error or panicked, per controller.',
  }, { panelId: ratioPanelId, queries: reconcileQueryList(q), shown: [q.errors, q.panics] })
    .dataLinks(reconcilerLogsLinks(q.errors));

export const reconcileTimeP99 = (query: Query) =>
  timeseriesPanel({
    title: 'Reconcile time p99',
    unit: 's',
    min: 0,
    description:
      'How long the slowest 1 % of reconciliations take, per controller, from ' +
      '`controller_runtime_reconcile_time_seconds` (buckets end at 60 s: 60 s means "60 s or more"). Typical ' +
      'durations per kind are on Flux Cluster Stats.',
  }, [query]).dataLinks(reconcilerLogsLinks(query));

// Work queues

export const workqueueDepth = (query: Query) =>
  timeseriesPanel({
    title: 'Work queue depth',
    unit: 'short',
    min: 0,
    description:
      'Objects waiting for a worker, per controller queue. A queue that stays long needs more workers ' +
      '(`--concurrent`) or faster sources.',
  }, [query]).dataLinks(reconcilerLogsLinks(query));

export const workqueueAdds = (query: Query) =>
  timeseriesPanel({
    title: 'Work queue adds',
    unit: 'ops',
    min: 0,
    description: 'Objects added to each queue per second: events, intervals and retries.',
  }, [query]).dataLinks(reconcilerLogsLinks(query));

export const workqueueWait = (query: Query) =>
  timeseriesPanel({
    title: 'Queue wait p99',
    unit: 's',
    min: 0,
    description: 'How long an object waits in the queue before a worker takes it (99th percentile).',
  }, [query]).dataLinks(reconcilerLogsLinks(query));

export const longestRunningProcessor = (query: Query) =>
  timeseriesPanel({
    title: 'Longest running reconcile',
    unit: 's',
    min: 0,
    description:
      'How long the longest busy worker of each queue has been on its object. A line that only rises is a stuck ' +
      'reconcile.',
  }, [query]).dataLinks(reconcilerLogsLinks(query));

export const workerUtilisation = (query: Query) =>
  timeseriesPanel({
    title: 'Workers busy',
    unit: 'percentunit',
    min: 0,
    max: 1,
    thresholdLines: [0.9],
    description:
      'Active workers as a share of max concurrent reconciles (`--concurrent`). Near 100 % objects queue behind ' +
      'each other.',
  }, [query]).dataLinks(reconcilerLogsLinks(query));

// Kubernetes API

export const apiRequestsByMethodAndCode = (query: Query) =>
  timeseriesPanel({
    title: 'Kubernetes API requests',
    unit: 'reqps',
    min: 0,
    description: 'Requests per second from the Flux controllers to the Kubernetes API, by method and status code.',
  }, [query]);

export const apiErrorShare = (query: Query) =>
  timeseriesPanel({
    title: 'Kubernetes API error share',
    unit: 'percentunit',
    min: 0,
    max: 1,
    thresholdLines: [0.05],
    description:
      'Share of Kubernetes API requests that did not return 2xx (conflicts, throttling, RBAC denials, ' +
      'connection errors).',
  }, [query]);

// Resources

export const cpuByPod = (query: Query) =>
  timeseriesPanel({
    title: 'CPU',
    unit: 'suffix:cores',
    min: 0,
    decimals: 2,
    description: 'CPU used by each controller pod, in cores (cAdvisor `container_cpu_usage_seconds_total`).',
  }, [query]);

export const memoryByPod = (workingSet: Query, limit: Query) =>
  timeseriesPanel({
    title: 'Memory',
    unit: 'bytes',
    min: 0,
    description:
      'Container working set of each controller pod (cAdvisor), with its memory limit where kube-state-metrics ' +
      'reports one. At the limit the pod is OOM-killed.',
  }, [workingSet, limit]);

export const restartsByPod = (query: Query) =>
  timeseriesPanel({
    title: 'Container restarts',
    unit: 'short',
    min: 0,
    bars: true,
    description:
      'Restarts of each controller container (kube-state-metrics). Repeated restarts are a crash loop or OOM kills.',
  }, [query]);

export const leaders = (query: Query) =>
  tablePanel(
    {
      title: 'Leader election',
      description:
        "The pod holding each controller's leader lease (`leader_election_master_status`). A lease with no row " +
        'has no leader: that controller reconciles nothing.',
      titles: { name: 'Lease', pod: 'Leader pod' },
      sortBy: { column: 'Lease' },
    },
    [query],
  );

export const goroutines = (query: Query) =>
  timeseriesPanel({
    title: 'Goroutines',
    unit: 'short',
    min: 0,
    description: 'Goroutines per controller pod. Steady growth hints at a leak.',
  }, [query]);

// Network

export const networkByPod = (direction: 'receive' | 'transmit', query: Query) =>
  timeseriesPanel({
    title: direction === 'receive' ? 'Network received' : 'Network sent',
    unit: 'Bps',
    min: 0,
    description:
      `Bytes per second each controller pod ${direction === 'receive' ? 'receives' : 'sends'} (cAdvisor ` +
      `\`container_network_${direction}_bytes_total\`, counted per pod: source-controller's fetches, the API traffic).`,
  }, [query]);

// The Kubernetes API server's side

export const apiServerFluxRequests = (query: Query) =>
  timeseriesPanel({
    title: 'API server requests on Flux resources',
    unit: 'reqps',
    min: 0,
    description:
      "Requests per second the Kubernetes API server handled on Flux's API groups, by resource and verb " +
      '(`apiserver_request_total`, from every client: the API server does not record which). Empty unless the ' +
      'API server is scraped.',
  }, [query]);

export const apiServerFluxObjects = (query: Query) =>
  timeseriesPanel({
    title: 'Flux objects stored',
    unit: 'short',
    min: 0,
    description:
      'Objects the API server stores per Flux resource (`apiserver_storage_objects`): what every list and watch ' +
      'of Flux walks through. Empty unless the API server is scraped.',
  }, [query]);
