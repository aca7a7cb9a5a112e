/**
 * Grafana's resource APIs (Grafana 13): the v2 dashboard resource, the folder resource it is filed in, and the
 * namespace of Grafana's first organisation. Names as grafana/grafana defines them (pkg/apimachinery/utils/meta.go
 * for the annotation, the dashboard and folder API groups under apps/).
 */
import { dashboardApiGroup, grafanaAnnotations } from './grafana-api';

/** The v2 dashboard model's resource: stable, and Grafana 13's default. */
export const dashboardV2ApiVersion = `${dashboardApiGroup}/v2` as const;
export const dashboardResourceKind = 'Dashboard';

/** Grafana 13's stable folder resource; `metadata.name` is the folder uid. */
export const folderApiVersion = 'folder.grafana.app/v1';
export const folderResourceKind = 'Folder';

/** The annotation holding the uid of the folder a resource is filed in (`utils.AnnoKeyFolder`). */
export const folderAnnotation = grafanaAnnotations.folder;

/** The namespace of a single-tenant Grafana's first organisation; Grafana Cloud's is `stacks-<instance id>`. */
export const grafanaOrgNamespace = 'default';

/**
 * The uid of the folder the build files everything in, made from its title: lower-case, runs of other characters as
 * one `-`, at most 40 characters (Grafana's limit for a uid), `flux` when nothing is left.
 */
export const grafanaFolderUid = (title: string) =>
  title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40) || 'flux';
