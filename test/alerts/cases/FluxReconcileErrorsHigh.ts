import { operatorPod } from '../fixtures';
import { alertCases, helmPod, kustomizePod } from './context';

export default alertCases('FluxReconcileErrorsHigh', (c) => {
  const { f } = c;
  const reconciles = (pod: string, controller: string, result: string, values: string) =>
    f.controllerSeries('controller_runtime_reconcile_total', pod, { controller, result }, values);
  const errors = (pod: string, controller: string, values: string) =>
    f.controllerSeries('controller_runtime_reconcile_errors_total', pod, { controller }, values);
  // Every reconciliation, whatever its result, is one observation of the reconcile-time histogram.
  const count = (pod: string, controller: string, values: string) =>
    f.controllerSeries('controller_runtime_reconcile_time_seconds_count', pod, { controller }, values);
  return [
    {
      name: 'a third of HelmRelease reconciliations fail',
      evalTime: '40m',
      series: [
        reconciles(helmPod, 'helmrelease', 'success', '0+10x60'),
        reconciles(helmPod, 'helmrelease', 'error', '0+5x60'),
        errors(helmPod, 'helmrelease', '0+5x60'),
        count(helmPod, 'helmrelease', '0+15x60'),
      ],
      expected: [
        c.controllerAlert({ controller: 'helmrelease' }, 'warning',
          'A Flux controller returns errors for more than 10 % of its reconciliations.',
          `Controller helmrelease in namespace flux-system${c.where()}: 33.33% of reconciliations ` +
            `over ${c.config.recordingRules ? 5 : 15} minutes returned an error.`),
      ],
    },
    {
      // kustomize-controller returns failures as requeue_after: readiness alerts catch them, this one must not.
      name: 'failing Kustomizations counted as requeue_after',
      evalTime: '40m',
      series: [
        reconciles(kustomizePod, 'kustomization', 'requeue_after', '0+5x60'),
        errors(kustomizePod, 'kustomization', '0x60'),
        count(kustomizePod, 'kustomization', '0+5x60'),
      ],
      expected: [],
    },
    {
      name: "a third of the Flux Operator's ResourceSet reconciliations fail",
      evalTime: '40m',
      series: [
        reconciles(operatorPod, 'resourceset', 'success', '0+10x60'),
        errors(operatorPod, 'resourceset', '0+5x60'),
        count(operatorPod, 'resourceset', '0+15x60'),
      ],
      expected: [],
    },
    {
      name: 'one error in a quarter hour',
      evalTime: '40m',
      series: [
        reconciles(helmPod, 'helmrelease', 'success', '0+0.2x60'),
        errors(helmPod, 'helmrelease', '0+0.1x60'),
        count(helmPod, 'helmrelease', '0+0.3x60'),
      ],
      expected: [],
    },
  ];
});
