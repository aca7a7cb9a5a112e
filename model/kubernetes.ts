/**
 * Kubernetes facts the manifests rely on: the apiVersion of every kind the build writes, Flux's controller pods, the
 * label Flux's kustomize-controller reads, and Kubernetes' rules for label and annotation keys and values.
 */

import { dashboardV2ApiVersion, folderApiVersion } from './grafana-resources';

/**
 * The apiVersion of each kind the build writes: core ConfigMaps, kustomize's Kustomization (a file, not a cluster
 * object), the Prometheus Operator's monitoring.coreos.com/v1 and grafana-operator's grafana.integreatly.org/v1beta1.
 */
export const apiVersions = {
  ConfigMap: 'v1',
  Kustomization: 'kustomize.config.k8s.io/v1beta1',
  PodMonitor: 'monitoring.coreos.com/v1',
  PrometheusRule: 'monitoring.coreos.com/v1',
  /** Alertmanager routes and inhibit rules: v1alpha1, the version the operator stores (v1beta1 needs its webhook). */
  AlertmanagerConfig: 'monitoring.coreos.com/v1alpha1',
  GrafanaDashboard: 'grafana.integreatly.org/v1beta1',
  GrafanaFolder: 'grafana.integreatly.org/v1beta1',
  GrafanaAlertRuleGroup: 'grafana.integreatly.org/v1beta1',
  /** Wraps any resource of Grafana's APIs, here the v2 dashboards (grafana-operator v5.22 and later). */
  GrafanaManifest: 'grafana.integreatly.org/v1beta1',
  /** Grafana's own resources (grafana-resources.ts), written for its API server, Git Sync and GrafanaManifests. */
  Dashboard: dashboardV2ApiVersion,
  Folder: folderApiVersion,
} as const;
export type ManifestKind = keyof typeof apiVersions;

/** Flux's controller pods as fluxcd/flux2's `manifests/` deploy them. */
export const fluxControllerPods = {
  /** Every Flux controller pod carries it, so controllers added later are selected too. */
  selector: { 'app.kubernetes.io/part-of': 'flux' },
  /** The named container port of the controllers' metrics endpoint (:8080/metrics). */
  metricsPort: 'http-prom',
} as const;

/** Flux's kustomize-controller skips post-build substitution (`${var}`) in objects labelled so. */
export const substitutionDisabledLabel = { 'kustomize.toolkit.fluxcd.io/substitute': 'disabled' } as const;

/**
 * Kubernetes' rules for object metadata, as kubernetes/apimachinery checks them: `IsLabelKey` and `IsLabelValue`
 * (pkg/api/validate/content/kube.go), `IsDNS1123Subdomain` (content/dns.go) and `ValidateAnnotations`
 * (pkg/api/validation/objectmeta.go), which checks an annotation key as a label key after lower-casing it.
 */
export const metadataRules = {
  /** A key is `[prefix/]name`: the name part at most 63 characters, alphanumeric at both ends, `-_.` inside. */
  keyName: /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/,
  keyNameMaxLength: 63,
  /** The optional prefix is a DNS subdomain: lower-case dot-separated labels, at most 253 characters. */
  keyPrefix: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
  keyPrefixMaxLength: 253,
  /** A label value is empty, or like a key's name part. */
  labelValue: /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/,
  labelValueMaxLength: 63,
  /** All annotations of an object together, keys and values, in bytes. */
  annotationsMaxBytes: 262_144,
} as const;
