/**
 * Facts of alert routing: the Kubernetes labels of Flux objects the alerts carry to Alertmanager, the label names they
 * become in Prometheus, and the labels Alertmanager routes and inhibits by.
 */

/**
 * The Prometheus label name a Kubernetes label key of a Flux object becomes on `gotk_resource_info`: every character
 * but a letter, digit or `_` turns into `_` (`app.kubernetes.io/part-of` → `app_kubernetes_io_part_of`), as
 * kube-state-metrics' custom-resource-state does to every label it writes (`store.SanitizeLabelName`,
 * kubernetes/kube-state-metrics internal/store/utils.go, called from pkg/customresourcestate/registry_factory.go).
 */
export const objectLabelName = (key: string): string => key.replace(/[^a-zA-Z0-9_]/g, '_');

/** A label name Prometheus accepts (its model's `LabelNameRE`): what a sanitised key must still satisfy. */
export const prometheusLabelName = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** The label every alert rule sets to its severity; the route tree's first split. */
export const severityLabel = 'severity';

/** The label Prometheus, Loki's ruler and Grafana give every alert: its rule's name. */
export const alertNameLabel = 'alertname';

/** The path of a Kubernetes object's label in the object, as kube-state-metrics' `labelsFromPath` reads it. */
export const objectLabelPath = (key: string): string[] => ['metadata', 'labels', key];
