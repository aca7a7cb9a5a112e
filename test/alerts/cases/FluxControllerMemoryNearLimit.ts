import { alertCases, helmPod } from './context';

export default alertCases('FluxControllerMemoryNearLimit', (c) => {
  const { f } = c;
  const limit = f.kubeStateSeries('kube_pod_container_resource_limits',
    { pod: helmPod, container: 'manager', resource: 'memory', unit: 'byte' }, `${2 ** 30}x30`);
  return [
    {
      // 950 MiB of 1 GiB = 92.77 %; the limit comes from two kube-state-metrics replicas and must not be summed.
      name: 'working set at 92.77 % of the limit',
      evalTime: '20m',
      series: [
        f.controllerSeries('container_memory_working_set_bytes', helmPod,
          { job: 'kubelet', metrics_path: '/metrics/cadvisor' }, `${950 * 2 ** 20}x30`),
        ...limit,
      ],
      expected: [
        c.controllerAlert({ pod: helmPod, deployment: 'helm-controller' }, 'warning',
          'A Flux controller uses more than 90 % of its memory limit.',
          `Pod ${helmPod} of Flux controller helm-controller in namespace flux-system${c.where()} ` +
            'uses 92.77% of its memory limit: it will be OOM-killed next.'),
      ],
    },
    {
      name: 'working set at half the limit',
      evalTime: '20m',
      series: [
        f.controllerSeries('container_memory_working_set_bytes', helmPod, { job: 'kubelet' }, `${512 * 2 ** 20}x30`),
        ...limit,
      ],
      expected: [],
    },
  ];
});
