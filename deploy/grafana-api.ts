/** Grafana's two ways to read and save a dashboard: the legacy `/api/dashboards`, the resource API of Grafana 12+. */
import { GrafanaError, type GrafanaHttp } from './http';

/** A dashboard as the build writes it: classic JSON model with a uid and a title. */
export type Dashboard = Record<string, unknown> & { uid: string; title: string };

export type ApiChoice = 'auto' | 'legacy' | 'resource';
export type ApiName = Exclude<ApiChoice, 'auto'>;

/** What Grafana holds under a uid: the dashboard, its folder, and what an update must carry. */
export interface StoredDashboard {
  dashboard: Record<string, unknown>;
  folderUid: string | undefined;
  resourceVersion?: string;
}

export interface DashboardApi {
  readonly name: ApiName;
  read(uid: string): Promise<StoredDashboard | undefined>;
  /** Saves over whatever is stored under the dashboard's uid; returns the version Grafana gave it, when it says. */
  save(
    dashboard: Dashboard, folderUid: string, stored: StoredDashboard | undefined, message: string,
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

/** Grafana 12 introduced the dashboard resource API; older ones, or a health answer without a version, get legacy. */
export const apiForVersion = (version: string | undefined): ApiName =>
  (majorVersion(version) ?? 0) >= 12 ? 'resource' : 'legacy';

export async function findFolder(http: GrafanaHttp, title: string): Promise<Folder | undefined> {
  const { body } = await http.request('GET', '/api/folders?limit=1000');
  if (!Array.isArray(body)) throw notGrafana('GET /api/folders', body);
  const found = body.find((folder): folder is Folder =>
    isObject(folder) && folder.title === title && typeof folder.uid === 'string');
  return found && { uid: found.uid, title: found.title };
}

export async function createFolder(http: GrafanaHttp, title: string): Promise<Folder> {
  const { body } = await http.request('POST', '/api/folders', { body: { title } });
  const uid = expectObject(body, 'POST /api/folders').uid;
  if (typeof uid !== 'string') {
    throw new GrafanaError('invalid-response', 'Grafana created the folder but returned no uid');
  }
  return { uid, title };
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
    async save(dashboard, folderUid, _stored, message) {
      // `id` must be absent to create; with overwrite Grafana matches an existing dashboard by uid.
      const { id: _id, version: _version, ...withoutId } = dashboard;
      const save = { dashboard: withoutId, folderUid, overwrite: true, message };
      const { body } = await http.request('POST', '/api/dashboards/db', { body: save });
      const version = isObject(body) ? body.version : undefined;
      return version === undefined ? undefined : String(version);
    },
  };
}

/** Resource API: `dashboard.grafana.app/v1beta1`, the dashboard's uid as object name, its folder as an annotation. */
export function resourceApi(http: GrafanaHttp, namespace: string): DashboardApi {
  const collection = `/apis/dashboard.grafana.app/v1beta1/namespaces/${encodeURIComponent(namespace)}/dashboards`;
  const item = (uid: string) => `${collection}/${encodeURIComponent(uid)}`;
  return {
    name: 'resource',
    async read(uid) {
      const { status, body } = await http.request('GET', item(uid), { allowNotFound: true });
      if (status === 404) return undefined;
      const answer = expectObject(body, `GET ${item(uid)}`);
      const metadata = isObject(answer.metadata) ? answer.metadata : {};
      const annotations = isObject(metadata.annotations) ? metadata.annotations : {};
      const folder = annotations['grafana.app/folder'];
      return {
        dashboard: expectObject(answer.spec, `GET ${item(uid)}`),
        folderUid: typeof folder === 'string' && folder ? folder : undefined,
        ...(typeof metadata.resourceVersion === 'string' ? { resourceVersion: metadata.resourceVersion } : {}),
      };
    },
    async save(dashboard, folderUid, stored, message) {
      // The resource API keeps identity and version in metadata: the spec carries neither `id` nor `version`.
      const { id: _id, version: _version, ...spec } = dashboard;
      const metadata = {
        name: dashboard.uid,
        annotations: { 'grafana.app/folder': folderUid, 'grafana.app/message': message },
        ...(stored?.resourceVersion ? { resourceVersion: stored.resourceVersion } : {}),
      };
      const resource = { apiVersion: 'dashboard.grafana.app/v1beta1', kind: 'Dashboard', metadata, spec };
      try {
        const { body } = stored
          ? await http.request('PUT', item(dashboard.uid), { body: resource })
          : await http.request('POST', collection, { body: resource });
        const saved = isObject(body) && isObject(body.metadata) ? body.metadata : {};
        return saved.generation === undefined ? undefined : String(saved.generation);
      } catch (error) {
        if (error instanceof GrafanaError && error.kind === 'not-found' && !stored) {
          const advice = 'pass --api legacy, or --namespace';
          const missing = `this Grafana serves no dashboard resource API in namespace "${namespace}"; ${advice}`;
          throw new GrafanaError('not-found', `${error.message}: ${missing}`, error.status);
        }
        throw error;
      }
    },
  };
}
