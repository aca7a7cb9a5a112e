import type { FluxObject } from '../fixtures';
import { alertCases, podinfo, release, repository, type Case, type CaseContext } from './context';

/** What each Ready reason means, as the controllers set it (docs/flux-facts.md). */
const artifactFailed =
  'its source is missing or has no artifact, or the artifact could not be fetched, verified or lacks the path';
const sourceNotReady = 'its source exists but is not ready';

const sourceAlert = (c: CaseContext, object: FluxObject, reason: string, meaning: string) => ({
  labels: { ...c.f.objectAlertLabels(object, 'warning'), [c.f.reasonLabel]: reason },
  annotations: {
    summary: "A Flux Kustomization or HelmRelease cannot use its source's artifact.",
    description: `${c.named(object)} is Ready=False with reason ${reason}: ${meaning}; its Ready message says which.`,
    dashboard_url: c.objectUrl(object),
  },
});

/** The legacy metrics carry no Ready reason: no rule there. */
export default alertCases('FluxSourceArtifactFailed', (c) => {
  if (c.legacy) return [];
  const { f } = c;
  const failing = (object: FluxObject, reason: string) => f.object(object, { ready: 'False', reason }, '1x10');
  const cases: Case[] = [
    {
      name: 'Kustomization whose GitRepository is missing (ArtifactFailed)',
      evalTime: '6m',
      series: failing(podinfo, 'ArtifactFailed'),
      expected: [sourceAlert(c, podinfo, 'ArtifactFailed', artifactFailed)],
    },
    {
      name: 'HelmRelease whose chart could not be fetched (ArtifactFailed)',
      evalTime: '6m',
      series: failing(release, 'ArtifactFailed'),
      expected: [sourceAlert(c, release, 'ArtifactFailed', artifactFailed)],
    },
    {
      name: 'HelmRelease whose HelmChart is not ready (SourceNotReady)',
      evalTime: '6m',
      series: failing(release, 'SourceNotReady'),
      expected: [sourceAlert(c, release, 'SourceNotReady', sourceNotReady)],
    },
    ...([
      ['Kustomization failing its health checks', podinfo, 'HealthCheckFailed'],
      ['GitRepository failing to fetch', repository, 'GitOperationFailed'],
      ['Kustomization waiting for its dependency', podinfo, 'DependencyNotReady'],
    ] as const).map(([name, object, reason]) => ({
      name, evalTime: '8m', series: failing(object, reason), expected: [],
    })),
  ];
  if (c.config.flavor === 'flux-operator') {
    // flux_resource_info changes only at the operator's report (5 minutes by default) and is exported in between:
    // each state is a run of samples starting at a report; a state seen in one report only must not fire a 5m rule.
    cases.push(
      {
        name: 'ArtifactFailed in one report only (5-minute reports)',
        evalTime: '12m',
        series: [
          ...f.object(podinfo, { ready: 'True', reason: 'ReconciliationSucceeded' }, '1x4 stale _x4 1x10'),
          ...f.object(podinfo, { ready: 'False', reason: 'ArtifactFailed' }, '_x5 1x4 stale'),
        ],
        expected: [],
      },
      {
        name: 'ArtifactFailed in two reports running (5-minute reports)',
        evalTime: '11m',
        series: [
          ...f.object(podinfo, { ready: 'True', reason: 'ReconciliationSucceeded' }, '1x4 stale'),
          ...f.object(podinfo, { ready: 'False', reason: 'ArtifactFailed' }, '_x5 1x15'),
        ],
        expected: [sourceAlert(c, podinfo, 'ArtifactFailed', artifactFailed)],
      },
    );
  }
  return cases;
});
