import { operatorPod } from '../fixtures';
import type { Labels } from '../promtool';
import { alertCases, helmPod } from './context';

export default alertCases('FluxWorkQueueBackingUp', (c) => {
  const { f } = c;
  const backingUp = c.controllerAlert({ controller: 'helmrelease' }, 'warning',
    'A Flux controller has every worker busy while objects wait in its queue.',
    `Controller helmrelease in namespace flux-system${c.where()} has used all its --concurrent workers ` +
      'with items waiting for 15 minutes: reconciliations are delayed.');
  const workers = (pod: string, controller: string, busy: string, max: string) => [
    f.controllerSeries('controller_runtime_active_workers', pod, { controller }, busy),
    f.controllerSeries('controller_runtime_max_concurrent_reconciles', pod, { controller }, max),
  ];
  const queue = (pod: string, labels: Labels, values: string) =>
    f.controllerSeries('workqueue_depth', pod, labels, values);
  const helmQueue = { controller: 'helmrelease', name: 'helmrelease', priority: '0' };
  return [
    {
      name: 'all workers busy, items waiting',
      evalTime: '20m',
      series: [...workers(helmPod, 'helmrelease', '4x30', '4x30'), queue(helmPod, helmQueue, '12x30')],
      expected: [backingUp],
    },
    {
      // controller-runtime before 0.19 (Flux < 2.4) names the queue but gives it no controller label.
      name: 'all workers busy, items waiting, Flux before 2.4',
      evalTime: '20m',
      series: [...workers(helmPod, 'helmrelease', '4x30', '4x30'), queue(helmPod, { name: 'helmrelease' }, '12x30')],
      expected: [backingUp],
    },
    {
      name: 'the Flux Operator with every worker busy and items waiting',
      evalTime: '20m',
      series: [
        ...workers(operatorPod, 'fluxinstance', '1x30', '1x30'),
        queue(operatorPod, { controller: 'fluxinstance', name: 'fluxinstance', priority: '0' }, '3x30'),
      ],
      expected: [],
    },
    {
      name: 'all workers busy, queue empty',
      evalTime: '20m',
      series: [...workers(helmPod, 'helmrelease', '4x30', '4x30'), queue(helmPod, helmQueue, '0x30')],
      expected: [],
    },
  ];
});
