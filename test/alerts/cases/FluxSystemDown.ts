import { fluxNamespace, operatorPod } from '../fixtures';
import { alertCases, grafana, helmPod, sourcePod, type CaseContext } from './context';

const summary = 'A Flux controller is not running.';

const systemDown = (c: CaseContext, deployment: string) =>
  c.controllerAlert({ deployment }, 'critical', summary,
    `Flux controller Deployment ${deployment} in namespace flux-system${c.where()} ` +
      'has no available, scraped replica: what it reconciles is not being reconciled.');

/** No target anywhere: no cluster to name, and the link's cluster variable is empty. */
const noTargetAnywhere = (c: CaseContext) => ({
  labels: { container: 'manager', severity: 'critical' },
  annotations: {
    summary,
    description:
      'No Flux controller target in namespace flux-system is scraped in any cluster: ' +
      'what it reconciles is not being reconciled.',
    dashboard_url:
      `${grafana}/d/flux-control-plane?${c.config.clusterLabel ? 'var-cluster=&' : ''}var-namespace=${fluxNamespace}`,
  },
});

export default alertCases('FluxSystemDown', (c) => {
  const { f } = c;
  return [
    {
      name: 'source-controller target down',
      evalTime: '6m',
      series: [f.controllerSeries('up', sourcePod, {}, '0x10'), f.controllerSeries('up', helmPod, {}, '1x10')],
      expected: [systemDown(c, 'source-controller')],
    },
    {
      name: 'helm-controller has no available replica',
      evalTime: '6m',
      series: [
        f.controllerSeries('up', sourcePod, {}, '1x10'),
        ...f.kubeStateSeries('kube_deployment_status_replicas_available', { deployment: 'helm-controller' }, '0x10'),
      ],
      expected: [systemDown(c, 'helm-controller')],
    },
    {
      name: 'helm-controller Deployment without a scrape target',
      evalTime: '6m',
      series: [
        f.controllerSeries('up', sourcePod, {}, '1x10'),
        ...f.kubeStateSeries('kube_deployment_spec_replicas', { deployment: 'helm-controller' }, '1x10'),
      ],
      expected: [systemDown(c, 'helm-controller')],
    },
    {
      name: 'no Flux target at all',
      evalTime: '6m',
      series: [{ labels: { __name__: 'go_goroutines', job: 'prometheus', namespace: 'monitoring' }, values: '1x10' }],
      expected: [noTargetAnywhere(c)],
    },
    {
      name: 'the Flux Operator down, every controller up',
      evalTime: '10m',
      series: [
        f.controllerSeries('up', sourcePod, {}, '1x15'),
        f.controllerSeries('up', operatorPod, {}, '0x15'),
        ...f.kubeStateSeries('kube_deployment_status_replicas_available', { deployment: 'flux-operator' }, '0x15'),
        ...f.kubeStateSeries('kube_deployment_spec_replicas', { deployment: 'flux-operator' }, '1x15'),
      ],
      expected: [],
    },
    {
      name: 'only the Flux Operator is scraped: no Flux controller target at all',
      evalTime: '6m',
      series: [f.controllerSeries('up', operatorPod, {}, '1x10')],
      expected: [noTargetAnywhere(c)],
    },
    {
      name: 'restarted within 3m',
      evalTime: '8m',
      series: [
        f.controllerSeries('up', sourcePod, {}, '0x3 1x10'),
        ...f.kubeStateSeries(
          'kube_deployment_status_replicas_available', { deployment: 'source-controller' }, '0x3 1x10',
        ),
      ],
      expected: [],
    },
  ];
});
