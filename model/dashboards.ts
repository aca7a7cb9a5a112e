/** The dashboards' identities: what Grafana, the alerts' links and the packaging all know them by. */

export interface DashboardIdentity {
  uid: string;
  title: string;
}

export const dashboardIdentities = {
  controlPlane: { uid: 'flux-control-plane', title: 'Flux Control Plane' },
  cluster: { uid: 'flux-cluster', title: 'Flux Cluster Stats' },
  logs: { uid: 'flux-logs', title: 'Flux Logs' },
  object: { uid: 'flux-object', title: 'Flux Object' },
} as const satisfies Record<string, DashboardIdentity>;

/**
 * The runbook pages as a dashboard of their own, one text panel per alert, delivered with the others: the alerts'
 * default `runbook_url` opens an alert's panel in it. Not among `dashboardIdentities`, which link to each other.
 */
export const runbooksDashboard = { uid: 'flux-runbooks', title: 'Flux Runbooks' } as const satisfies DashboardIdentity;
