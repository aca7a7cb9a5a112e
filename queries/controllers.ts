/**
 * PromQL about the Flux controllers themselves: health, reconcile loop, work queues, API traffic, resources. Each
 * measure is one function taking its grouping; functions ending in `Expr` return a part of a query, not a query.
 */
import * as promql from '@grafana/promql-builder';
import { fluxApiGroupsRegex, operatorPodRegex } from '../model';
import { promQuery, type Query } from './query';
import { deploymentPodSuffix } from '../model/kinds';
import { quantileOf, rateSum, type RecordedRate } from './recorded';
import type { Scope } from './scope';
import { clusterBy, eq, labelReplace, nre, rateOf, re, select, type Matchers } from './selector';

/** What a controller measure can be broken down by, and the label each is read from. */
const groupingLabels = {
  controller: 'controller',
  result: 'result',
  pod: 'pod',
  queue: 'name',
  lease: 'name',
  method: 'method',
  code: 'code',
} as const;

export type ControllerGrouping = keyof typeof groupingLabels;

/** The `by` labels of a grouping: the cluster label (when any), then the grouping's own; none for a total. */
export const groupLabels = (scope: Scope, by: readonly ControllerGrouping[] = []) => [
  ...clusterBy(scope),
  ...by.map((grouping) => groupingLabels[grouping]),
];

/** Flux controllers run their manager in a container of this name (and so does the Flux Operator). */
export const managerContainer = eq('manager');
/** The Flux controllers' pods: those in Flux's namespace but the Flux Operator's, which runs there too. */
export const inFluxNamespace = (scope: Scope) => ({ namespace: re(scope.fluxNamespace), pod: nre(operatorPodRegex) });
export const managerOf = (scope: Scope) => ({ ...inFluxNamespace(scope), container: managerContainer });
/** Every manager container in Flux's namespace: the controllers and the Flux Operator, told apart by `component`. */
const managersAndOperator = (scope: Scope) => ({ namespace: re(scope.fluxNamespace), container: managerContainer });
const perMinuteExpr = (expr: promql.FuncCallExprBuilder | promql.AggregationExprBuilder) =>
  promql.mul(expr, promql.n(60));
const quantileSuffix = (quantile: number) => ` p${Math.round(quantile * 100)}`;

/** Adds a `deployment` label from the pod name (`kustomize-controller-7b9c…-x2x4z` → `kustomize-controller`). */
export function withDeployment(expr: Parameters<typeof labelReplace>[0]) {
  return labelReplace(expr, 'deployment', '$1', 'pod', `(.+)${deploymentPodSuffix}`);
}

/** Adds `component`: "Flux Operator" on the operator's pod, "Flux controller" on every other. */
export function withComponent(expr: Parameters<typeof labelReplace>[0]) {
  const operator = labelReplace(expr, 'component', 'Flux Operator', 'pod', operatorPodRegex);
  return labelReplace(operator, 'component', 'Flux controller', 'component', '');
}

// Health

const upExpr = (scope: Scope) => select(scope, 'up', managerOf(scope));

/** 1 or 0 per pod of the controllers and the Flux Operator, with its Deployment and what it is. */
export function controllerScrapeUp(scope: Scope): Query {
  const deploymentLabels = [...clusterBy(scope), 'deployment'];
  const up = promql.max(select(scope, 'up', managersAndOperator(scope))).by(groupLabels(scope, ['pod']));
  const labels = [...deploymentLabels, 'component', 'pod'];
  return promQuery(scope, withComponent(withDeployment(up)), labels, { legendLabels: deploymentLabels });
}

export function controllersUpCount(scope: Scope): Query {
  const by = groupLabels(scope);
  return promQuery(scope, promql.sum(upExpr(scope)).by(by), by);
}

export function controllersDownCount(scope: Scope): Query {
  const by = groupLabels(scope);
  return promQuery(scope, promql.count(promql.eq(upExpr(scope), promql.n(0))).by(by), by);
}

/** The version of each controller and of the Flux Operator, read off the image tag kube-state-metrics reports. */
export function controllerVersions(scope: Scope): Query {
  const containers = select(scope, 'kube_pod_container_info', managersAndOperator(scope));
  const info = promql.max(containers).by([...groupLabels(scope, ['pod']), 'image']);
  const versioned = labelReplace(info, 'version', '$1', 'image', '.*:([^@]+).*');
  const deploymentLabels = [...clusterBy(scope), 'deployment'];
  const labels = [...deploymentLabels, 'component', 'pod', 'version', 'image'];
  return promQuery(scope, withComponent(withDeployment(versioned)), labels, {
    legendLabels: [...deploymentLabels, 'version'],
  });
}

// Rates the recording rules record: every controller's, summed by what the panels and alerts group and select by.

const byController =
  (...labels: string[]) =>
  () => ['namespace', ...labels];

export const recordedRates = {
  reconciles: {
    metric: 'controller_runtime_reconcile_total',
    level: 'controller_result',
    keeps: byController('controller', 'result'),
    matchers: inFluxNamespace,
  },
  /** Every reconciliation observes the reconcile-time histogram once: its count is the reconciliations, one series. */
  reconcileCount: {
    metric: 'controller_runtime_reconcile_time_seconds',
    series: 'count',
    level: 'controller',
    keeps: byController('controller'),
    matchers: inFluxNamespace,
  },
  reconcileErrors: {
    metric: 'controller_runtime_reconcile_errors_total',
    level: 'controller',
    keeps: byController('controller'),
    matchers: inFluxNamespace,
  },
  reconcilePanics: {
    metric: 'controller_runtime_reconcile_panics_total',
    level: 'controller',
    keeps: byController('controller'),
    matchers: inFluxNamespace,
  },
  /** The p99 per controller, where its buckets are 41 series (40 bounds and +Inf). */
  reconcileTime: {
    metric: 'controller_runtime_reconcile_time_seconds',
    series: 'bucket',
    level: 'controller',
    keeps: byController('controller'),
    matchers: inFluxNamespace,
    quantile: 0.99,
  },
  queueAdds: {
    metric: 'workqueue_adds_total',
    level: 'queue',
    keeps: byController(groupingLabels.queue),
    matchers: inFluxNamespace,
  },
  /** The p99 per work queue, where its buckets are 12 series. */
  queueWait: {
    metric: 'workqueue_queue_duration_seconds',
    series: 'bucket',
    level: 'queue',
    keeps: byController(groupingLabels.queue),
    matchers: inFluxNamespace,
    quantile: 0.99,
  },
  apiRequests: {
    metric: 'rest_client_requests_total',
    level: 'code_method',
    keeps: byController(groupingLabels.code, groupingLabels.method),
    matchers: inFluxNamespace,
  },
  apiServerRequests: {
    metric: 'apiserver_request_total',
    level: 'resource_verb',
    keeps: () => ['group', 'resource', 'verb'],
    matchers: () => ({ group: re(fluxApiGroupsRegex) }),
  },
} as const satisfies Record<string, RecordedRate>;

// Reconcile loop

/** Reconcile errors per minute, summed by the given labels. */
export function reconcileErrorsPerMinuteExpr(scope: Scope, by: string[]) {
  return perMinuteExpr(rateSum(scope, recordedRates.reconcileErrors, by));
}

/** Reconciliations per second summed by the labels, from the reconcile-time count (not every `result` series). */
export function reconcileRateExpr(scope: Scope, by: string[]) {
  return rateSum(scope, recordedRates.reconcileCount, by);
}

/**
 * Share of reconciliations that returned an error (kustomize-controller reports failures as requeue_after, not here):
 * errors over the reconcile-time count, two series per controller where the `result` split reads four.
 */
export function reconcileErrorShareExpr(scope: Scope, by: string[]) {
  return promql.div(rateSum(scope, recordedRates.reconcileErrors, by), reconcileRateExpr(scope, by));
}

/** Reconciliations per second by the given labels, `result` among them if asked (every `result` series is read). */
export function reconcilesPerSecond(scope: Scope, by: readonly ControllerGrouping[]): Query {
  const labels = groupLabels(scope, by);
  return promQuery(scope, rateSum(scope, recordedRates.reconciles, labels), labels);
}

/** Reconciliations per minute (every result), from the reconcile-time count: one series per controller. */
export function reconcilesPerMinute(scope: Scope, by: readonly Exclude<ControllerGrouping, 'result'>[] = []): Query {
  const labels = groupLabels(scope, by);
  return promQuery(scope, perMinuteExpr(reconcileRateExpr(scope, labels)), labels);
}

export function reconcileErrorsPerMinute(scope: Scope, by: readonly ControllerGrouping[]): Query {
  const labels = groupLabels(scope, by);
  return promQuery(scope, reconcileErrorsPerMinuteExpr(scope, labels), labels, { suffix: ' errors' });
}

export function reconcileErrorShare(scope: Scope, by: readonly ControllerGrouping[] = []): Query {
  const labels = groupLabels(scope, by);
  return promQuery(scope, reconcileErrorShareExpr(scope, labels), labels);
}

export function reconcilePanicsPerMinute(scope: Scope, by: readonly ControllerGrouping[]): Query {
  const labels = groupLabels(scope, by);
  const panics = rateSum(scope, recordedRates.reconcilePanics, labels);
  return promQuery(scope, perMinuteExpr(panics), labels, { suffix: ' panics' });
}

/** The p99 of reconcile time per group (one quantile: each one re-reads every bucket of every controller). */
export function reconcileTimeQuantile(scope: Scope, by: readonly ControllerGrouping[]): Query {
  const labels = groupLabels(scope, by);
  const rate = recordedRates.reconcileTime;
  return promQuery(scope, quantileOf(scope, rate, labels), labels, { suffix: quantileSuffix(rate.quantile) });
}

// Work queues

export function workqueueDepth(scope: Scope, by: readonly ControllerGrouping[]): Query {
  const labels = groupLabels(scope, by);
  return promQuery(scope, promql.sum(select(scope, 'workqueue_depth', inFluxNamespace(scope))).by(labels), labels);
}

export function workqueueAddsPerSecond(scope: Scope, by: readonly ControllerGrouping[]): Query {
  const labels = groupLabels(scope, by);
  return promQuery(scope, rateSum(scope, recordedRates.queueAdds, labels), labels);
}

/** The p99 of the time an item waits in its queue, per group. */
export function workqueueWaitQuantile(scope: Scope, by: readonly ControllerGrouping[]): Query {
  const labels = groupLabels(scope, by);
  const rate = recordedRates.queueWait;
  return promQuery(scope, quantileOf(scope, rate, labels), labels, { suffix: quantileSuffix(rate.quantile) });
}

export function longestRunningProcessor(scope: Scope, by: readonly ControllerGrouping[] = []): Query {
  const labels = groupLabels(scope, by);
  const longest = select(scope, 'workqueue_longest_running_processor_seconds', inFluxNamespace(scope));
  return promQuery(scope, promql.max(longest).by(labels), labels);
}

/** Busy workers as a share of `--concurrent`: at 100 % objects queue up behind each other. */
export function workerUtilisation(scope: Scope, by: readonly ControllerGrouping[]): Query {
  const labels = groupLabels(scope, by);
  const expr = promql.div(
    promql.sum(select(scope, 'controller_runtime_active_workers', inFluxNamespace(scope))).by(labels),
    promql.sum(select(scope, 'controller_runtime_max_concurrent_reconciles', inFluxNamespace(scope))).by(labels),
  );
  return promQuery(scope, expr, labels);
}

// Kubernetes API

const apiRequestRateSum = (scope: Scope, by: string[], matchers: Matchers<'rest_client_requests_total'> = {}) =>
  rateSum(scope, recordedRates.apiRequests, by, matchers);

export function apiRequestsPerSecond(scope: Scope, by: readonly ControllerGrouping[] = []): Query {
  const labels = groupLabels(scope, by);
  return promQuery(scope, apiRequestRateSum(scope, labels), labels);
}

/** Share of API requests that did not succeed (any code but 2xx, including client-side `<error>`). */
export function apiErrorShare(scope: Scope, by: readonly ControllerGrouping[] = []): Query {
  const labels = groupLabels(scope, by);
  const failed = apiRequestRateSum(scope, labels, { code: nre('2..') });
  return promQuery(scope, promql.div(failed, apiRequestRateSum(scope, labels)), labels);
}

// Resources

export function cpuCores(scope: Scope, by: readonly ControllerGrouping[]): Query {
  const labels = groupLabels(scope, by);
  const usage = rateOf(select(scope, 'container_cpu_usage_seconds_total', managerOf(scope)), scope);
  return promQuery(scope, promql.sum(usage).by(labels), labels);
}

const workingSetExpr = (scope: Scope) => select(scope, 'container_memory_working_set_bytes', managerOf(scope));

export function memoryWorkingSet(scope: Scope, by: readonly ControllerGrouping[] = []): Query {
  const labels = groupLabels(scope, by);
  return promQuery(scope, promql.sum(workingSetExpr(scope)).by(labels), labels);
}

// kube-state-metrics series are folded with max by pod: several kube-state-metrics replicas report the same container.

const memoryLimitsExpr = (scope: Scope) =>
  select(scope, 'kube_pod_container_resource_limits', { ...managerOf(scope), resource: eq('memory') });

export function memoryLimit(scope: Scope, by: readonly ControllerGrouping[]): Query {
  const labels = groupLabels(scope, by);
  return promQuery(scope, promql.max(memoryLimitsExpr(scope)).by(labels), labels, { suffix: ' limit' });
}

/**
 * Working set as a share of the memory limit, per pod: what the OOM killer compares (pods without a limit drop out).
 */
export function memoryLimitShareExpr(scope: Scope) {
  const labels = groupLabels(scope, ['pod']);
  return promql.div(promql.max(workingSetExpr(scope)).by(labels), promql.max(memoryLimitsExpr(scope)).by(labels));
}

export function memoryLimitUsageByPod(scope: Scope): Query {
  return promQuery(scope, memoryLimitShareExpr(scope), groupLabels(scope, ['pod']));
}

/** Restarts of each controller container over the window. */
export function restartsPerPodExpr(scope: Scope, window: string) {
  const restarts = promql.increase(
    select(scope, 'kube_pod_container_status_restarts_total', managerOf(scope)).range(window),
  );
  return promql.max(restarts).by(groupLabels(scope, ['pod']));
}

/** Restarts per pod over each rate interval (a time series), or their total over the whole time range. */
export function restarts(scope: Scope, over: 'rateInterval' | 'range'): Query {
  if (over === 'rateInterval')
    return promQuery(scope, restartsPerPodExpr(scope, scope.rateInterval), groupLabels(scope, ['pod']));
  const labels = groupLabels(scope);
  return promQuery(scope, promql.sum(restartsPerPodExpr(scope, scope.range)).by(labels), labels);
}

/** The pod holding each leader lease. */
export function leaderPods(scope: Scope): Query {
  const labels = groupLabels(scope, ['lease', 'pod']);
  const leader = promql.max(select(scope, 'leader_election_master_status', inFluxNamespace(scope))).by(labels);
  return promQuery(scope, promql.eq(leader, promql.n(1)), labels);
}

export function goroutines(scope: Scope, by: readonly ControllerGrouping[]): Query {
  const labels = groupLabels(scope, by);
  return promQuery(scope, promql.sum(select(scope, 'go_goroutines', inFluxNamespace(scope))).by(labels), labels);
}

// Network (cAdvisor counts a pod's network namespace: its series have no container label)

/** The Flux controllers' pods, as their scrape targets name them. */
const controllerPodsExpr = (scope: Scope) => promql.group(upExpr(scope)).by(groupLabels(scope, ['pod']));

/** Bytes per second each controller pod receives or sends (other pods of Flux's namespace left out). */
export function networkBytesPerSecond(scope: Scope, direction: 'receive' | 'transmit'): Query {
  const labels = groupLabels(scope, ['pod']);
  const metric =
    direction === 'receive' ? 'container_network_receive_bytes_total' : 'container_network_transmit_bytes_total';
  const perPod = promql.sum(rateOf(select(scope, metric, inFluxNamespace(scope)), scope)).by(labels);
  return promQuery(scope, promql.and(perPod, controllerPodsExpr(scope)).on(labels), labels);
}

// The Kubernetes API server's side: requests on Flux's resources and the objects it stores (API server scraped)

/** Requests per second the API server handled on Flux's API groups, by resource and verb (every client's). */
export function apiServerFluxRequests(scope: Scope): Query {
  const labels = [...clusterBy(scope), 'resource', 'verb'];
  return promQuery(scope, rateSum(scope, recordedRates.apiServerRequests, labels), labels);
}

/** Flux objects stored per resource (each API server replica reports the same count: the largest is kept). */
export function apiServerFluxObjects(scope: Scope): Query {
  const labels = [...clusterBy(scope), 'resource'];
  const stored = select(scope, 'apiserver_storage_objects', { resource: re(`.+[.]${fluxApiGroupsRegex}`) });
  return promQuery(scope, promql.max(stored).by(labels), labels);
}
