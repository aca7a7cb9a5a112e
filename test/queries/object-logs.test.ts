/**
 * The object dashboard's log panels over real Flux log lines as each log pipeline stores them (the evaluator of
 * test/helpers/logql.ts stands in for Loki): they show the lines about the chosen object and no other, not even an
 * object of the same name in another namespace or another cluster.
 */
import { describe, expect, it } from 'vitest';
import { resolveConfig, type Config } from '../../config';
import { finishDashboard, objectDashboard } from '../../dashboards';
import { fluxLogEntries, fluxLogLines, logPipelines } from '../../fixtures/fleet/flux-logs';
import { substitute, variableValues } from '../helpers/grafana-variables';
import { runLogql } from '../helpers/logql';
import { allTargets } from '../helpers/targets';

const fieldsOf = (line: string) => (line.startsWith('{') ? (JSON.parse(line) as Record<string, unknown>) : {});
/** The lines the controller wrote about one object: JSON `controller` its kind in lower case, `namespace`, `name`. */
const linesAbout = (kind: string, namespace: string, name: string, level?: string) =>
  fluxLogLines.filter((line) => {
    const fields = fieldsOf(line);
    const about = fields.controller === kind.toLowerCase() && fields.namespace === namespace && fields.name === name;
    return about && (level === undefined || fields.level === level);
  });

const setups = logPipelines.flatMap((preset) =>
  (['cluster', null] as const).map((clusterLabel) => ({
    name: `${preset}, cluster label ${clusterLabel ?? 'none'}`, preset, clusterLabel,
  })),
);

describe.each(setups)('the object dashboard\'s logs over $name', ({ preset, clusterLabel }) => {
  const config: Config = resolveConfig({ clusterLabel, loki: { preset } });
  const dashboard = finishDashboard(config, objectDashboard(config));
  const lokiTargets = allTargets(dashboard).filter(({ panel }) => panel.type === 'logs');
  const exprOf = (title: string) => String(lokiTargets.find(({ panel }) => panel.title === title)!.target.expr);
  // Another cluster's Flux writes the same lines: the chosen cluster's object alone may show.
  const stored = [
    ...fluxLogEntries(preset, { cluster: clusterLabel ? 'prod-eu' : undefined }),
    ...(clusterLabel ? fluxLogEntries(preset, { cluster: 'staging' }) : []),
  ];
  const lines = (title: string, object: { kind: string; namespace: string; name: string }) => {
    const values = {
      ...variableValues(dashboard), namespace: 'flux-system', ...(clusterLabel ? { cluster: 'prod-eu' } : {}),
      kind: object.kind, exported_namespace: object.namespace, name: object.name,
    };
    const result = runLogql(substitute(exprOf(title), values), stored);
    if (result.type !== 'lines') throw new Error(`${title} is a metric query`);
    return result.lines.map(({ entry }) => entry.line);
  };

  it('has the two log panels', () => {
    expect(lokiTargets.map(({ panel }) => panel.title)).toEqual(['Error logs of this object', 'Logs of this object']);
  });

  it('shows every line about the Kustomization flux-system/apps and none about apps in team-a', () => {
    const apps = { kind: 'Kustomization', namespace: 'flux-system', name: 'apps' };
    const expected = linesAbout(apps.kind, apps.namespace, apps.name);
    expect(expected.length).toBeGreaterThan(2);
    expect(lines('Logs of this object', apps)).toEqual(expected);
    // The trace line about a Kustomization of the same name in another namespace stays out.
    expect(linesAbout('Kustomization', 'team-a', 'apps')).toHaveLength(1);
    const namesake = linesAbout('Kustomization', 'team-a', 'apps');
    expect(lines('Logs of this object', apps)).not.toEqual(expect.arrayContaining(namesake));
  });

  it('shows only the error lines in the error panel, for each object with any', () => {
    const objects = [
      { kind: 'Kustomization', namespace: 'flux-system', name: 'apps' },
      { kind: 'HelmRelease', namespace: 'podinfo', name: 'podinfo' },
      { kind: 'GitRepository', namespace: 'flux-system', name: 'infra' },
      { kind: 'OCIRepository', namespace: 'apps', name: 'manifests' },
    ];
    for (const object of objects) {
      const expected = linesAbout(object.kind, object.namespace, object.name, 'error');
      expect(expected.length, `${object.kind} ${object.name}`).toBeGreaterThan(0);
      expect(lines('Error logs of this object', object), `${object.kind} ${object.name}`).toEqual(expected);
    }
  });
});
