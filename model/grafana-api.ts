/**
 * Facts of Grafana's dashboard APIs that deploy relies on (sources in docs/deploying.md): the resource API's group and
 * the versions Grafana serves, the annotations Grafana reads on a dashboard resource, and the tag that marks what
 * this package deployed.
 */

/** The API group of dashboards: `/apis/dashboard.grafana.app/<version>/namespaces/<namespace>/dashboards`. */
export const dashboardApiGroup = 'dashboard.grafana.app';

/** Grafana 12 serves v1beta1 (classic spec); Grafana 13 the stable v1 (classic spec) and v2 (v2 spec). */
export const dashboardApiVersions = ['v1beta1', 'v1', 'v2'] as const;

/** Grafana's `AnnoKeyFolder` (the folder uid) and `AnnoKeyMessage` (the version-history message, input only). */
export const grafanaAnnotations = { folder: 'grafana.app/folder', message: 'grafana.app/message' } as const;

/**
 * The tag every dashboard this package deploys carries: a dashboard under one of our uids without it was put there
 * by someone else (the official Flux dashboards use the same uids).
 */
export const ownershipTag = 'flux-dashboards';
