/**
 * Grafana's ways to read and save a dashboard: the legacy `/api/dashboards` and the resource API
 * `dashboard.grafana.app` in the version the Grafana serves (v1beta1 from 12, v1 and v2 from 13).
 */
import { dashboardApiGroup, dashboardApiVersions, grafanaAnnotations, ownershipTag } from '../model/grafana-api';
import { GrafanaError, type GrafanaHttp } from './http';

export { ownershipTag };

/** A dashboard as the build writes it: classic JSON model with a uid and a title. */
export type Dashboard = Record<string, unknown> & { uid: string; title: string };

/** The v2 dashboard resource as the build makes it (dashboards/v2.ts). */
export type { DashboardV2Resource } from '../dashboards/v2';
import type { DashboardV2Resource } from '../dashboards/v2';

/** One dashboard to deploy, in the models the build made of it: the classic JSON, the v2 resource, or both. */
export interface DeployItem {
  uid: string;
  title: string;
  classic?: Dashboard;
  v2?: DashboardV2Resource;
}

export type ApiChoice = 'auto' | 'legacy' | 'resource';
/** The dashboard model to send: `classic` JSON, or `v2` (Grafana 13 and later). */
export type DashboardModel = 'classic' | 'v2';
export type ApiName = 'legacy' | ResourceVersion;
export type ResourceVersion = (typeof dashboardApiVersions)[number];

const dashboardGroup = dashboardApiGroup;
const folderAnnotation = grafanaAnnotations.folder;
const messageAnnotation = grafanaAnnotations.message;

/** What Grafana holds under a uid: the dashboard (or spec), its folder, and what an update must carry. */
export interface StoredDashboard {
  dashboard: Record<string, unknown>;
  folderUid: string | undefined;
  resourceVersion?: string;
}

export interface DashboardApi {
  readonly name: ApiName;
  read(uid: string): Promise<StoredDashboard | undefined>;
  /** What this API would save for the item, to compare with what Grafana stores (undefined: not in its model). */
  body(item: DeployItem): Record<string, unknown> | undefined;
  /** Saves over whatever is stored under the item's uid; returns the version Grafana gave it, when it says. */
  save(
    item: DeployItem, folderUid: string, stored: StoredDashboard | undefined, message: string,
  ): Promise<string | undefined>;
}

export interface Folder {
  uid: string;
  title: string;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** What came back instead of Grafana's JSON, in a few words (never the page itself). */
function describeBody(value: unknown): string {
  if (typeof value === 'string') return /^\s*</.test(value) ? 'an HTML page' : 'plain text';
  if (value === undefined) return 'an empty answer';
  return Array.isArray(value) ? 'a JSON list' : `JSON ${typeof value}`;
}

/** The answer shows the server is something else: a proxy, a login page, another application. */
export const notGrafana = (what: string, body: unknown) =>
  new GrafanaError(
    'invalid-response',
    `${what} answered ${describeBody(body)}, not Grafana's JSON: the URL does not look like Grafana (check --url)`,
  );

function expectObject(value: unknown, what: string): Record<string, unknown> {
  if (!isObject(value)) throw notGrafana(what, value);
  return value;
}

/** The major version from `/api/health` (`12.2.0`, `11.6.3+security-01`), or undefined when it gives none. */
export function majorVersion(version: string | undefined): number | undefined {
  const major = version?.match(/^v?(\d+)\./)?.[1];
  return major === undefined ? undefined : Number(major);
}

export async function grafanaVersion(http: GrafanaHttp): Promise<string | undefined> {
  const { status, body } = await http.request('GET', '/api/health', { anonymous: true, allowNotFound: true });
  const health = status === 404 ? undefined : isObject(body) ? body : undefined;
  // Every Grafana answers `{database, version, commit}`; anything else is another server.
  if (!health || (typeof health.database !== 'string' && typeof health.version !== 'string')) {
    throw notGrafana(`GET /api/health${status === 404 ? ' (404)' : ''}`, body);
  }
  return typeof health.version === 'string' ? health.version : undefined;
}

/**
 * The API for a Grafana version: 13 and later the stable `v2` (or `v1` for the classic model), 12 `v1beta1`,
 * older ones (or a health answer without a version) the legacy API; `resource` forces a resource API.
 */
export function apiForVersion(
  version: string | undefined, model: DashboardModel = 'classic', choice: ApiChoice = 'auto',
): ApiName {
  if (choice === 'legacy') return 'legacy';
  const major = majorVersion(version) ?? 0;
  if (major >= 13) return model === 'v2' ? 'v2' : 'v1';
  return major >= 12 || choice === 'resource' ? 'v1beta1' : 'legacy';
}

/** Every folder `GET /api/folders` lists: the top level, where deploy puts its folder. */
export async function listFolders(http: GrafanaHttp): Promise<Folder[]> {
  const { body } = await http.request('GET', '/api/folders?limit=1000');
  if (!Array.isArray(body)) throw notGrafana('GET /api/folders', body);
  return body
    .filter((folder): folder is Folder => isObject(folder) && typeof folder.uid === 'string')
    .map(({ uid, title }) => ({ uid, title: typeof title === 'string' ? title : uid }));
}

export async function findFolder(http: GrafanaHttp, title: string): Promise<Folder | undefined> {
  return (await listFolders(http)).find((folder) => folder.title === title);
}

export async function createFolder(http: GrafanaHttp, title: string): Promise<Folder> {
  const { body } = await http.request('POST', '/api/folders', { body: { title } });
  const uid = expectObject(body, 'POST /api/folders').uid;
  if (typeof uid !== 'string') {
    throw new GrafanaError('invalid-response', 'Grafana created the folder but returned no uid');
  }
  return { uid, title };
}

const tagsOf = (dashboard: Record<string, unknown>): unknown[] => (Array.isArray(dashboard.tags) ? dashboard.tags : []);

/** The dashboard (classic JSON or v2 spec: both keep `tags`) with the ownership tag, added once. */
export function withOwnershipTag(dashboard: Record<string, unknown>): Record<string, unknown> {
  const tags = tagsOf(dashboard);
  return tags.includes(ownershipTag) ? dashboard : { ...dashboard, tags: [...tags, ownershipTag] };
}

export const deployedByUs = (dashboard: Record<string, unknown>) => tagsOf(dashboard).includes(ownershipTag);

/** The classic JSON as a save carries it: `id` and `version` are Grafana's own, the ownership tag is ours. */
function classicBody(item: DeployItem): Record<string, unknown> | undefined {
  if (!item.classic) return undefined;
  const { id: _id, version: _version, ...dashboard } = item.classic;
  return withOwnershipTag(dashboard);
}

/** Legacy API: GET `/api/dashboards/uid/:uid`, POST `/api/dashboards/db` with overwrite. */
export function legacyApi(http: GrafanaHttp): DashboardApi {
  return {
    name: 'legacy',
    async read(uid) {
      const path = `/api/dashboards/uid/${encodeURIComponent(uid)}`;
      const { status, body } = await http.request('GET', path, { allowNotFound: true });
      if (status === 404) return undefined;
      const answer = expectObject(body, `GET /api/dashboards/uid/${uid}`);
      const meta = isObject(answer.meta) ? answer.meta : {};
      return {
        dashboard: expectObject(answer.dashboard, `GET /api/dashboards/uid/${uid}`),
        folderUid: typeof meta.folderUid === 'string' && meta.folderUid ? meta.folderUid : undefined,
      };
    },
    body: classicBody,
    async save(item, folderUid, _stored, message) {
      // `id` must be absent to create; with overwrite Grafana matches an existing dashboard by uid.
      const save = { dashboard: classicBody(item), folderUid, overwrite: true, message };
      const { body } = await http.request('POST', '/api/dashboards/db', { body: save });
      const version = isObject(body) ? body.version : undefined;
      return version === undefined ? undefined : String(version);
    },
  };
}

/** The resource path of a version's dashboards in a namespace (`default`, `org-<id>`, `stacks-<id>`). */
export const dashboardsPath = (version: ResourceVersion, namespace: string) =>
  `/apis/${dashboardGroup}/${version}/namespaces/${encodeURIComponent(namespace)}/dashboards`;

/**
 * Resource API `dashboard.grafana.app/<version>`: the uid as object name, the folder as an annotation, updates
 * carrying the `resourceVersion` read. `v1beta1` and `v1` hold the classic JSON as spec, `v2` the v2 spec.
 */
export function resourceApi(http: GrafanaHttp, namespace: string, version: ResourceVersion = 'v1beta1'): DashboardApi {
  const collection = dashboardsPath(version, namespace);
  const item = (uid: string) => `${collection}/${encodeURIComponent(uid)}`;
  const body = (deployed: DeployItem) => {
    if (version !== 'v2') return classicBody(deployed);
    return deployed.v2 && isObject(deployed.v2.spec) ? withOwnershipTag(deployed.v2.spec) : undefined;
  };
  return {
    name: version,
    async read(uid) {
      const { status, body: answered } = await http.request('GET', item(uid), { allowNotFound: true });
      if (status === 404) return undefined;
      const answer = expectObject(answered, `GET ${item(uid)}`);
      const metadata = isObject(answer.metadata) ? answer.metadata : {};
      const annotations = isObject(metadata.annotations) ? metadata.annotations : {};
      const folder = annotations[folderAnnotation];
      return {
        dashboard: expectObject(answer.spec, `GET ${item(uid)}`),
        folderUid: typeof folder === 'string' && folder ? folder : undefined,
        ...(typeof metadata.resourceVersion === 'string' ? { resourceVersion: metadata.resourceVersion } : {}),
      };
    },
    body,
    async save(deployed, folderUid, stored, message) {
      const ours = version === 'v2' ? deployed.v2?.metadata : undefined;
      const metadata = {
        name: deployed.uid,
        annotations: { ...ours?.annotations, [folderAnnotation]: folderUid, [messageAnnotation]: message },
        ...(ours?.labels ? { labels: ours.labels } : {}),
        ...(stored?.resourceVersion ? { resourceVersion: stored.resourceVersion } : {}),
      };
      const apiVersion = `${dashboardGroup}/${version}`;
      const resource = { apiVersion, kind: 'Dashboard', metadata, spec: body(deployed) };
      try {
        const { body: answered } = stored
          ? await http.request('PUT', item(deployed.uid), { body: resource })
          : await http.request('POST', collection, { body: resource });
        const saved = isObject(answered) && isObject(answered.metadata) ? answered.metadata : {};
        return saved.generation === undefined ? undefined : String(saved.generation);
      } catch (error) {
        if (error instanceof GrafanaError && error.kind === 'not-found' && !stored) {
          const advice = 'pass --api legacy, or --namespace';
          const missing = `this Grafana serves no dashboard ${version} API in namespace "${namespace}"; ${advice}`;
          throw new GrafanaError('not-found', `${error.message}: ${missing}`, error.status);
        }
        throw error;
      }
    },
  };
}
