import { alertCases, podinfo, type Case, type CaseContext } from './context';

const failure = (c: CaseContext, object = podinfo, cluster?: string) =>
  c.objectAlert(object, 'warning', 'A Flux object has not been ready for more than 10 minutes.',
    `${c.named(object, cluster)} has been Ready=False for more than 10 minutes ` +
      '(Ready=Unknown, in progress, does not count).', cluster);

export default alertCases('FluxReconciliationFailure', (c) => {
  const { f } = c;
  const cases: Case[] = [
    {
      name: 'False for 11m, exported by two replicas',
      evalTime: '11m',
      series: f.object(podinfo, { ready: 'False' }, '1x30'),
      expected: [failure(c)],
    },
    {
      name: 'recovered before 10m',
      evalTime: '12m',
      series: [
        ...f.object(podinfo, { ready: 'False' }, '1x7 stale'),
        ...f.object(podinfo, { ready: 'True' }, '_x8 1x20'),
      ],
      expected: [],
    },
    {
      name: 'Unknown (in progress) for 30m',
      evalTime: '30m',
      series: f.object(podinfo, { ready: 'Unknown' }, '1x40'),
      expected: [],
    },
  ];
  if (c.config.clusterLabel) {
    cases.push({
      name: 'the same object failing in two clusters: one alert each',
      evalTime: '11m',
      series: [
        ...f.object(podinfo, { ready: 'False' }, '1x30'),
        ...f.object(podinfo, { ready: 'False' }, '1x30', 'staging'),
      ],
      expected: [failure(c), failure(c, podinfo, 'staging')],
    });
  }
  if (c.legacy) {
    cases.push({
      name: 'deleted object (status Deleted at 1)',
      evalTime: '20m',
      series: [...f.object(podinfo, { ready: 'False' }, '1x30'), f.deleted(podinfo, '1x30')],
      expected: [],
    });
  }
  if (c.config.flavor === 'flux-operator') {
    // flux_resource_info changes only at the operator's report (5 minutes by default): the `for` runs from the report.
    const series = [
      ...f.object(podinfo, { ready: 'True' }, '1x4 stale'),
      ...f.object(podinfo, { ready: 'False' }, '_x5 1x20'),
    ];
    const name = (at: string) => `failing from the 5m report, checked at ${at} (5-minute reports)`;
    cases.push(
      { name: name('14m'), evalTime: '14m', series, expected: [] },
      { name: name('16m'), evalTime: '16m', series, expected: [failure(c)] },
    );
  }
  return cases;
});
