/** What every Flux dashboard shares, stamped in one place: uid, tags, links, annotations, time, common variables. */
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type { Config } from '../config';
import {
  allValue, dashboardIdentities, datasources, variableNames, type DashboardIdentity, type DatasourceRef,
} from '../model';
import { dashboardScope, variables } from '../queries';
import { layout, type Row } from './layout';
import { toDashboardJson, type DashboardJson } from './json';

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

/** Grafana's annotation query by tags, which the SDK has no builder for. */
const tagQuery = (tags: string[]) =>
  ({ build: () => ({ type: 'tags', tags, limit: 100, matchAny: false }) }) as unknown as cog.Builder<cog.Dataquery>;

/**
 * The events notification-controller's `grafana` Provider posts, tagged `flux` (and `kind: X`, `name: Y`,
 * `namespace: Z` of the object: notification-controller `internal/notifier/grafana.go`); `narrowedBy` adds tags
 * every event shown must carry.
 */
const fluxEventAnnotations = (narrowedBy: string[] = []) =>
  new dashboard.AnnotationQueryBuilder()
    .name('Flux events')
    .datasource(grafanaDatasource)
    .enable(true)
    .iconColor('#5794F2')
    .target(tagQuery(['flux', ...narrowedBy]));

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
/** A multi-value variable's starting selection: All. */
export const allSelected: dashboard.VariableOption = { selected: true, text: ['All'], value: ['$__all'] };

export function datasourceVariable(name: string, label: string, type: DatasourceRef['type'], preselect?: string) {
  const variable = new dashboard.DatasourceVariableBuilder(name)
    .label(label)
    .type(type)
    .hide(dashboard.VariableHide.DontHide);
  if (preselect) variable.current(selected(preselect));
  return variable;
}

interface QueryVariableOptions {
  name: string;
  label: string;
  query: string;
  datasource?: DatasourceRef;
  /** Several values and an All that selects with `.*`. */
  multiWithAll?: boolean;
  defaultValue?: string;
}

export function queryVariable(options: QueryVariableOptions) {
  const variable = new dashboard.QueryVariableBuilder(options.name)
    .label(options.label)
    .datasource(options.datasource ?? datasources.prometheus)
    .query({ query: options.query, refId: `${options.name}-variable` })
    .definition(options.query)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc);
  if (options.multiWithAll) variable.multi(true).includeAll(true).allValue(allValue).current(allSelected);
  if (options.defaultValue) variable.current(selected(options.defaultValue));
  return variable;
}

const prometheusDatasourceVariable = (config: Config) =>
  datasourceVariable(variableNames.datasource, 'Data source', 'prometheus', config.datasources.prometheus);

const lokiDatasourceVariable = (config: Config) =>
  datasourceVariable(variableNames.lokiDatasource, 'Loki data source', 'loki', config.datasources.loki);

/** The cluster variable, or none when the installation has no cluster label; `single`: one cluster, no All. */
function clusterVariables(config: Config, single = false) {
  if (!config.clusterLabel) return [];
  const query = variables.clusterValues(dashboardScope(config), config.clusterLabel);
  return [queryVariable({ name: variableNames.cluster, label: 'Cluster', query, multiWithAll: !single })];
}

const fluxNamespaceVariable = (config: Config) =>
  queryVariable({
    name: variableNames.namespace,
    label: 'Flux namespace',
    query: variables.fluxNamespaceValues(dashboardScope(config)),
    defaultValue: config.namespace,
  });

/**
 * Opening range and refresh, chosen for what they cost: every refresh re-reads the whole range. Half an hour shows
 * three 10-minute reconcile intervals at a 1-minute step; Flux is scraped every 30-60 s and the recording rules run
 * every minute, so refreshing more often than a minute re-reads the same samples for nothing new.
 */
export const defaultTimeRange = 'now-30m';
export const defaultRefresh = '1m';

/** A dashboard as data: what it is, the variables of its own and its rows of panels. */
export interface DashboardSpec {
  identity: DashboardIdentity;
  description: string;
  /** Reads Loki besides Prometheus: adds the Loki datasource variable. */
  readsLoki?: boolean;
  /** Shows one cluster at a time: its cluster variable has no All and takes one value. */
  singleCluster?: boolean;
  /** Tags the Flux event annotations must carry besides `flux` (one object's `kind: $kind`…). */
  fluxEventTags?: string[];
  /** Variables after the common ones (datasources, cluster, Flux namespace). */
  variables: cog.Builder<dashboard.VariableModel>[];
  rows: Row[];
}

/** Everything a dashboard carries besides its rows, as the classic builders hold it: what both models are made of. */
export interface DashboardParts {
  identity: DashboardIdentity;
  description: string;
  tags: string[];
  time: { from: string; to: string };
  refresh: string;
  timezone: string;
  annotations: cog.Builder<dashboard.AnnotationQuery>[];
  links: cog.Builder<dashboard.DashboardLink>[];
  /** The common variables, then the dashboard's own. */
  variables: cog.Builder<dashboard.VariableModel>[];
}

/**
 * What the Flux dashboards share around a spec: uid, tags, links to the others, annotations, time settings, and the
 * common variables before its own.
 */
export function dashboardParts(config: Config, spec: DashboardSpec): DashboardParts {
  return {
    identity: spec.identity,
    description: spec.description,
    tags: ['flux'],
    time: { from: defaultTimeRange, to: 'now' },
    refresh: defaultRefresh,
    timezone: 'browser',
    annotations: [builtInAnnotations, fluxEventAnnotations(spec.fluxEventTags)],
    links: linksToOthers(spec.identity),
    variables: [
      prometheusDatasourceVariable(config),
      ...(spec.readsLoki ? [lokiDatasourceVariable(config)] : []),
      ...clusterVariables(config, spec.singleCluster),
      fluxNamespaceVariable(config),
      ...spec.variables,
    ],
  };
}

/** The dashboard as Grafana's classic JSON model: its parts, and its rows laid out on the grid. */
export function finishDashboard(config: Config, spec: DashboardSpec): DashboardJson {
  const parts = dashboardParts(config, spec);
  const builder = new dashboard.DashboardBuilder(parts.identity.title)
    .uid(parts.identity.uid)
    .description(parts.description)
    .tags(parts.tags)
    .editable()
    // Every panel's crosshair follows the mouse: one moment across the dashboard.
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .time(parts.time)
    .refresh(parts.refresh)
    .timezone(parts.timezone)
    .annotations(parts.annotations)
    .links(parts.links)
    .variables(parts.variables);
  return toDashboardJson(layout(builder, spec.rows));
}
