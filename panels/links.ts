/**
 * Data links from a table row to the dashboard about what the row names: an object's row opens the object dashboard,
 * a controller's the logs dashboard, each with the row's values as the target's variables and the same time range;
 * a controller's series opens the logs too, and a count the table that lists what it counts.
 */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { dashboardIdentities, variableNames, type ObjectLabels, type VariableName } from '../model';
import type { Query } from '../queries/query';
import type { ColumnLink } from './common';

/** `${__data.fields.label}`: a cell of the clicked row, URL-encoded. */
const cellOf = (label: string) => `\${__data.fields.${label}:percentencode}`;
/** A variable of the dashboard the link is on, passed on with all its values. */
const passOn = (name: VariableName) => `\${${name}:queryparam}`;

function dashboardLink(uid: string, variables: Array<[VariableName, string]>, passed: VariableName[]): string {
  const query = [
    ...variables.map(([name, value]) => `var-${name}=${value}`),
    ...passed.map(passOn),
    '${__url_time_range}',
  ];
  return `/d/${uid}?${query.join('&')}`;
}

/** The datasource and Flux namespace the row was read with, which the target dashboard shares. */
const sharedVariables: VariableName[] = [variableNames.datasource, variableNames.namespace];

/**
 * The object a row names, by the labels of the table's query; the cluster's cell where the row has one. `kind`: the
 * kind of every row, where the table hides its kind column (a hidden column is no field of the row).
 */
export function objectDashboardLink(labels: ObjectLabels, clusterLabel: string | null, kind?: string): ColumnLink {
  const variables: Array<[VariableName, string]> = [
    ...(clusterLabel ? [[variableNames.cluster, cellOf(clusterLabel)] as [VariableName, string]] : []),
    [variableNames.kind, kind ?? cellOf(labels.kind)],
    [variableNames.objectNamespace, cellOf(labels.namespace)],
    [variableNames.objectName, cellOf(labels.name)],
  ];
  return {
    column: labels.name,
    title: `Open ${dashboardIdentities.object.title}: ${kind ?? `\${__data.fields.${labels.kind}}`} \${__value.text}`,
    url: dashboardLink(dashboardIdentities.object.uid, variables, sharedVariables),
  };
}

/** The logs of the controller a row names (its Deployment's name in `column`). */
export function controllerLogsLink(column: string, clusterLabel: string | null): ColumnLink {
  const variables: Array<[VariableName, string]> = [
    ...(clusterLabel ? [[variableNames.cluster, cellOf(clusterLabel)] as [VariableName, string]] : []),
    [variableNames.controller, cellOf(column)],
  ];
  return {
    column,
    title: `${dashboardIdentities.logs.title}: \${__value.text}`,
    url: dashboardLink(dashboardIdentities.logs.uid, variables, [variableNames.namespace]),
  };
}

/** From the object dashboard to the logs dashboard: this object's namespace and name as its filters. */
export function objectLogsLink(clusterLabel: string | null): { title: string; url: string } {
  const variables: Array<[VariableName, string]> = [
    [variableNames.logObjectNamespace, `\${${variableNames.objectNamespace}:percentencode}`],
    [variableNames.objectName, `\${${variableNames.objectName}:percentencode}`],
  ];
  const passed: VariableName[] = [
    ...(clusterLabel ? [variableNames.cluster] : []),
    variableNames.namespace,
    variableNames.lokiDatasource,
  ];
  return { title: dashboardIdentities.logs.title, url: dashboardLink(dashboardIdentities.logs.uid, variables, passed) };
}

/** A multi-value variable's All, as a dashboard URL selects it. */
const allSelection = '$__all';

/** `${__field.labels.label}`: a label of the clicked series, URL-encoded. */
const seriesLabel = (label: string) => `\${__field.labels.${label}:percentencode}`;

/**
 * The labels naming a controller-runtime controller on the control plane's series: `controller` on the reconcile
 * metrics, `name` on the work-queue metrics; both hold the reconciler (`kustomization`), not the Deployment.
 */
const reconcilerLabels = ['controller', 'name'] as const;

/**
 * A data link (`fieldConfig.defaults.links`): Grafana reads its title and url; the published dashboard schema types it
 * as a dashboard link, so it is built as one, as the builders' `dataLinks` take it.
 */
const dataLink = (title: string, url: string) =>
  new dashboard.DashboardLinkBuilder(title).type(dashboard.DashboardLinkType.Link).url(url).targetBlank(false);

/**
 * From a series of one controller to Flux Logs: every controller's lines (a reconciler is no Deployment name the logs
 * dashboard's controller variable lists), searched for the reconciler's name, which its JSON lines carry as
 * `"controller":"<reconciler>"`; the series' cluster where it has one. None where no label names a controller.
 */
export function reconcilerLogsLinks(query: Query) {
  const reconciler = reconcilerLabels.find((label) => query.labels.includes(label));
  if (!reconciler) return [];
  const variables: Array<[VariableName, string]> = [
    ...(query.clusterLabel ? [[variableNames.cluster, seriesLabel(query.clusterLabel)] as [VariableName, string]] : []),
    [variableNames.controller, allSelection],
    [variableNames.search, seriesLabel(reconciler)],
  ];
  const url = dashboardLink(dashboardIdentities.logs.uid, variables, [variableNames.namespace]);
  return [dataLink(`${dashboardIdentities.logs.title}: \${__field.labels.${reconciler}}`, url)];
}

/** From a count to the table listing what it counts: the same dashboard, that panel alone in view, same selection. */
export function tableViewLink(uid: string, panelId: number, table: string) {
  return dataLink(`Show ${table}`, `/d/${uid}?viewPanel=${panelId}&\${__all_variables}&\${__url_time_range}`);
}
