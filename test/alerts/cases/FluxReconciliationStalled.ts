import { alertCases, release } from './context';

/** Only kube-state-metrics tells stalled objects: the legacy and Flux Operator metrics have no Stalled condition. */
export default alertCases('FluxReconciliationStalled', (c) => {
  if (c.config.flavor !== 'kube-state-metrics') return [];
  const { f } = c;
  const stalled = c.objectAlert(release, 'warning',
    'A Flux object is stalled: its controller will not retry until the object or its source changes.',
    `${c.named(release)} has been Stalled=True for more than 10 minutes; fix its spec or source, then reconcile it.`);
  return [
    {
      name: 'stalled for 12m',
      evalTime: '12m',
      series: f.object(release, { ready: 'False', stalled: true }, '1x30'),
      expected: [stalled],
    },
    {
      name: 'stalled for 5m, then retried',
      evalTime: '15m',
      series: [
        ...f.object(release, { ready: 'False', stalled: true }, '1x5 stale'),
        ...f.object(release, { ready: 'Unknown', stalled: false }, '_x6 1x20'),
      ],
      expected: [],
    },
  ];
});
