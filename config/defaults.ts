/** Every option's default, and a checked input completed with them. */
import { newestFluxRelease } from '../model/flux-releases';
import { fluxReleaseFor } from './flux-version';
import type { Config, ConfigInput } from './index';

export const defaultConfig: Config = {
  flavor: 'kube-state-metrics',
  fluxVersion: newestFluxRelease,
  clusterLabel: 'cluster',
  namespace: 'flux-system',
  objectNamespaceLabel: 'exported_namespace',
  recordingRules: false,
  objectLabels: [],
  loki: { preset: 'promtail' },
  events: { pipeline: 'none', lineFormat: 'logfmt' },
  datasources: {},
  packaging: {
    namespace: 'monitoring',
    dashboardLabel: { key: 'grafana_dashboard', value: '1' },
    folderAnnotation: 'grafana_folder',
    folder: 'Flux',
    grafanaOperatorInstanceSelector: { dashboards: 'grafana' },
    serverSideApply: false,
    monitoringLabels: {},
    monitoringAnnotations: {},
  },
  alerts: {
    grafanaUrl: 'http://localhost:3000',
    grafana: { prometheusDatasourceUid: 'prometheus' },
    runbookBaseUrl: null,
  },
};

/** The input's options over the defaults; the input is already checked (`fluxVersion` throws if it is not). */
export function completeConfig(input: ConfigInput): Config {
  return {
    ...defaultConfig,
    ...input,
    fluxVersion: fluxReleaseFor(input.flavor, input.fluxVersion),
    loki: { ...defaultConfig.loki, ...input.loki },
    events: { ...defaultConfig.events, ...input.events },
    datasources: { ...defaultConfig.datasources, ...input.datasources },
    packaging: { ...defaultConfig.packaging, ...input.packaging },
    alerts: { ...defaultConfig.alerts, ...input.alerts },
  };
}
