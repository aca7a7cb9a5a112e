/** What every Flux dashboard shares, stamped in one place: uid, tags, links, annotations, time, common variables. */
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type { Config } from '../config';
import { variableNames } from '../queries/scope';
import { prometheusDatasource } from '../panels/common';

export interface DashboardIdentity {
  uid: string;
  title: string;
}

export const dashboardIdentities = {
  controlPlane: { uid: 'flux-control-plane', title: 'Flux Control Plane' },
  cluster: { uid: 'flux-cluster', title: 'Flux Cluster Stats' },
  logs: { uid: 'flux-logs', title: 'Flux Logs' },
} as const satisfies Record<string, DashboardIdentity>;

/** Grafana's own datasource, which serves annotations: a built-in uid, not an installation's. */
const grafanaDatasource = { type: 'grafana', uid: '-- Grafana --' };

const builtInAnnotations = new dashboard.AnnotationQueryBuilder()
  .name('Annotations & Alerts')
  .builtIn(1)
  .datasource(grafanaDatasource)
  .enable(true)
  .hide(true)
  .iconColor('rgba(0, 211, 255, 1)')
  .type('dashboard');

/** The events notification-controller's `grafana` Provider posts, tagged `flux`. */
const fluxEventAnnotations = new dashboard.AnnotationQueryBuilder()
  .name('Flux events')
  .datasource(grafanaDatasource)
  .enable(true)
  .iconColor('#5794F2')
  .target({ build: () => ({ type: 'tags', tags: ['flux'], limit: 100, matchAny: false }) } as unknown as cog.Builder<cog.Dataquery>);

function linksToOthers(self: DashboardIdentity) {
  return Object.values(dashboardIdentities)
    .filter((other) => other.uid !== self.uid)
    .map((other) =>
      new dashboard.DashboardLinkBuilder(other.title)
        .type(dashboard.DashboardLinkType.Link)
        .url(`/d/${other.uid}`)
        .icon('dashboard')
        .tooltip(`Open ${other.title} with this time range and selection`)
        .keepTime(true)
        .includeVars(true)
        .targetBlank(false)
        .asDropdown(false),
    );
}

const selected = (value: string): dashboard.VariableOption => ({ selected: true, text: value, value });
const allSelected: dashboard.VariableOption = { selected: true, text: ['All'], value: ['$__all'] };

export function datasourceVariable(name: string, label: string, type: 'prometheus' | 'loki', preselect: string | undefined) {
  const variable = new dashboard.DatasourceVariableBuilder(name).label(label).type(type).hide(dashboard.VariableHide.DontHide);
  if (preselect) variable.current(selected(preselect));
  return variable;
}

interface QueryVariableOptions {
  name: string;
  label: string;
  query: string;
  datasource?: { type: string; uid: string };
  /** Several values and an All that selects with `.*`. */
  multiWithAll?: boolean;
  defaultValue?: string;
}

export function queryVariable(options: QueryVariableOptions) {
  const variable = new dashboard.QueryVariableBuilder(options.name)
    .label(options.label)
    .datasource(options.datasource ?? prometheusDatasource)
    .query({ query: options.query, refId: `${options.name}-variable` })
    .definition(options.query)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc);
  if (options.multiWithAll) variable.multi(true).includeAll(true).allValue('.*').current(allSelected);
  if (options.defaultValue) variable.current(selected(options.defaultValue));
  return variable;
}

export const prometheusDatasourceVariable = (config: Config) =>
  datasourceVariable(variableNames.datasource, 'Data source', 'prometheus', config.datasources.prometheus);

/** The cluster variable, or none when the installation has no cluster label. */
export function clusterVariables(config: Config, query: (clusterLabel: string) => string) {
  if (!config.clusterLabel) return [];
  return [queryVariable({ name: variableNames.cluster, label: 'Cluster', query: query(config.clusterLabel), multiWithAll: true })];
}

export const fluxNamespaceVariable = (config: Config, query: string) =>
  queryVariable({ name: variableNames.namespace, label: 'Flux namespace', query, defaultValue: config.namespace });

interface FluxDashboardOptions {
  identity: DashboardIdentity;
  description: string;
  variables: cog.Builder<dashboard.VariableModel>[];
}

/** A dashboard with everything the Flux dashboards share; its panels are added by `layout`. */
export function fluxDashboard(options: FluxDashboardOptions) {
  return new dashboard.DashboardBuilder(options.identity.title)
    .uid(options.identity.uid)
    .description(options.description)
    .tags(['flux'])
    .editable()
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .time({ from: 'now-3h', to: 'now' })
    .refresh('1m')
    .timezone('browser')
    .annotations([builtInAnnotations, fluxEventAnnotations])
    .links(linksToOthers(options.identity))
    .variables(options.variables);
}
