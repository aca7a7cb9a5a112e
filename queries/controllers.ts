/** PromQL about the Flux controllers themselves: health, reconcile loop, work queues, API traffic, resources. */
import * as promql from '@grafana/promql-builder';
import { promQuery, type Query } from './query';
import type { Scope } from './scope';
import { clusterBy, eq, labelReplace, nre, rateOf, re, select, selectHistogram, type Matchers } from './selector';

/** Flux controllers run their manager in a container of this name. */
export const managerContainer = eq('manager');
export const inFluxNamespace = (scope: Scope) => ({ namespace: re(scope.fluxNamespace) });
const perMinute = (expr: promql.FuncCallExprBuilder | promql.AggregationExprBuilder) => promql.mul(expr, promql.n(60));

/** Adds a `deployment` label from the pod name (`kustomize-controller-7b9c…-x2x4z` → `kustomize-controller`). */
export function withDeployment(expr: Parameters<typeof labelReplace>[0]) {
  return labelReplace(expr, 'deployment', '$1', 'pod', '(.+)-[a-z0-9]+-[a-z0-9]+');
}

// Health

export function controllerScrapeUp(scope: Scope): Query {
  const by = [...clusterBy(scope), 'pod'];
  return promQuery(
    withDeployment(promql.max(select(scope, 'up', { ...inFluxNamespace(scope), container: managerContainer })).by(by)),
    [...clusterBy(scope), 'deployment'],
  );
}

export function controllersUpCount(scope: Scope): Query {
  return promQuery(promql.sum(select(scope, 'up', { ...inFluxNamespace(scope), container: managerContainer })).by(clusterBy(scope)), clusterBy(scope));
}

export function controllersDownCount(scope: Scope): Query {
  const up = select(scope, 'up', { ...inFluxNamespace(scope), container: managerContainer });
  return promQuery(promql.count(promql.eq(up, promql.n(0))).by(clusterBy(scope)), clusterBy(scope));
}

/** The controller version, read off the image tag kube-state-metrics reports. */
export function controllerVersions(scope: Scope): Query {
  const info = promql
    .max(select(scope, 'kube_pod_container_info', { ...inFluxNamespace(scope), container: managerContainer }))
    .by([...clusterBy(scope), 'pod', 'image']);
  const versioned = labelReplace(info, 'version', '$1', 'image', '.*:([^@]+).*');
  return promQuery(withDeployment(versioned), [...clusterBy(scope), 'deployment', 'version']);
}

// Reconcile loop

export function reconcileRate(scope: Scope) {
  return rateOf(select(scope, 'controller_runtime_reconcile_total', inFluxNamespace(scope)), scope);
}

export function reconcilesPerSecondByResult(scope: Scope): Query {
  const by = [...clusterBy(scope), 'controller', 'result'];
  return promQuery(promql.sum(reconcileRate(scope)).by(by), by);
}

export function reconcilesPerMinute(scope: Scope): Query {
  return promQuery(perMinute(promql.sum(reconcileRate(scope)).by(clusterBy(scope))), clusterBy(scope));
}

export function reconcilesPerMinuteByController(scope: Scope): Query {
  const by = [...clusterBy(scope), 'controller'];
  return promQuery(perMinute(promql.sum(reconcileRate(scope)).by(by)), by);
}

export function reconcileErrorRate(scope: Scope) {
  return rateOf(select(scope, 'controller_runtime_reconcile_errors_total', inFluxNamespace(scope)), scope);
}

/** Reconcile errors per minute, summed by the given labels. */
export function reconcileErrorsPerMinuteBy(scope: Scope, by: string[]) {
  return perMinute(promql.sum(reconcileErrorRate(scope)).by(by));
}

/** Share of reconciliations that returned an error (kustomize-controller reports failures as requeue_after, not here). */
export function reconcileErrorShareBy(scope: Scope, by: string[]) {
  return promql.div(promql.sum(reconcileErrorRate(scope)).by(by), promql.sum(reconcileRate(scope)).by(by));
}

export function reconcileErrorsPerMinuteByController(scope: Scope): Query {
  const by = [...clusterBy(scope), 'controller'];
  return promQuery(reconcileErrorsPerMinuteBy(scope, by), by);
}

export function reconcileErrorRatioByController(scope: Scope): Query {
  const by = [...clusterBy(scope), 'controller'];
  return promQuery(reconcileErrorShareBy(scope, by), by);
}

export function reconcileErrorRatio(scope: Scope): Query {
  return promQuery(reconcileErrorShareBy(scope, clusterBy(scope)), clusterBy(scope));
}

export function reconcilePanicsPerMinuteByController(scope: Scope): Query {
  const by = [...clusterBy(scope), 'controller'];
  const panics = rateOf(select(scope, 'controller_runtime_reconcile_panics_total', inFluxNamespace(scope)), scope);
  return promQuery(perMinute(promql.sum(panics).by(by)), by);
}

export function reconcileTimeQuantileByController(scope: Scope, quantile: number): Query {
  const by = [...clusterBy(scope), 'controller'];
  const buckets = rateOf(selectHistogram(scope, 'controller_runtime_reconcile_time_seconds', 'bucket', inFluxNamespace(scope)), scope);
  return promQuery(promql.histogramQuantile(quantile, promql.sum(buckets).by([...by, 'le'])), by, ` p${Math.round(quantile * 100)}`);
}

// Work queues

export function workqueueDepthByQueue(scope: Scope): Query {
  const by = [...clusterBy(scope), 'name'];
  return promQuery(promql.sum(select(scope, 'workqueue_depth', inFluxNamespace(scope))).by(by), by);
}

export function workqueueAddsPerSecondByQueue(scope: Scope): Query {
  const by = [...clusterBy(scope), 'name'];
  return promQuery(promql.sum(rateOf(select(scope, 'workqueue_adds_total', inFluxNamespace(scope)), scope)).by(by), by);
}

export function workqueueWaitQuantileByQueue(scope: Scope, quantile: number): Query {
  const by = [...clusterBy(scope), 'name'];
  const buckets = rateOf(selectHistogram(scope, 'workqueue_queue_duration_seconds', 'bucket', inFluxNamespace(scope)), scope);
  return promQuery(promql.histogramQuantile(quantile, promql.sum(buckets).by([...by, 'le'])), by, ` p${Math.round(quantile * 100)}`);
}

export function longestRunningProcessorByQueue(scope: Scope): Query {
  const by = [...clusterBy(scope), 'name'];
  return promQuery(promql.max(select(scope, 'workqueue_longest_running_processor_seconds', inFluxNamespace(scope))).by(by), by);
}

export function longestRunningProcessor(scope: Scope): Query {
  const by = clusterBy(scope);
  return promQuery(promql.max(select(scope, 'workqueue_longest_running_processor_seconds', inFluxNamespace(scope))).by(by), by);
}

/** Busy workers as a share of `--concurrent`: at 100 % objects queue up behind each other. */
export function workerUtilisationByController(scope: Scope): Query {
  const by = [...clusterBy(scope), 'controller'];
  return promQuery(
    promql.div(
      promql.sum(select(scope, 'controller_runtime_active_workers', inFluxNamespace(scope))).by(by),
      promql.sum(select(scope, 'controller_runtime_max_concurrent_reconciles', inFluxNamespace(scope))).by(by),
    ),
    by,
  );
}

// Kubernetes API

function apiRequestRate(scope: Scope, matchers: Matchers<'rest_client_requests_total'> = {}) {
  return rateOf(select(scope, 'rest_client_requests_total', { ...inFluxNamespace(scope), ...matchers }), scope);
}

export function apiRequestsPerSecondByMethodAndCode(scope: Scope): Query {
  const by = [...clusterBy(scope), 'method', 'code'];
  return promQuery(promql.sum(apiRequestRate(scope)).by(by), by);
}

export function apiRequestsPerSecond(scope: Scope): Query {
  return promQuery(promql.sum(apiRequestRate(scope)).by(clusterBy(scope)), clusterBy(scope));
}

/** Share of API requests that did not succeed (any code but 2xx, including client-side `<error>`). */
export function apiErrorShare(scope: Scope): Query {
  const by = clusterBy(scope);
  return promQuery(
    promql.div(promql.sum(apiRequestRate(scope, { code: nre('2..') })).by(by), promql.sum(apiRequestRate(scope)).by(by)),
    by,
  );
}

// Resources

export const managerOf = (scope: Scope) => ({ ...inFluxNamespace(scope), container: managerContainer });

export function cpuCoresByPod(scope: Scope): Query {
  const by = [...clusterBy(scope), 'pod'];
  return promQuery(promql.sum(rateOf(select(scope, 'container_cpu_usage_seconds_total', managerOf(scope)), scope)).by(by), by);
}

export function memoryWorkingSetByPod(scope: Scope): Query {
  const by = [...clusterBy(scope), 'pod'];
  return promQuery(promql.sum(select(scope, 'container_memory_working_set_bytes', managerOf(scope))).by(by), by);
}

export function memoryWorkingSet(scope: Scope): Query {
  return promQuery(promql.sum(select(scope, 'container_memory_working_set_bytes', managerOf(scope))).by(clusterBy(scope)), clusterBy(scope));
}

// kube-state-metrics series are folded with max by pod: several kube-state-metrics replicas report the same container.

export function memoryLimitByPod(scope: Scope): Query {
  const by = [...clusterBy(scope), 'pod'];
  const limits = select(scope, 'kube_pod_container_resource_limits', { ...managerOf(scope), resource: eq('memory') });
  return promQuery(promql.max(limits).by(by), by, ' limit');
}

/** Working set as a share of the memory limit, per pod: what the OOM killer compares (pods without a limit drop out). */
export function memoryLimitShare(scope: Scope) {
  const by = [...clusterBy(scope), 'pod'];
  const limits = select(scope, 'kube_pod_container_resource_limits', { ...managerOf(scope), resource: eq('memory') });
  return promql.div(promql.max(select(scope, 'container_memory_working_set_bytes', managerOf(scope))).by(by), promql.max(limits).by(by));
}

export function memoryLimitUsageByPod(scope: Scope): Query {
  return promQuery(memoryLimitShare(scope), [...clusterBy(scope), 'pod']);
}

/** Restarts of each controller container over the window. */
export function restartsPerPod(scope: Scope, window: string) {
  const restarts = promql.increase(select(scope, 'kube_pod_container_status_restarts_total', managerOf(scope)).range(window));
  return promql.max(restarts).by([...clusterBy(scope), 'pod']);
}

export function restartsByPod(scope: Scope): Query {
  return promQuery(restartsPerPod(scope, scope.rateInterval), [...clusterBy(scope), 'pod']);
}

export function restartsInRange(scope: Scope): Query {
  return promQuery(promql.sum(restartsPerPod(scope, scope.range)).by(clusterBy(scope)), clusterBy(scope));
}

export function leaderPods(scope: Scope): Query {
  const by = [...clusterBy(scope), 'name', 'pod'];
  return promQuery(promql.eq(promql.max(select(scope, 'leader_election_master_status', inFluxNamespace(scope))).by(by), promql.n(1)), by);
}

export function goroutinesByPod(scope: Scope): Query {
  const by = [...clusterBy(scope), 'pod'];
  return promQuery(promql.sum(select(scope, 'go_goroutines', inFluxNamespace(scope))).by(by), by);
}
