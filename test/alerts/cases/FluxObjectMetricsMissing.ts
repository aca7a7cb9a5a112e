import { fluxNamespace } from '../fixtures';
import { alertCases, grafana, podinfo, sourcePod, type CaseContext } from './context';

const missing = (c: CaseContext) => ({
  labels: c.f.inCluster({ namespace: fluxNamespace, severity: 'warning' }),
  annotations: {
    summary: 'No Flux object readiness reaches Prometheus while the Flux controllers are scraped.',
    description:
      `No Flux object has a gotk_resource_info series${c.where()} while the Flux controllers in namespace ` +
      `${fluxNamespace} are scraped: ` +
      'kube-state-metrics is not scraped, or runs without the Flux CustomResourceState configuration; ' +
      'the readiness alerts and panels see nothing.',
    dashboard_url:
      `${grafana}/d/flux-cluster?${c.config.clusterLabel ? 'var-cluster=prod&' : ''}var-namespace=${fluxNamespace}`,
  },
});

/** Only the kube-state-metrics flavour reads gotk_resource_info. */
export default alertCases('FluxObjectMetricsMissing', (c) => {
  if (c.config.flavor !== 'kube-state-metrics') return [];
  const { f } = c;
  return [
    {
      name: 'controllers scraped, no gotk_resource_info for 15 minutes',
      evalTime: '16m',
      series: [f.controllerSeries('up', sourcePod, {}, '1x20')],
      expected: [missing(c)],
    },
    {
      name: 'not yet 15 minutes',
      evalTime: '14m',
      series: [f.controllerSeries('up', sourcePod, {}, '1x20')],
      expected: [],
    },
    {
      name: 'controllers scraped and an object reported',
      evalTime: '16m',
      series: [f.controllerSeries('up', sourcePod, {}, '1x20'), ...f.object(podinfo, { ready: 'True' }, '1x20')],
      expected: [],
    },
    {
      name: 'controllers down: FluxSystemDown says so, not this',
      evalTime: '16m',
      series: [f.controllerSeries('up', sourcePod, {}, '0x20')],
      expected: [],
    },
  ];
});
