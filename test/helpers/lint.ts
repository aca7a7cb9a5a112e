/**
 * Dashboard lint rules in the spirit of grafana/dashboard-linter, each a function from a dashboard (and the
 * configuration it was built for) to its problems, so tests can show both that ours pass and that a broken copy fails.
 */
import type { Config } from '../../config';
import { allPanels } from './targets';

type Json = Record<string, unknown>;
interface Panel extends Json {
  id?: unknown;
  type?: unknown;
  title?: unknown;
  description?: unknown;
  gridPos?: { x: number; y: number; w: number; h: number };
  targets?: Json[];
  panels?: Json[];
  collapsed?: unknown;
  fieldConfig?: { defaults?: { unit?: unknown } };
  options?: { legend?: { showLegend?: unknown; displayMode?: unknown } };
}
interface Variable extends Json {
  name: string;
  type: string;
  label?: unknown;
  hide?: unknown;
  query?: unknown;
  refresh?: unknown;
  multi?: unknown;
  includeAll?: unknown;
  allValue?: unknown;
  current?: { value?: unknown };
}

export const expectedIdentities = {
  'flux-control-plane': 'Flux Control Plane',
  'flux-cluster': 'Flux Cluster Stats',
  'flux-logs': 'Flux Logs',
  'flux-object': 'Flux Object',
} as const;

/** The uid a panel or query of each datasource type must name: the dashboard's datasource variable of that type. */
const variableDatasourceUids: Record<string, string> = { prometheus: '${datasource}', loki: '${loki_datasource}' };
/**
 * Grafana's built-in annotation datasource: the one fixed uid every Grafana has (the single written-down exception).
 */
const grafanaBuiltInDatasource = { type: 'grafana', uid: '-- Grafana --' };
/** Grafana's built-in datasources a panel may name: another panel's results, server-side expressions. */
const panelBuiltInDatasources = [
  { type: 'datasource', uid: '-- Dashboard --' },
  { type: '__expr__', uid: '__expr__' },
];

const panelsOf = (dashboard: Json) => allPanels(dashboard) as Panel[];
const variablesOf = (dashboard: Json) => (dashboard.templating as { list?: Variable[] } | undefined)?.list ?? [];
const variable = (dashboard: Json, name: string) => variablesOf(dashboard).find((v) => v.name === name);
const named = (panel: Panel) => `panel ${String(panel.id)} "${String(panel.title ?? '')}"`;

export type LintRule = (dashboard: Json, config: Config) => string[];

export const lintRules = {
  panelTitleAndDescription: (dashboard) =>
    panelsOf(dashboard).flatMap((panel) => [
      ...(typeof panel.title === 'string' && panel.title.trim() ? [] : [`${named(panel)} has no title`]),
      ...(panel.type === 'row' || (typeof panel.description === 'string' && panel.description.trim())
        ? []
        : [`${named(panel)} has no description`]),
    ]),

  panelUnits: (dashboard) =>
    panelsOf(dashboard)
      .filter((panel) => ['stat', 'timeseries', 'gauge', 'bargauge'].includes(String(panel.type)))
      .filter((panel) => typeof panel.fieldConfig?.defaults?.unit !== 'string' || !panel.fieldConfig.defaults.unit)
      .map((panel) => `${named(panel)} has no unit`),

  panelIds: (dashboard) => {
    const ids = panelsOf(dashboard).map((panel) => panel.id);
    const problems = ids
      .filter((id) => typeof id !== 'number' || !Number.isInteger(id) || id <= 0)
      .map((id) => `panel id ${String(id)} is not a positive integer`);
    const duplicates = ids.filter((id, index) => ids.indexOf(id) !== index);
    return [...problems, ...duplicates.map((id) => `panel id ${String(id)} is used twice`)];
  },

  refIds: (dashboard) =>
    panelsOf(dashboard).flatMap((panel) => {
      const refIds = (panel.targets ?? []).map((target) => target.refId);
      const expected = refIds.map((_, index) => String.fromCharCode(65 + index));
      return refIds.every((refId, index) => refId === expected[index])
        ? []
        : [`${named(panel)} refIds ${JSON.stringify(refIds)} are not ${expected.join(', ')}`];
    }),

  /**
   * The grid as Grafana lays it out: the top-level panels (open rows' panels and row headers) must fit and not
   * overlap; a collapsed row's panels take no space until it is opened, then sit from the line below its header and
   * must fit and not overlap each other. Only collapsed rows may hold panels (Grafana drops those of an open row).
   */
  gridPositions: (dashboard) => {
    const problems: string[] = [];
    const checkGrid = (panels: Panel[]) => {
      const placed = panels.filter((panel) => panel.gridPos);
      problems.push(...panels.filter((panel) => !panel.gridPos).map((panel) => `${named(panel)} has no gridPos`));
      for (const panel of placed) {
        const { x, y, w, h } = panel.gridPos!;
        if (x < 0 || y < 0 || w <= 0 || h <= 0 || x + w > 24)
          problems.push(`${named(panel)} at ${JSON.stringify(panel.gridPos)} is outside the 24-column grid`);
      }
      placed.forEach((a, i) =>
        placed.slice(i + 1).forEach((b) => {
          const [p, q] = [a.gridPos!, b.gridPos!];
          if (p.x < q.x + q.w && q.x < p.x + p.w && p.y < q.y + q.h && q.y < p.y + p.h)
            problems.push(`${named(a)} overlaps ${named(b)}`);
        }),
      );
    };
    const topLevel = dashboard.panels as Panel[];
    checkGrid(topLevel);
    for (const row of topLevel.filter((panel) => panel.type === 'row')) {
      const nested = (row.panels ?? []) as Panel[];
      if (nested.length === 0) continue;
      if (row.collapsed !== true) problems.push(`${named(row)} is open but holds panels, which Grafana drops`);
      checkGrid(nested);
      const top = Math.min(...nested.map((panel) => panel.gridPos?.y ?? Infinity));
      if (row.gridPos && top !== row.gridPos.y + row.gridPos.h)
        problems.push(
          `${named(row)} opens its panels at line ${top}, not just below its header (${row.gridPos.y + row.gridPos.h})`,
        );
    }
    return problems;
  },

  datasourceReferences: (dashboard) => {
    const problems: string[] = [];
    const visit = (value: unknown, path: string, inAnnotations: boolean) => {
      if (Array.isArray(value)) return value.forEach((item, index) => visit(item, `${path}[${index}]`, inAnnotations));
      if (!value || typeof value !== 'object') return;
      for (const [key, child] of Object.entries(value as Json)) {
        const at = `${path}.${key}`;
        if (key === 'datasource' && child !== null) {
          if (typeof child === 'string')
            problems.push(`${at} is the string ${child}: use a {type, uid} reference to a datasource variable`);
          else if (typeof child === 'object') {
            const { type, uid } = child as { type?: unknown; uid?: unknown };
            const builtIn =
              (inAnnotations && type === grafanaBuiltInDatasource.type && uid === grafanaBuiltInDatasource.uid) ||
              (!inAnnotations && panelBuiltInDatasources.some((ref) => ref.type === type && ref.uid === uid));
            if (!builtIn && variableDatasourceUids[String(type)] !== uid)
              problems.push(`${at} is ${String(type)} uid ${String(uid)}, not its type's datasource variable`);
          }
        }
        visit(child, at, inAnnotations || key === 'annotations');
      }
    };
    visit(dashboard, '', false);
    return problems;
  },

  queryVariablesRefreshOnTimeRange: (dashboard) =>
    variablesOf(dashboard)
      .filter((v) => v.type === 'query' && v.refresh !== 2)
      .map((v) => `variable ${v.name} has refresh ${String(v.refresh)}, not 2 (on time range change)`),

  datasourceVariables: (dashboard) => {
    const problems: string[] = [];
    const check = (name: string, type: string, label: string) => {
      const found = variable(dashboard, name);
      if (!found) return problems.push(`no ${name} variable`);
      if (found.type !== 'datasource' || found.query !== type)
        problems.push(`${name} is not a ${type} datasource variable`);
      if (found.label !== label) problems.push(`${name} is labelled ${String(found.label)}, not "${label}"`);
      if (found.hide !== 0 && found.hide !== undefined) problems.push(`${name} is hidden`);
      return problems.length;
    };
    check('datasource', 'prometheus', 'Data source');
    if (dashboard.uid === 'flux-logs') check('loki_datasource', 'loki', 'Loki data source');
    return problems;
  },

  clusterVariable: (dashboard, config) => {
    const cluster = variable(dashboard, 'cluster');
    if (!config.clusterLabel) return cluster ? ['a cluster variable without a cluster label'] : [];
    if (!cluster) return ['no cluster variable although the configuration has a cluster label'];
    // The object dashboard shows one object, so one cluster: a same-named object in another must not join it.
    if (dashboard.uid === 'flux-object') {
      return cluster.multi === true || cluster.includeAll === true
        ? ['the object dashboard offers several clusters']
        : [];
    }
    return cluster.includeAll === true && cluster.multi === true && cluster.allValue === '.*'
      ? []
      : ['the cluster variable is not multi-value with All as .*'];
  },

  namespaceVariable: (dashboard, config) => {
    const namespace = variable(dashboard, 'namespace');
    if (!namespace) return ['no namespace variable'];
    return namespace.current?.value === config.namespace
      ? []
      : [`namespace defaults to ${JSON.stringify(namespace.current?.value)}, not ${config.namespace}`];
  },

  clusterDashboardSelections: (dashboard) => {
    if (dashboard.uid !== 'flux-cluster') return [];
    return ['exported_namespace', 'kind'].flatMap((name) => {
      const found = variable(dashboard, name);
      return found?.multi === true && found.includeAll === true && found.allValue === '.*'
        ? []
        : [`${name} is not a multi-value variable with All as .*`];
    });
  },

  identity: (dashboard) => {
    const problems: string[] = [];
    const uid = String(dashboard.uid);
    if (!(uid in expectedIdentities)) problems.push(`unexpected uid ${uid}`);
    else if (dashboard.title !== expectedIdentities[uid as keyof typeof expectedIdentities])
      problems.push(`${uid} is titled ${String(dashboard.title)}`);
    if (JSON.stringify(dashboard.tags) !== JSON.stringify(['flux']))
      problems.push(`tags are ${JSON.stringify(dashboard.tags)}, not ["flux"]`);
    return problems;
  },

  linksToTheOthers: (dashboard) => {
    const links = (dashboard.links ?? []) as Array<{
      url?: string;
      keepTime?: boolean;
      includeVars?: boolean;
      title?: string;
    }>;
    const others = Object.keys(expectedIdentities).filter((uid) => uid !== dashboard.uid);
    return others.flatMap((uid) => {
      const link = links.find((l) => l.url === `/d/${uid}`);
      if (!link) return [`no link to ${uid}`];
      return link.keepTime === true && link.includeVars === true
        ? []
        : [`the link to ${uid} does not keep time and variables`];
    });
  },

  annotations: (dashboard) => {
    const list = ((dashboard.annotations as { list?: Json[] } | undefined)?.list ?? []) as Array<
      Json & { target?: { type?: unknown; tags?: unknown } }
    >;
    const problems: string[] = [];
    if (!list.some((a) => a.builtIn === 1 && (a.datasource as { type?: unknown } | undefined)?.type === 'grafana'))
      problems.push('no built-in "Annotations & Alerts"');
    if (!list.some((a) => a.target?.type === 'tags' && Array.isArray(a.target.tags) && a.target.tags.includes('flux')))
      problems.push('no Grafana annotation query on the tag flux');
    return problems;
  },

  timeseriesLegends: (dashboard) =>
    panelsOf(dashboard)
      .filter((panel) => panel.type === 'timeseries')
      .filter((panel) => panel.options?.legend?.showLegend !== true || panel.options.legend.displayMode === 'hidden')
      .map((panel) => `${named(panel)} hides its legend`),
} satisfies Record<string, LintRule>;

export type LintRuleName = keyof typeof lintRules;

export function lint(dashboard: Json, config: Config): Record<LintRuleName, string[]> {
  return Object.fromEntries(
    Object.entries(lintRules).map(([name, rule]) => [name, (rule as LintRule)(dashboard, config)]),
  ) as Record<LintRuleName, string[]>;
}
