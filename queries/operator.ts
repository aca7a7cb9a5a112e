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

/** The FluxInstance: the Flux version it installed (`revision`, e.g. `v2.7.0@sha256:…`) and the registry. */
export function fluxInstances(scope: Scope): Query {
  const labels = [...clusterBy(scope), ...objectColumns, 'revision', 'registry'];
  return promQuery(scope, promql.max(select(scope, 'flux_instance_info', fromFluxNamespace(scope))).by(labels), labels);
}

/** The operator's version and platform. */
export function operatorVersions(scope: Scope): Query {
  const labels = [...clusterBy(scope), 'version', 'platform'];
  return promQuery(scope, promql.max(select(scope, 'flux_operator_info', fromFluxNamespace(scope))).by(labels), labels);
}

/** Each ResourceSet with its readiness, inventory size (`resources`) and last applied revision. */
export function resourceSets(scope: Scope): Query {
  const labels = [...clusterBy(scope), ...objectColumns, 'resources', 'revision'];
  const resourceSets = select(scope, 'flux_resourceset_info', fromFluxNamespace(scope));
  return promQuery(scope, promql.max(resourceSets).by(labels), labels);
}

/** Each ResourceSetInputProvider with its readiness and the URL it reads inputs from. */
export function resourceSetInputProviders(scope: Scope): Query {
  const labels = [...clusterBy(scope), ...objectColumns, 'url'];
  const providers = select(scope, 'flux_resourcesetinputprovider_info', fromFluxNamespace(scope));
  return promQuery(scope, promql.max(providers).by(labels), labels);
}
