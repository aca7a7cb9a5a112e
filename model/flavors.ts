/** Where the dashboards read a Flux object's readiness from, and where the scrape leaves its namespace. */

/**
 * Where readiness comes from: kube-state-metrics `gotk_resource_info` (any Flux 2.x), the controllers'
 * `gotk_reconcile_condition`, written until Flux 2.4 (by helm-controller until 2.1), or the Flux Operator's own
 * `flux_resource_info`.
 */
export type Flavor = 'kube-state-metrics' | 'legacy' | 'flux-operator';
export const flavors: readonly Flavor[] = ['kube-state-metrics', 'legacy', 'flux-operator'];

/**
 * `exported_namespace` by default; `namespace` when the scrape honours the targets' labels (Grafana Alloy,
 * honor_labels).
 */
export type ObjectNamespaceLabel = 'exported_namespace' | 'namespace';
