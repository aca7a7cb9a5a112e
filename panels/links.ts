/**
 * Data links from a table row to the dashboard about what the row names: an object's row opens the object dashboard,
 * a controller's the logs dashboard, each with the row's values as the target's variables and the same time range.
 */
import { dashboardIdentities, variableNames, type ObjectLabels, type VariableName } from '../model';
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
