/**
 * Puts the dashboards into one Grafana folder through the API its version serves, saving only those that differ from
 * what Grafana holds, and replacing or moving a dashboard someone else put under one of our uids only when asked.
 */
import {
  apiForVersion, createFolder, deployedByUs, grafanaVersion, legacyApi, listFolders, majorVersion, resourceApi,
  type ApiChoice, type ApiName, type Dashboard, type DashboardApi, type DashboardModel, type DashboardV2Resource,
  type DeployItem, type StoredDashboard,
} from './grafana-api';
import { fatalKinds, GrafanaError, type GrafanaHttp } from './http';

export interface DeployPlan {
  folderTitle: string;
  api: ApiChoice;
  /** The model to send; left out: v2 on Grafana 13 and later when every dashboard has its v2 resource. */
  model?: DashboardModel;
  /** Resource API namespace: `default` is the default organisation. */
  namespace: string;
  dryRun: boolean;
  /** Version-history message of every saved dashboard. */
  message: string;
  /** Replace dashboards this package did not deploy, and move ours back from other folders. */
  replace?: boolean;
}

/** A dashboard under one of our uids that someone else put there, or that sits in another folder. */
export interface Takeover {
  foreign: boolean;
  /** The folder it sits in now, when not ours: its title, or its uid when not listed. */
  movedFrom?: string;
}

/** `created`/`changed`/`unchanged` say what Grafana held; `saved` whether this run wrote it. */
export type DashboardOutcome =
  | {
    uid: string; title: string; change: 'created' | 'changed' | 'unchanged'; saved: boolean; version?: string;
    takeover?: Takeover;
  }
  | { uid: string; title: string; change: 'failed'; saved: false; error: string }
  | { uid: string; title: string; change: 'not attempted'; saved: false };

export interface DeployReport {
  dryRun: boolean;
  /** Take-overs were allowed (`--replace`). */
  replace: boolean;
  api?: ApiName;
  model?: DashboardModel;
  /** Why the model is not the one this Grafana would take by default. */
  modelNote?: string;
  grafanaVersion?: string;
  folder: { title: string; uid?: string; state: 'found' | 'created' | 'would be created' | 'not reached' };
  dashboards: DashboardOutcome[];
  /** Why the run stopped before trying every dashboard. */
  stopped?: string;
  /** Why nothing was written although Grafana answered: a take-over without `--replace`, a model it cannot take. */
  refused?: string;
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

export function changeOf(stored: StoredDashboard | undefined, ours: Record<string, unknown>, folderUid?: string) {
  if (!stored) return 'created' as const;
  const same = folderUid !== undefined && stored.folderUid === folderUid && sameDashboard(stored.dashboard, ours);
  return same ? ('unchanged' as const) : ('changed' as const);
}

/** The classic dashboards and the v2 resources as one list by uid, in the classic list's order. */
export function deployItems(dashboards: Dashboard[], v2: DashboardV2Resource[] = []): DeployItem[] {
  const items = new Map<string, DeployItem>();
  for (const classic of dashboards) items.set(classic.uid, { uid: classic.uid, title: classic.title, classic });
  for (const resource of v2) {
    const uid = resource.metadata.name;
    const spec = resource.spec as { title?: unknown } | undefined;
    const title = typeof spec?.title === 'string' ? spec.title : uid;
    items.set(uid, { uid, title, ...items.get(uid), v2: resource });
  }
  return [...items.values()];
}

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Nothing can be written: said in one line, and the command exits as for bad input. */
class Refusal extends Error {}

const listed = (uids: string[]) =>
  uids.length > 3 ? `${uids.slice(0, 3).join(', ')} and ${uids.length - 3} more` : uids.join(', ');

interface ChosenApi {
  api: DashboardApi;
  /** On Grafana 13, a dashboard the build made no v2 resource of goes through v1 in the classic model. */
  classicApi?: DashboardApi;
  model: DashboardModel;
  modelNote?: string;
  version?: string;
}

const apiOf = (chosen: ChosenApi, item: DeployItem) =>
  chosen.model === 'v2' && !item.v2 && chosen.classicApi ? chosen.classicApi : chosen.api;

async function chooseApi(http: GrafanaHttp, items: DeployItem[], plan: DeployPlan): Promise<ChosenApi> {
  if (plan.api === 'legacy') {
    if (plan.model === 'v2') throw new Refusal('--model v2 needs the resource API: leave out --api legacy');
    return { api: legacyApi(http), model: 'classic' };
  }
  const version = await grafanaVersion(http);
  const major = majorVersion(version) ?? 0;
  const withoutV2 = items.filter((item) => !item.v2).map((item) => item.uid);
  // On 13, v2 wherever the build made a v2 resource; a classic-only dashboard goes through v1 beside them.
  const someV2 = withoutV2.length < items.length;
  let model: DashboardModel = plan.model ?? (major >= 13 && someV2 ? 'v2' : 'classic');
  let modelNote: string | undefined;
  if (model === 'v2' && major < 13) {
    const which = version ?? 'of no known version';
    throw new Refusal(`--model v2 needs Grafana 13 or later, and this one is ${which}: leave out --model`);
  }
  if (major >= 13 && plan.model === undefined && model === 'classic') {
    modelNote = `the classic model, as ${listed(withoutV2)} came without a v2 resource`;
  }
  const mixed = model === 'v2' && plan.model === undefined && withoutV2.length > 0;
  if (mixed) modelNote = `${listed(withoutV2)} in the classic model through v1: the build makes no v2 resource of it`;
  const missing = items
    .filter((item) => !(model === 'v2' ? item.v2 || (mixed && item.classic) : item.classic))
    .map((item) => item.uid);
  if (missing.length > 0) {
    const what = model === 'v2' ? 'v2 resource' : 'classic dashboard';
    const grafana = `Grafana${version ? ` ${version}` : ''}`;
    throw new Refusal(`${listed(missing)} came without a ${what}, which this ${grafana} needs: deploy with --config`);
  }
  const name = apiForVersion(version, model, plan.api);
  model = name === 'v2' ? 'v2' : 'classic';
  const api = name === 'legacy' ? legacyApi(http) : resourceApi(http, plan.namespace, name);
  const classicApi = mixed && name === 'v2' ? resourceApi(http, plan.namespace, 'v1') : undefined;
  return {
    api, model, ...(classicApi ? { classicApi } : {}), ...(modelNote ? { modelNote } : {}),
    ...(version ? { version } : {}),
  };
}

/** The one line that refuses a take-over: which dashboards are not ours, which sit elsewhere, and what to pass. */
export function takeoverRefusal(outcomes: DashboardOutcome[]): string | undefined {
  const taken = outcomes.flatMap((outcome) => ('takeover' in outcome && outcome.takeover ? [outcome] : []));
  if (taken.length === 0) return undefined;
  const each = taken.map(({ uid, takeover }) => {
    const { foreign, movedFrom } = takeover!;
    const what = [foreign ? 'not deployed by flux-dashboards' : '', movedFrom ? `in folder "${movedFrom}"` : ''];
    return `${uid} (${what.filter(Boolean).join(', ')})`;
  });
  return `Grafana holds dashboards under our uids that this run would replace or move: ${each.join('; ')}; ` +
    'pass --replace to take them over, or --dry-run to see every change';
}

export async function deploy(
  http: GrafanaHttp, dashboards: Dashboard[], plan: DeployPlan, v2: DashboardV2Resource[] = [],
): Promise<DeployReport> {
  const items = deployItems(dashboards, v2);
  const report: DeployReport = {
    dryRun: plan.dryRun,
    replace: plan.replace ?? false,
    folder: { title: plan.folderTitle, state: 'not reached' },
    dashboards: items.map(({ uid, title }) => ({ uid, title, change: 'not attempted', saved: false })),
    ok: false,
  };
  let chosen: ChosenApi;
  const folderTitles = new Map<string, string>();
  try {
    chosen = await chooseApi(http, items, plan);
    Object.assign(report, { api: chosen.api.name, model: chosen.model });
    if (chosen.modelNote) report.modelNote = chosen.modelNote;
    if (chosen.version) report.grafanaVersion = chosen.version;
    for (const folder of await listFolders(http)) folderTitles.set(folder.uid, folder.title);
    const found = [...folderTitles].find(([, title]) => title === plan.folderTitle);
    report.folder = found
      ? { title: plan.folderTitle, uid: found[0], state: 'found' }
      : { title: plan.folderTitle, state: 'would be created' };
  } catch (error) {
    if (error instanceof Refusal) report.refused = error.message;
    else report.stopped = http.redact(describe(error));
    return report;
  }

  // Everything is read before anything is written: a take-over is refused with nothing changed.
  const stored = new Map<string, StoredDashboard | undefined>();
  for (const [index, item] of items.entries()) {
    const { uid, title } = item;
    try {
      const held = await apiOf(chosen, item).read(uid);
      stored.set(uid, held);
      const change = changeOf(held, apiOf(chosen, item).body(item)!, report.folder.uid);
      // Before our folder exists, whatever Grafana holds sits somewhere else (the root folder included).
      const elsewhere = held !== undefined && (report.folder.uid === undefined || held.folderUid !== report.folder.uid);
      const movedFrom = elsewhere
        ? (held.folderUid ? folderTitles.get(held.folderUid) ?? held.folderUid : 'the root folder') : undefined;
      const foreign = held !== undefined && !deployedByUs(held.dashboard);
      const takeover = foreign || movedFrom ? { foreign, ...(movedFrom ? { movedFrom } : {}) } : undefined;
      report.dashboards[index] = { uid, title, change, saved: false, ...(takeover ? { takeover } : {}) };
    } catch (error) {
      report.dashboards[index] = { uid, title, change: 'failed', saved: false, error: http.redact(describe(error)) };
      if (error instanceof GrafanaError && fatalKinds.has(error.kind)) {
        report.stopped = http.redact(describe(error));
        return report;
      }
    }
  }
  const refusal = plan.replace || plan.dryRun ? undefined : takeoverRefusal(report.dashboards);
  if (refusal) {
    report.refused = refusal;
    return report;
  }
  if (!plan.dryRun) {
    try {
      if (!report.folder.uid) report.folder = { ...(await createFolder(http, plan.folderTitle)), state: 'created' };
    } catch (error) {
      report.stopped = http.redact(describe(error));
      report.dashboards = items.map(({ uid, title }) => ({ uid, title, change: 'not attempted', saved: false }));
      return report;
    }
    for (const [index, item] of items.entries()) {
      const outcome = report.dashboards[index]!;
      if (outcome.change !== 'created' && outcome.change !== 'changed') continue;
      try {
        const version = await apiOf(chosen, item).save(item, report.folder.uid!, stored.get(item.uid), plan.message);
        report.dashboards[index] = { ...outcome, saved: true, ...(version ? { version } : {}) };
      } catch (error) {
        const { uid, title } = item;
        report.dashboards[index] = { uid, title, change: 'failed', saved: false, error: http.redact(describe(error)) };
        if (error instanceof GrafanaError && fatalKinds.has(error.kind)) {
          report.stopped = http.redact(describe(error));
          // The rest would meet the same refusal: they are not tried.
          for (const later of report.dashboards.slice(index + 1)) {
            if (later.change === 'created' || later.change === 'changed') {
              Object.assign(later, { change: 'not attempted', saved: false });
            }
          }
          break;
        }
      }
    }
  }
  const allTried = report.dashboards.every(({ change }) => change !== 'failed' && change !== 'not attempted');
  report.ok = !report.stopped && allTried;
  return report;
}
