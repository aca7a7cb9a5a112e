import { alertCases, release } from './context';

export default alertCases('FluxHighReconciliationTime', (c) => [
  {
    // Every reconciliation takes 40 s: all in the 31.9–122.3 s bucket, so p95 interpolates to 31.9 + 0.95 × 90.4 s.
    name: 'every reconciliation takes 40 s',
    evalTime: '50m',
    series: c.f.durationBuckets(release, (le) => (le >= 122.3 ? 1 : 0), 60),
    expected: [
      {
        labels: c.f.inCluster({
          kind: 'HelmRelease', [c.config.objectNamespaceLabel]: 'apps', name: 'podinfo', severity: 'warning',
        }),
        annotations: {
          summary: 'Reconciling a Flux object takes more than a minute at the 95th percentile.',
          description:
            `${c.named(release)}: p95 reconciliation time over 30 minutes is 1m 57s. ` +
            '60 s lies between the 31.9 s and 122.3 s buckets, so the estimate is interpolated: with every slow ' +
            'reconciliation in that bucket it fires once more than 7.3 % of them took over 31.9 s.',
          dashboard_url: c.objectUrl(release),
        },
      },
    ],
  },
  {
    name: '4 % of reconciliations take 40 s',
    evalTime: '50m',
    series: c.f.durationBuckets(release, (le) => (le >= 122.3 ? 25 : le >= 2.17 ? 24 : 0), 60),
    expected: [],
  },
]);
