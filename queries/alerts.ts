/**
 * PromQL of the alert rules: each condition is one series per object (or controller) that should alert, built from the
 * same selectors and object queries as the dashboards, with duplicates from replicas folded by `max`/`group`.
 */
import * as promql from '@grafana/promql-builder';
import { fluxDeployments, kindsOfRole, kindsRegex, optionalControllers } from '../model';
import {
  groupLabels, inFluxNamespace, managerOf, memoryLimitShareExpr, reconcileErrorShareExpr, reconcileErrorsPerMinuteExpr,
  restartsPerPodExpr, withDeployment,
} from './controllers';
import { durationObject, identity, objectsIn, readiness, slowObjectsExpr, type ObjectState } from './objects';
import { promQuery, type Query } from './query';
import type { Scope } from './scope';
import { clusterBy, eq, labelReplace, re, select } from './selector';

/** An object's identity on the readiness metric with the object labels it carries (`objectLabels`), for routing. */
const ownedIdentity = (scope: Scope) => [...identity(scope), ...scope.objectLabels];

/** Objects (of the kind, when given) in the state, one series each, with their object labels. */
export function objectsInState(scope: Scope, state: ObjectState, kind?: string): Query {
  return promQuery(scope, promql.group(objectsIn(scope, state, kind)).by(ownedIdentity(scope)));
}

type Vector = Parameters<typeof promql.group>[0];

/**
 * A per-object expression of the controllers' own metrics with the object labels of `gotk_resource_info` joined on by
 * the object's identity (kube-state-metrics names the kind `customresource_kind`); an object kube-state-metrics has no
 * series for keeps its series, without them.
 */
export function withObjectLabels(scope: Scope, expr: Vector): Vector {
  if (scope.objectLabels.length === 0) return expr;
  const on = durationObject(scope);
  const namespaceLabel = scope.objectNamespaceLabel;
  const kindNamed = labelReplace(select(scope, 'gotk_resource_info'), 'kind', '$1', 'customresource_kind', '(.+)');
  const named =
    namespaceLabel === 'exported_namespace'
      ? kindNamed
      : labelReplace(kindNamed, namespaceLabel, '$1', 'exported_namespace', '(.+)');
  const owners = promql.max(named).by([...on, ...scope.objectLabels]);
  const joined = promql.mul(expr, owners).on(on).groupLeft(scope.objectLabels);
  return promql.or(joined, expr).on(on);
}

/**
 * Ready=False reasons of a Kustomization or HelmRelease that could not use its source's artifact (docs/flux-facts.md):
 * `ArtifactFailed`, the source object is missing or has no artifact, or fetching the artifact, checking its digest or
 * finding the path in it failed; `SourceNotReady` (helm-controller), the HelmChart or chartRef exists but is not ready.
 * No controller sets a reason that means "source not found" alone.
 */
export const sourceArtifactReasons = ['ArtifactFailed', 'SourceNotReady'] as const;

/**
 * Kustomizations and HelmReleases that could not use their source's artifact, one series each with its Ready reason
 * (flavours whose metric carries the reason).
 */
export function objectsFailingOnSource(scope: Scope): Query {
  const { reason } = readiness(scope);
  if (!reason) throw new Error(`objectsFailingOnSource: the ${scope.flavor} readiness metric carries no Ready reason`);
  const appliers = objectsIn(scope, 'notReady', kindsRegex(kindsOfRole('applier')), sourceArtifactReasons.join('|'));
  const labels = [...ownedIdentity(scope), reason];
  return promQuery(scope, promql.group(appliers).by(labels), labels);
}

/** Objects whose reconcile-duration quantile over the scope's rate interval is above the threshold (seconds). */
export function slowReconcilingObjects(scope: Scope, quantile: number, thresholdSeconds: number): Query {
  return promQuery(scope, withObjectLabels(scope, slowObjectsExpr(scope, quantile, thresholdSeconds)));
}

const fluxDeploymentMatcher = re(fluxDeployments.join('|'));
const perDeployment = (scope: Scope) => [...clusterBy(scope), 'deployment'];

/** Flux controller scrape targets by Deployment (1 when any replica is scraped). */
function scrapedDeployments(scope: Scope) {
  return promql.max(withDeployment(select(scope, 'up', managerOf(scope)))).by(perDeployment(scope));
}

/**
 * Flux controller Deployments that do not run: every target down, no available replica, a Deployment with no scrape
 * target at all, or (label `deployment` absent) no Flux controller target anywhere.
 */
export function controllersDown(scope: Scope): Query {
  const deploymentMatchers = { ...inFluxNamespace(scope), deployment: fluxDeploymentMatcher };
  const targetsDown = promql.eq(scrapedDeployments(scope), promql.n(0));
  const perDeploymentOf = (metric: 'kube_deployment_status_replicas_available' | 'kube_deployment_spec_replicas') =>
    select(scope, metric, deploymentMatchers);
  const noReplicaAvailable = promql.eq(
    promql.max(perDeploymentOf('kube_deployment_status_replicas_available')).by(perDeployment(scope)),
    promql.n(0),
  );
  // An optional controller (source-watcher…) scaled to zero is switched off, not down.
  const optionalScaledToZero = promql.eq(
    promql.max(select(scope, 'kube_deployment_spec_replicas', {
      ...inFluxNamespace(scope), deployment: re(optionalControllers.join('|')),
    })).by(perDeployment(scope)),
    promql.n(0),
  );
  const noAvailableReplica = promql.unless(noReplicaAvailable, optionalScaledToZero).on(perDeployment(scope));
  const deployments = promql.group(perDeploymentOf('kube_deployment_spec_replicas')).by(perDeployment(scope));
  const notScraped = promql.unless(deployments, scrapedDeployments(scope)).on(perDeployment(scope));
  const noTargetAnywhere = promql.absent(select({ ...scope, cluster: null }, 'up', managerOf(scope)));
  const down = promql.or(promql.or(promql.or(targetsDown, noAvailableReplica), notScraped), noTargetAnywhere);
  return promQuery(scope, down);
}

/**
 * Clusters (and Flux's namespace there) whose Flux controllers are scraped while no Flux object has a
 * `gotk_resource_info` series: kube-state-metrics is not scraped there, or runs without the Flux CustomResourceState
 * configuration.
 */
export function objectMetricsMissing(scope: Scope): Query {
  const by = [...clusterBy(scope), 'namespace'];
  const scraped = promql.group(promql.eq(select(scope, 'up', managerOf(scope)), promql.n(1))).by(by);
  const reported = promql.group(select(scope, 'gotk_resource_info')).by(clusterBy(scope));
  // Flux's namespace names where the controllers run; gotk_resource_info's `namespace` is kube-state-metrics'.
  return promQuery(scope, promql.unless(scraped, reported).ignoring(['namespace']), by);
}

/** Controller pods in CrashLoopBackOff, or restarted more than `restarts` times over the scope's rate interval. */
export function crashLoopingControllers(scope: Scope, restarts: number): Query {
  const crashLoop = { ...managerOf(scope), reason: eq('CrashLoopBackOff') };
  const waiting = promql
    .max(select(scope, 'kube_pod_container_status_waiting_reason', crashLoop))
    .by(groupLabels(scope, ['pod']));
  const restarted = restartsPerPodExpr(scope, scope.rateInterval);
  const crashing = promql.or(promql.eq(waiting, promql.n(1)), promql.gt(restarted, promql.n(restarts)));
  return promQuery(scope, withDeployment(crashing));
}

/** Controller pods whose working set is above the share of their memory limit (pods without a limit never match). */
export function controllersNearMemoryLimit(scope: Scope, share: number): Query {
  return promQuery(scope, withDeployment(promql.gt(memoryLimitShareExpr(scope), promql.n(share))));
}

/**
 * Controllers whose share of reconciliations returning an error is above `share`, with more than `minErrorsPerMinute`
 * errors a minute, over the scope's rate interval. kustomize-controller reports failures as requeue_after, not here.
 */
export function controllersWithReconcileErrors(scope: Scope, share: number, minErrorsPerMinute: number): Query {
  const by = groupLabels(scope, ['controller']);
  const ratio = reconcileErrorShareExpr(scope, by);
  const perMinute = reconcileErrorsPerMinuteExpr(scope, by);
  const failing = promql.and(promql.gt(ratio, promql.n(share)), promql.gt(perMinute, promql.n(minErrorsPerMinute)));
  return promQuery(scope, failing.on(by));
}

/** Controllers with every worker busy and items still waiting in their queue: objects wait for each other. */
export function controllersBackingUp(scope: Scope): Query {
  const by = groupLabels(scope, ['controller']);
  const saturated = promql.gte(
    promql.max(select(scope, 'controller_runtime_active_workers', inFluxNamespace(scope))).by(by),
    promql.max(select(scope, 'controller_runtime_max_concurrent_reconciles', inFluxNamespace(scope))).by(by),
  );
  // Work queues carry `controller` only from Flux 2.4; their `name` is the controller's name on every release.
  const depth = promql.sum(select(scope, 'workqueue_depth', inFluxNamespace(scope))).by([...clusterBy(scope), 'name']);
  const waiting = promql.gt(promql.sum(labelReplace(depth, 'controller', '$1', 'name', '(.+)')).by(by), promql.n(0));
  return promQuery(scope, promql.and(saturated, waiting).on(by));
}
