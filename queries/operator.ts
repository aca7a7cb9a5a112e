/**
 * PromQL about what only the Flux Operator knows: the FluxInstance (Flux distribution version and registry), the
 * operator's own version, ResourceSets and their input providers. Their series come from the operator's pod in Flux's
 * namespace; replicas are folded with `max`.
 */
import * as promql from '@grafana/promql-builder';
import { promQuery, type Query } from './query';
import type { Scope } from './scope';
import { clusterBy, re, select } from './selector';

/** The operator runs in Flux's namespace: its target's `namespace`. */
const fromFluxNamespace = (scope: Scope) => ({ namespace: re(scope.fluxNamespace) });
const objectColumns = ['exported_namespace', 'name', 'ready', 'reason', 'suspended'] as const;

type OperatorInfoMetric =
  | 'flux_instance_info'
  | 'flux_operator_info'
  | 'flux_resourceset_info'
  | 'flux_resourcesetinputprovider_info';

/** One row per series of the operator's info metric, with the given labels as columns. */
function infoTable(scope: Scope, metric: OperatorInfoMetric, columns: readonly string[]): Query {
  const labels = [...clusterBy(scope), ...columns];
  return promQuery(scope, promql.max(select(scope, metric, fromFluxNamespace(scope))).by(labels), labels);
}

/** The FluxInstance: the Flux version it installed (`revision`, e.g. `v2.7.0@sha256:…`) and the registry. */
export const fluxInstances = (scope: Scope) =>
  infoTable(scope, 'flux_instance_info', [...objectColumns, 'revision', 'registry']);

/** The operator's version and platform. */
export const operatorVersions = (scope: Scope) => infoTable(scope, 'flux_operator_info', ['version', 'platform']);

/** Each ResourceSet with its readiness, inventory size (`resources`) and last applied revision. */
export const resourceSets = (scope: Scope) =>
  infoTable(scope, 'flux_resourceset_info', [...objectColumns, 'resources', 'revision']);

/** Each ResourceSetInputProvider with its readiness and the URL it reads inputs from. */
export const resourceSetInputProviders = (scope: Scope) =>
  infoTable(scope, 'flux_resourcesetinputprovider_info', [...objectColumns, 'url']);
