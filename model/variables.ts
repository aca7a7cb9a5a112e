/** The dashboards' template variables as queries, panels and alert links refer to them. */

export const variableNames = {
  datasource: 'datasource',
  lokiDatasource: 'loki_datasource',
  cluster: 'cluster',
  namespace: 'namespace',
  objectNamespace: 'exported_namespace',
  kind: 'kind',
  controller: 'controller',
  level: 'level',
  logObjectNamespace: 'object_namespace',
  objectName: 'name',
  search: 'search',
} as const;

export type VariableName = (typeof variableNames)[keyof typeof variableNames];

/** `$name`: a variable's value inside a query. */
export const variableRef = (name: VariableName) => `$${name}`;

/** What a multi-value variable's All stands for in a query: every value, by regex. */
export const allValue = '.*';

export interface DatasourceRef {
  type: 'prometheus' | 'loki';
  uid: string;
}

/** Panels read their datasource from the dashboard's datasource variables, never from a fixed uid. */
export const datasources = {
  prometheus: { type: 'prometheus', uid: `\${${variableNames.datasource}}` },
  loki: { type: 'loki', uid: `\${${variableNames.lokiDatasource}}` },
} as const satisfies Record<string, DatasourceRef>;
