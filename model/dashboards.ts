/** The dashboards' identities: what Grafana, the alerts' links and the packaging all know them by. */

export interface DashboardIdentity {
  uid: string;
  title: string;
}

export const dashboardIdentities = {
  controlPlane: { uid: 'flux-control-plane', title: 'Flux Control Plane' },
  cluster: { uid: 'flux-cluster', title: 'Flux Cluster Stats' },
  logs: { uid: 'flux-logs', title: 'Flux Logs' },
} as const satisfies Record<string, DashboardIdentity>;
