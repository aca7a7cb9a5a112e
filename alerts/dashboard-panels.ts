/**
 * The dashboard panel that shows each alert's problem, by title: Grafana links an alert to it through the
 * `__dashboardUid__` and `__panelId__` annotations, whose id is looked up by this title in the built dashboard.
 */
import { dashboardIdentities } from '../model';

const dashboardUids = {
  cluster: dashboardIdentities.cluster.uid,
  controlPlane: dashboardIdentities.controlPlane.uid,
  logs: dashboardIdentities.logs.uid,
};

export interface AlertPanel {
  dashboard: string;
  title: string;
  /** Needed only when two panels of the dashboard share the title. */
  type?: string;
}

const failingObjects: AlertPanel = { dashboard: dashboardUids.cluster, title: 'Failing objects' };

export const alertPanels: Record<string, AlertPanel> = {
  FluxReconciliationFailure: failingObjects,
  FluxReconciliationStalled: { dashboard: dashboardUids.cluster, title: 'Stalled objects' },
  FluxSuspendedResource: { dashboard: dashboardUids.cluster, title: 'Suspended objects' },
  FluxSourceArtifactFailed: failingObjects,
  FluxKustomizationNotReady: failingObjects,
  FluxHelmReleaseNotReady: failingObjects,
  FluxGitRepositoryNotReady: failingObjects,
  FluxHighReconciliationTime: { dashboard: dashboardUids.cluster, title: 'Slowest objects' },
  FluxSystemDown: { dashboard: dashboardUids.controlPlane, title: 'Controllers and versions' },
  FluxControllerCrashLooping: { dashboard: dashboardUids.controlPlane, title: 'Container restarts' },
  FluxControllerMemoryNearLimit: { dashboard: dashboardUids.controlPlane, title: 'Memory', type: 'timeseries' },
  FluxReconcileErrorsHigh: { dashboard: dashboardUids.controlPlane, title: 'Reconcile error ratio' },
  FluxWorkQueueBackingUp: { dashboard: dashboardUids.controlPlane, title: 'Workers busy' },
  FluxReconciliationErrorBurst: { dashboard: dashboardUids.logs, title: 'Reconciliation failures' },
  FluxControllerPanic: { dashboard: dashboardUids.logs, title: 'All logs' },
  FluxControllerLogsStopped: { dashboard: dashboardUids.logs, title: 'Log volume by level' },
};
