/** The configurations the rule-file tests build, and the rule file of each as data. */
import { parse } from 'yaml';
import { alertArtifacts } from '../../alerts';
import { resolveConfig, type Config } from '../../config';
import { outputFiles } from '../../model/outputs';

export interface Rule {
  alert: string;
  expr: string;
  for: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}
export interface RuleFile {
  groups: Array<{ name: string; rules: Rule[] }>;
}

export const configs: Array<{ title: string; config: Config }> = [
  {
    title: 'kube-state-metrics, cluster label',
    config: resolveConfig({ alerts: { grafanaUrl: 'https://grafana.example.com' } }),
  },
  { title: 'legacy on Flux 2.0, cluster label', config: resolveConfig({ flavor: 'legacy', fluxVersion: '2.0' }) },
  { title: 'kube-state-metrics, no cluster label', config: resolveConfig({ clusterLabel: null }) },
  {
    title: 'legacy on Flux 2.4, honor_labels, no cluster label',
    config: resolveConfig({ flavor: 'legacy', clusterLabel: null, objectNamespaceLabel: 'namespace' }),
  },
  { title: 'flux-operator, cluster label', config: resolveConfig({ flavor: 'flux-operator' }) },
  {
    title: 'flux-operator, honor_labels, no cluster label',
    config: resolveConfig({ flavor: 'flux-operator', clusterLabel: null, objectNamespaceLabel: 'namespace' }),
  },
  { title: 'kube-state-metrics, cluster label, recording rules', config: resolveConfig({ recordingRules: true }) },
];

export const ruleFileOf = (config: Config) =>
  parse(alertArtifacts(config).files.get(outputFiles.ruleFile)!) as RuleFile;
/** The alerting rules (the recording group, when on, has none). */
export const rulesOf = (config: Config) =>
  ruleFileOf(config).groups.filter((group) => group.name === 'flux').flatMap((group) => group.rules);

