/**
 * The object dashboard's Events panel over Kubernetes events as each pipeline stores them in Loki (the evaluator of
 * test/helpers/logql.ts stands in for Loki, the lezer LogQL parser checks the query): it shows the chosen object's
 * events, reason, type, count, reporter and message, and no other object's, not even one of the same name in
 * another namespace, of another kind or in another cluster.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, resolveConfig, type Config, type EventPipeline } from '../../config';
import { finishDashboard, objectDashboard } from '../../dashboards';
import { eventPipelines } from '../../model/events';
import {
  eventEntries, eventExporterStreamLabels, kubernetesEvents, type KubernetesEvent,
} from '../../fixtures/fleet/kubernetes-events';
import { substitute, variableValues } from '../helpers/grafana-variables';
import { checkLogql, renderTemplate, runLogql } from '../helpers/logql';
import { allTargets } from '../helpers/targets';

type Pipeline = Exclude<EventPipeline, 'none'>;
const pipelines = Object.keys(eventPipelines) as Pipeline[];

const setups = pipelines.flatMap((pipeline) =>
  (eventPipelines[pipeline].lineFormatChosen ? (['logfmt', 'json'] as const) : (['json'] as const)).flatMap(
    (lineFormat) =>
      (['cluster', null] as const).map((clusterLabel) => ({
        name: `${pipeline}, ${lineFormat} lines, cluster label ${clusterLabel ?? 'none'}`,
        pipeline, lineFormat, clusterLabel,
      })),
  ),
);

const eventsTitle = 'Kubernetes events of this object';

describe.each(setups)('the object dashboard\'s events over $name', ({ pipeline, lineFormat, clusterLabel }) => {
  const streamLabels = eventPipelines[pipeline].streamLabelsRequired ? { ...eventExporterStreamLabels } : undefined;
  const config: Config = resolveConfig({
    clusterLabel, events: { pipeline, lineFormat, ...(streamLabels ? { streamLabels } : {}) },
  });
  const dashboard = finishDashboard(config, objectDashboard(config));
  const target = allTargets(dashboard).find(({ panel }) => panel.title === eventsTitle);
  const expr = String(target?.target.expr);
  const stored = eventEntries(pipeline, lineFormat, clusterLabel);
  const shown = (object: { kind: string; namespace: string; name: string }, cluster = 'prod-eu') => {
    const values = {
      ...variableValues(dashboard), namespace: 'flux-system', ...(clusterLabel ? { cluster } : {}),
      kind: object.kind, exported_namespace: object.namespace, name: object.name,
    };
    const result = runLogql(substitute(expr, values), stored);
    if (result.type !== 'lines') throw new Error('the events panel is a metric query');
    return result.lines;
  };
  const about = (kind: string, namespace: string, name: string, cluster = 'prod-eu') =>
    kubernetesEvents.filter((event) =>
      event.kind === kind && event.namespace === namespace && event.name === name &&
      (clusterLabel === null || event.cluster === cluster));
  const printed = (event: KubernetesEvent) =>
    renderTemplate(
      '{{ .type }} {{ .reason }}{{ if .count }} x{{ .count }}{{ end }} ({{ .by }}): {{ .message }}',
      {
        type: event.type, reason: event.reason, count: event.count ? String(event.count) : '',
        by: event.sourceComponent || event.reportingController, message: event.message,
      },
    );

  it('is a Loki logs panel whose query parses and reads only labels the pipeline writes', () => {
    expect(target?.panel.type).toBe('logs');
    const facts = eventPipelines[pipeline];
    const report = checkLogql(expr, {
      clusterLabel,
      streamLabels: [...Object.keys(streamLabels ?? facts.fixedLabels), ...(facts.namespaceLabel ? ['namespace'] : [])],
      structuredMetadata: facts.nameMetadata ? [facts.nameMetadata] : [],
    });
    expect(report.problems).toEqual([]);
  });

  it('shows every event about the Kustomization flux-system/apps, printed with its reason, type, count and reporter',
    () => {
      const expected = about('Kustomization', 'flux-system', 'apps');
      // Both reporters: source.component (core/v1) and reportingController (events.k8s.io/v1).
      expect(expected.some((event) => event.sourceComponent && !event.reportingController)).toBe(true);
      expect(expected.some((event) => event.reportingController && !event.sourceComponent)).toBe(true);
      const lines = shown({ kind: 'Kustomization', namespace: 'flux-system', name: 'apps' });
      expect(lines.map(({ entry }) => entry.line)).toEqual(
        stored.filter(({ event }) => expected.includes(event)).map(({ line }) => line),
      );
      expect(lines.map(({ line }) => line)).toEqual(expected.map(printed));
      expect(lines.map(({ line }) => line)).toEqual(expect.arrayContaining([
        expect.stringMatching(/^Warning BuildFailed x3 \(kustomize-controller\): kustomize build failed: /),
        'Normal ReconciliationSucceeded (kustomize-controller): Reconciliation finished in 980ms, next run in 10m0s',
      ]));
    });

  it('leaves out a namesake in another namespace, of another kind and in another cluster', () => {
    const namesakes = [
      { kind: 'Kustomization', namespace: 'team-a', name: 'apps' },
      { kind: 'HelmRelease', namespace: 'flux-system', name: 'apps' },
    ];
    for (const object of namesakes) {
      const expected = about(object.kind, object.namespace, object.name);
      expect(expected, `${object.kind} ${object.namespace}/${object.name}`).toHaveLength(1);
      expect(shown(object).map(({ line }) => line)).toEqual(expected.map(printed));
    }
    if (clusterLabel) {
      const staging = shown({ kind: 'Kustomization', namespace: 'flux-system', name: 'apps' }, 'staging');
      expect(staging.map(({ line }) => line)).toEqual(about('Kustomization', 'flux-system', 'apps', 'staging')
        .map(printed));
      expect(staging).toHaveLength(1);
    }
  });
});

describe('the event pipeline option', () => {
  it('leaves the Events panel out with none and says why in the description', () => {
    const config = resolveConfig({});
    expect(config.events.pipeline).toBe('none');
    const dashboard = finishDashboard(config, objectDashboard(config));
    expect(allTargets(dashboard).some(({ panel }) => panel.title === eventsTitle)).toBe(false);
    expect(String(dashboard.description)).toContain('events.pipeline');
  });

  it('refuses an unknown pipeline in one line naming the allowed ones', () => {
    expect(() => resolveConfig({ events: { pipeline: 'promtail' as Pipeline } })).toThrow(ConfigError);
    expect(() => resolveConfig({ events: { pipeline: 'promtail' as Pipeline } })).toThrow(
      /^events\.pipeline is "promtail"; allowed: .*"alloy".*"kubernetes-event-exporter".*"none"$/,
    );
  });

  it('asks for the streamLabels kubernetes-event-exporter was given', () => {
    expect(() => resolveConfig({ events: { pipeline: 'kubernetes-event-exporter' } })).toThrow(
      /^events\.pipeline "kubernetes-event-exporter" needs events\.streamLabels: /,
    );
  });

  it('refuses a stream label that is no Loki label name', () => {
    expect(() => resolveConfig({ events: { pipeline: 'alloy', streamLabels: { 'app.kubernetes.io/name': 'x' } } }))
      .toThrow(/^events\.streamLabels has the key "app\.kubernetes\.io\/name", which is no Loki label name: /);
  });

  it('selects by the stream labels the installation gave instead of the pipeline\'s', () => {
    const config = resolveConfig({ events: { pipeline: 'alloy', streamLabels: { job: 'integrations/events' } } });
    const dashboard = finishDashboard(config, objectDashboard(config));
    const expr = String(allTargets(dashboard).find(({ panel }) => panel.title === eventsTitle)!.target.expr);
    expect(expr).toMatch(/^\{job="integrations\/events", namespace="\$exported_namespace"/);
  });
});
