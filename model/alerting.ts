/** Facts of the alerting outputs: names Grafana, its chart's sidecar and grafana-operator know them by. */

/** The name of the alert objects (PrometheusRule, ConfigMap, GrafanaFolder) and of the provisioning file's key. */
export const alertsObjectName = 'flux-alerts';

/** The Grafana chart's sidecar loads alerting files from ConfigMaps with this label (`sidecar.alerts.label`). */
export const sidecarAlertLabel = { key: 'grafana_alert', value: '1' } as const;

/** Grafana's provisioning files and its provisioning API's rule groups: the version the file format carries. */
export const alertProvisioningApiVersion = 1;

/** Grafana's default organisation, which file provisioning writes to unless told otherwise. */
export const defaultOrgId = 1;
