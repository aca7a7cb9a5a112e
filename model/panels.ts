/**
 * Stable keys of the panels other outputs link into (an alert's `__panelId__`), each with the dashboard that holds
 * it: a dashboard gives a keyed cell its key, and the key gives the panel's id in the built dashboard.
 */
import { dashboardIdentities } from './dashboards';

export const linkedPanels = {
  failingObjects: dashboardIdentities.cluster,
  stalledObjects: dashboardIdentities.cluster,
  suspendedObjects: dashboardIdentities.cluster,
  slowestObjects: dashboardIdentities.cluster,
  reconcileDurationByKind: dashboardIdentities.cluster,
  objectReadiness: dashboardIdentities.cluster,
  sourceRevisions: dashboardIdentities.cluster,
  controllersAndVersions: dashboardIdentities.controlPlane,
  reconcileErrorRatio: dashboardIdentities.controlPlane,
  workersBusy: dashboardIdentities.controlPlane,
  memoryByPod: dashboardIdentities.controlPlane,
  restartsByPod: dashboardIdentities.controlPlane,
  logVolumeByLevel: dashboardIdentities.logs,
  reconciliationFailures: dashboardIdentities.logs,
  allLogs: dashboardIdentities.logs,
} as const;

export type PanelKey = keyof typeof linkedPanels;

/** The id of each keyed panel of the built dashboards. */
export type PanelIds = ReadonlyMap<PanelKey, number>;
