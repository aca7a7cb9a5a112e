/** The queries behind the dashboards' template variables. */
import { kindsRegex, reconciledKinds } from '../model';
import type { Scope } from './scope';
import { objectLabels, readiness } from './objects';
import { re, select, selectSeries } from './selector';
import { variableNames, variableRef } from '../model/variables';

/** `label_values(selector, label)`, Grafana's Prometheus variable query. */
function labelValues(selector: { toString(): string }, label: string): string {
  return `label_values(${selector.toString()}, ${label})`;
}

/** Every series of the flavour's readiness metric. */
function readinessSeries(scope: Scope) {
  return select(scope, readiness(scope).metric);
}

/** A controller-runtime metric every Flux controller exposes, narrowed to Flux's own controllers. */
function fluxReconcileSeries(scope: Scope) {
  const controller = re(kindsRegex(reconciledKinds, 'controller'));
  return select(scope, 'controller_runtime_reconcile_total', { controller });
}

/** The clusters that run Flux. Needs a cluster label; the scope's own cluster selection is ignored. */
export function clusterValues(scope: Scope, clusterLabel: string): string {
  return labelValues(fluxReconcileSeries({ ...scope, cluster: null }), clusterLabel);
}

/** The namespaces Flux controllers run in. */
export function fluxNamespaceValues(scope: Scope): string {
  return labelValues(fluxReconcileSeries(scope), 'namespace');
}

/** The namespaces that hold Flux objects. */
export function objectNamespaceValues(scope: Scope): string {
  return labelValues(readinessSeries(scope), objectLabels(scope).namespace);
}

/** The Flux kinds that have objects. */
export function kindValues(scope: Scope): string {
  return labelValues(readinessSeries(scope), objectLabels(scope).kind);
}

/** The namespaces holding objects of the chosen kind (the object dashboard's, one kind chosen). */
export function objectNamespaceValuesOfKind(scope: Scope): string {
  const { kind, namespace } = objectLabels(scope);
  const series = selectSeries(scope, readiness(scope).metric, { [kind]: re(variableRef(variableNames.kind)) });
  return labelValues(series, namespace);
}

/** The names of the objects of the chosen kind in the chosen namespace. */
export function objectNameValues(scope: Scope): string {
  const { kind, namespace, name } = objectLabels(scope);
  const series = selectSeries(scope, readiness(scope).metric, {
    [kind]: re(variableRef(variableNames.kind)),
    [namespace]: re(variableRef(variableNames.objectNamespace)),
  });
  return labelValues(series, name);
}
