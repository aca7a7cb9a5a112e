/** Puts the dashboards into one Grafana folder, saving only those that differ from what Grafana holds. */
import {
  apiForVersion, createFolder, findFolder, grafanaVersion, legacyApi, resourceApi, type ApiChoice, type ApiName,
  type Dashboard, type DashboardApi, type StoredDashboard,
} from './grafana-api';
import { fatalKinds, GrafanaError, type GrafanaHttp } from './http';

export interface DeployPlan {
  folderTitle: string;
  api: ApiChoice;
  /** Resource API namespace: `default` is the default organisation. */
  namespace: string;
  dryRun: boolean;
  /** Version-history message of every saved dashboard. */
  message: string;
}

/** `created`/`changed`/`unchanged` say what Grafana held; `saved` whether this run wrote it. */
export type DashboardOutcome =
  | { uid: string; title: string; change: 'created' | 'changed' | 'unchanged'; saved: boolean; version?: string }
  | { uid: string; title: string; change: 'failed'; saved: false; error: string }
  | { uid: string; title: string; change: 'not attempted'; saved: false };

export interface DeployReport {
  dryRun: boolean;
  api?: ApiName;
  grafanaVersion?: string;
  folder: { title: string; uid?: string; state: 'found' | 'created' | 'would be created' | 'not reached' };
  dashboards: DashboardOutcome[];
  /** Why the run stopped before trying every dashboard. */
  stopped?: string;
  ok: boolean;
}

/** Fields Grafana sets itself on save; they differ between any two saves of the same dashboard. */
const serverManagedFields = new Set(['id', 'uid', 'version', 'iteration']);

/** JSON text with sorted keys, so that key order does not count as a change. */
export function canonical(value: unknown, topLevel = false): string {
  if (Array.isArray(value)) return `[${value.map((entry) => canonical(entry)).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([key, entry]) => entry !== undefined && !(topLevel && serverManagedFields.has(key)))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${canonical(entry)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export const sameDashboard = (stored: Record<string, unknown>, ours: Record<string, unknown>) =>
  canonical(stored, true) === canonical(ours, true);

export function changeOf(stored: StoredDashboard | undefined, ours: Dashboard, folderUid: string | undefined) {
  if (!stored) return 'created' as const;
  const same = stored.folderUid === folderUid && sameDashboard(stored.dashboard, ours);
  return same ? ('unchanged' as const) : ('changed' as const);
}

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function chooseApi(http: GrafanaHttp, plan: DeployPlan): Promise<{ api: DashboardApi; version?: string }> {
  const version = plan.api === 'auto' ? await grafanaVersion(http) : undefined;
  const name = plan.api === 'auto' ? apiForVersion(version) : plan.api;
  const api = name === 'resource' ? resourceApi(http, plan.namespace) : legacyApi(http);
  return { api, ...(version ? { version } : {}) };
}

export async function deploy(http: GrafanaHttp, dashboards: Dashboard[], plan: DeployPlan): Promise<DeployReport> {
  const report: DeployReport = {
    dryRun: plan.dryRun,
    folder: { title: plan.folderTitle, state: 'not reached' },
    dashboards: dashboards.map(({ uid, title }) => ({ uid, title, change: 'not attempted', saved: false })),
    ok: false,
  };
  let api: DashboardApi;
  let folderUid: string | undefined;
  try {
    const chosen = await chooseApi(http, plan);
    api = chosen.api;
    report.api = api.name;
    if (chosen.version) report.grafanaVersion = chosen.version;
    const folder = await findFolder(http, plan.folderTitle);
    if (folder) report.folder = { title: folder.title, uid: folder.uid, state: 'found' };
    else if (plan.dryRun) report.folder = { title: plan.folderTitle, state: 'would be created' };
    else report.folder = { ...(await createFolder(http, plan.folderTitle)), state: 'created' };
    folderUid = report.folder.uid;
  } catch (error) {
    report.stopped = http.redact(describe(error));
    return report;
  }

  for (const [index, dashboard] of dashboards.entries()) {
    const { uid, title } = dashboard;
    try {
      const stored = await api.read(uid);
      const change = changeOf(stored, dashboard, folderUid);
      if (plan.dryRun || change === 'unchanged' || folderUid === undefined) {
        report.dashboards[index] = { uid, title, change, saved: false };
        continue;
      }
      const version = await api.save(dashboard, folderUid, stored, plan.message);
      report.dashboards[index] = { uid, title, change, saved: true, ...(version ? { version } : {}) };
    } catch (error) {
      report.dashboards[index] = { uid, title, change: 'failed', saved: false, error: http.redact(describe(error)) };
      if (error instanceof GrafanaError && fatalKinds.has(error.kind)) {
        report.stopped = http.redact(describe(error));
        break;
      }
    }
  }
  const allTried = report.dashboards.every(({ change }) => change !== 'failed' && change !== 'not attempted');
  report.ok = !report.stopped && allTried;
  return report;
}
