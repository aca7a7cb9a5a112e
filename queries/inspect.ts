/**
 * The probes `init` and `doctor` send to a user's Prometheus: whether series exist and which labels they carry. Written
 * once here from the model's facts (the controllers, the Flux API groups), for both commands.
 */
import { fluxApiGroupsRegex, fluxKinds } from '../model/kinds';
import { operatorPodRegex } from '../model/operator';

const quoted = (value: string) => JSON.stringify(value);
const controllersRegex = [...new Set(fluxKinds.map((kind) => kind.controller))].join('|');

/** Every series of `selector` seen in the last `seconds`, at its last value. */
export const seenIn = (selector: string, seconds: number) => `last_over_time(${selector}[${seconds}s])`;

/** How many series each combination of `labels` has. */
export const countBy = (labels: readonly string[], expression: string) =>
  `count by (${labels.join(', ')}) (${expression})`;

/** The controllers' reconcile counters, in a namespace or anywhere, with extra matchers. */
export const controllerReconciles = (namespace?: string, ...matchers: string[]) =>
  `controller_runtime_reconcile_total{${[
    ...(namespace === undefined ? [] : [`namespace=${quoted(namespace)}`]),
    `controller=~"${controllersRegex}"`,
    ...matchers,
  ].join(',')}}`;

/** The Flux controllers' scrape targets (the Flux Operator's pod left out). */
export const controllersUp = (namespace: string) =>
  `up{namespace=${quoted(namespace)},container="manager",pod!~"${operatorPodRegex}"}`;

/** Any series kube-state-metrics exposes: it is scraped at all. */
export const kubeStateMetricsSeries = '{__name__=~"kube_.+",job=~".*kube-state-metrics.*"}';

/** kube-state-metrics' Flux object series, and those carrying an object label (`objectLabels`) with a value. */
export const fluxResources = 'gotk_resource_info';
export const fluxResourcesWith = (label: string) => `${fluxResources}{${label}!=""}`;

/** The reconcile-duration counts whose object namespace kept its `exported_namespace` name (labels not honoured). */
export const reconcileDurations = 'gotk_reconcile_duration_seconds_count';
export const durationsWithExportedNamespace = `${reconcileDurations}{exported_namespace!=""}`;

/** The API server's requests for Flux resources: which group versions clients ask for. */
export const fluxApiRequests = `apiserver_request_total{group=~"${fluxApiGroupsRegex}"}`;

/** The containers of the pods in the controllers' namespace, with their images. */
export const containersIn = (namespace: string) => `kube_pod_container_info{namespace=${quoted(namespace)}}`;
