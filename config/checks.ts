/**
 * What the schema cannot say about a complete configuration: label and annotation keys Kubernetes accepts, and a
 * cluster label and Loki labels that do not collide with the labels the queries already read.
 */
import { catalogue, targetLabels } from '../model/catalogue';
import { metadataRules } from '../model/kubernetes';
import { logFields, lokiPresets } from '../model/loki';
import { eventPipelines, lokiLabelName } from '../model/events';
import { alertNameLabel, objectLabelName, prometheusLabelName, severityLabel } from '../model/routing';
import { ConfigError, quoted } from './errors';
import type { Config } from './index';

const lengthOf = (text: string) => Buffer.byteLength(text, 'utf8');

/** Why Kubernetes refuses `key` as a label key (an annotation key: `lowerCase`), or undefined when it accepts it. */
export function keyProblem(key: string, lowerCase = false): string | undefined {
  const checked = lowerCase ? key.toLowerCase() : key;
  const parts = checked.split('/');
  if (parts.length > 2) return 'it has more than one "/"';
  const [prefix, name] = parts.length === 2 ? parts : [undefined, parts[0]!];
  if (prefix !== undefined) {
    if (prefix === '') return 'its prefix before "/" is empty';
    if (lengthOf(prefix) > metadataRules.keyPrefixMaxLength) {
      return `its prefix is longer than ${metadataRules.keyPrefixMaxLength} characters`;
    }
    if (!metadataRules.keyPrefix.test(prefix)) {
      return 'its prefix before "/" is not a DNS subdomain (lower-case letters, digits, "-" and "." as in example.com)';
    }
  }
  if (name === '') return prefix === undefined ? 'it is empty' : 'its name after "/" is empty';
  if (lengthOf(name) > metadataRules.keyNameMaxLength) {
    return `its name is longer than ${metadataRules.keyNameMaxLength} characters`;
  }
  if (!metadataRules.keyName.test(name)) {
    return 'its name must be letters, digits, "-", "_" or ".", starting and ending with a letter or digit';
  }
  return undefined;
}

/** Why Kubernetes refuses `value` as a label value, or undefined when it accepts it. */
export function labelValueProblem(value: string): string | undefined {
  if (lengthOf(value) > metadataRules.labelValueMaxLength) {
    return `it is longer than ${metadataRules.labelValueMaxLength} characters`;
  }
  if (!metadataRules.labelValue.test(value)) {
    return 'a label value must be empty or letters, digits, "-", "_" or ".", ' +
      'starting and ending with a letter or digit';
  }
  return undefined;
}

const keyExample = 'e.g. release or example.com/team';

function checkLabels(field: string, labels: Readonly<Record<string, string>>): void {
  for (const [key, value] of Object.entries(labels)) {
    const keyIssue = keyProblem(key);
    if (keyIssue) {
      throw new ConfigError(`${field} has the key ${quoted(key)}, which Kubernetes refuses as a label key: ` +
        `${keyIssue} (${keyExample})`);
    }
    const valueIssue = labelValueProblem(value);
    if (valueIssue) {
      throw new ConfigError(`${field}.${key} is ${quoted(value)}, which Kubernetes refuses as a label value: ` +
        valueIssue);
    }
  }
}

function checkAnnotationKey(field: string, key: string, subject: string): void {
  const issue = keyProblem(key, true);
  if (issue) {
    throw new ConfigError(`${field} ${subject} ${quoted(key)}, ` +
      `which Kubernetes refuses as an annotation key: ${issue} (e.g. grafana_folder or example.com/folder)`);
  }
}

function checkKubernetesMetadata(config: Config): void {
  const { packaging } = config;
  checkLabels('packaging.dashboardLabel', { [packaging.dashboardLabel.key]: packaging.dashboardLabel.value });
  checkLabels('packaging.grafanaOperatorInstanceSelector', packaging.grafanaOperatorInstanceSelector);
  checkLabels('packaging.monitoringLabels', packaging.monitoringLabels);
  checkAnnotationKey('packaging.folderAnnotation', packaging.folderAnnotation, 'is');
  for (const key of Object.keys(packaging.monitoringAnnotations)) {
    checkAnnotationKey('packaging.monitoringAnnotations', key, 'has the key');
  }
  const bytes = Object.entries(packaging.monitoringAnnotations)
    .reduce((sum, [key, value]) => sum + lengthOf(key) + lengthOf(value), 0);
  if (bytes > metadataRules.annotationsMaxBytes) {
    throw new ConfigError(`packaging.monitoringAnnotations total ${bytes} bytes, over the ` +
      `${metadataRules.annotationsMaxBytes} bytes Kubernetes allows an object's annotations`);
  }
}

/** Every label a Prometheus query may read, with what it is, for the message naming a collision. */
function prometheusLabels(): Map<string, string> {
  const labels = new Map<string, string>([['__name__', 'the metric name'], ['le', 'the histogram buckets\' bound']]);
  for (const [source, names] of Object.entries(targetLabels)) {
    for (const name of names) if (!labels.has(name)) labels.set(name, `the scrape's target label of ${source} series`);
  }
  for (const [metric, definition] of Object.entries(catalogue)) {
    for (const name of definition.labels) if (!labels.has(name)) labels.set(name, `a label of ${metric}`);
  }
  return labels;
}

/** Every label a LogQL query may read under this configuration. */
function lokiLabels(config: Config): Map<string, string> {
  const preset = lokiPresets[config.loki.preset];
  const namespace = config.loki.namespaceLabel ?? preset.namespaceLabel;
  const controller = config.loki.controllerLabel ?? preset.controllerLabel;
  const labels = new Map<string, string>([
    [namespace, 'the Loki label holding the namespace (loki.namespaceLabel)'],
    [controller, 'the Loki label naming the controller (loki.controllerLabel)'],
    ['controller', 'the controller\'s name the log queries derive'],
    ['__error__', 'the label Loki sets on lines it could not parse'],
  ]);
  for (const [label, field] of Object.entries(logFields)) {
    if (!labels.has(label)) labels.set(label, `the log lines' JSON field "${field}" as the log queries extract it`);
  }
  return labels;
}

function checkLabelCollisions(config: Config): void {
  const namespaceLabel = config.loki.namespaceLabel ?? lokiPresets[config.loki.preset].namespaceLabel;
  const controllerLabel = config.loki.controllerLabel ?? lokiPresets[config.loki.preset].controllerLabel;
  if (namespaceLabel === controllerLabel) {
    throw new ConfigError(`loki.namespaceLabel and loki.controllerLabel are both ${quoted(namespaceLabel)}; ` +
      'the namespace and the controller need labels of their own');
  }
  const lokiOptions: Array<[string, string]> = [
    ['loki.namespaceLabel', namespaceLabel], ['loki.controllerLabel', controllerLabel],
  ];
  for (const [option, label] of lokiOptions) {
    const field = Object.entries(logFields).find(([extracted]) => extracted === label);
    if (field || label === '__error__') {
      const what = field
        ? `the label the log queries extract the JSON field "${field[1]}" to`
        : 'Loki\'s parse error label';
      throw new ConfigError(
        `${option} is ${quoted(label)}, ${what}; name the stream label your pipeline writes`,
      );
    }
  }
  const cluster = config.clusterLabel;
  if (cluster === null) return;
  const used = prometheusLabels().get(cluster) ?? lokiLabels(config).get(cluster);
  if (used) {
    throw new ConfigError(`clusterLabel is ${quoted(cluster)}, which the queries already read as ${used}; ` +
      'name the label only your clusters\' series carry (e.g. cluster or k8s_cluster), or null for one cluster');
  }
}

/** Object labels: keys Kubernetes accepts, each a Prometheus label of its own that no query or alert already uses. */
function checkObjectLabels(config: Config): void {
  if (config.objectLabels.length === 0) return;
  if (config.flavor !== 'kube-state-metrics') {
    throw new ConfigError(`objectLabels is set with flavor ${quoted(config.flavor)}, whose readiness metric carries ` +
      'no labels of the Flux objects; use flavor kube-state-metrics (its gotk_resource_info exports them), or remove ' +
      'objectLabels');
  }
  const taken = new Map<string, string>([
    ...prometheusLabels(),
    [severityLabel, 'the alerts\' severity label'],
    [alertNameLabel, 'the alert\'s name label'],
    ...(config.clusterLabel ? [[config.clusterLabel, 'the cluster label (clusterLabel)'] as [string, string]] : []),
  ]);
  for (const key of config.objectLabels) {
    const issue = keyProblem(key);
    if (issue) {
      throw new ConfigError(`objectLabels has ${quoted(key)}, which Kubernetes refuses as a label key: ${issue} ` +
        '(e.g. team or app.kubernetes.io/part-of)');
    }
    const name = objectLabelName(key);
    if (!prometheusLabelName.test(name)) {
      throw new ConfigError(`objectLabels has ${quoted(key)}, which becomes the Prometheus label ${quoted(name)}: ` +
        'a label name cannot start with a digit; choose a key that starts with a letter');
    }
    const used = taken.get(name);
    if (used) {
      throw new ConfigError(`objectLabels has ${quoted(key)}, which becomes the Prometheus label ${quoted(name)}, ` +
        `already ${used}; remove it or choose another key`);
    }
    taken.set(name, `the Prometheus label of objectLabels' key ${quoted(key)}`);
  }
}

/** Throws a `ConfigError` (without a file name) for the first thing Kubernetes or the queries would trip over. */
export function checkConfig(config: Config): void {
  checkKubernetesMetadata(config);
  checkLabelCollisions(config);
  checkEvents(config);
  checkObjectLabels(config);
}

/** The event pipeline's options that only some pipelines read, or must be given for one. */
function checkEvents(config: Config): void {
  const { pipeline, streamLabels } = config.events;
  if (pipeline === 'none') return;
  const facts = eventPipelines[pipeline];
  if (facts.streamLabelsRequired && (!streamLabels || Object.keys(streamLabels).length === 0)) {
    throw new ConfigError(`events.pipeline ${quoted(pipeline)} needs events.streamLabels: the streamLabels of its ` +
      'Loki sink, which it gives every event (e.g. { app: kubernetes-event-exporter })');
  }
  const badKey = Object.keys(streamLabels ?? {}).find((key) => !lokiLabelName.test(key));
  if (badKey !== undefined) {
    throw new ConfigError(`events.streamLabels has the key ${quoted(badKey)}, which is no Loki label name: ` +
      'letters, digits and _, not starting with a digit (e.g. job or app)');
  }
  if (streamLabels && Object.values(streamLabels).every((value) => value === '')) {
    throw new ConfigError('events.streamLabels has only empty values: Loki needs one label with a value to select ' +
      'the events by (e.g. { job: loki.source.kubernetes_events })');
  }
}
