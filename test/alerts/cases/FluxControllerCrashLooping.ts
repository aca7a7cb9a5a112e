import { operatorPod } from '../fixtures';
import { alertCases, sourcePod, type CaseContext } from './context';

const crashLooping = (c: CaseContext) =>
  c.controllerAlert({ pod: sourcePod, deployment: 'source-controller' }, 'warning',
    'A Flux controller keeps restarting.',
    `Pod ${sourcePod} of Flux controller source-controller in namespace flux-system${c.where()} ` +
      'is in CrashLoopBackOff or restarted more than twice in 30 minutes.');

export default alertCases('FluxControllerCrashLooping', (c) => {
  const { f } = c;
  const waiting = (pod: string) => f.kubeStateSeries('kube_pod_container_status_waiting_reason',
    { pod, container: 'manager', reason: 'CrashLoopBackOff' }, '1x15');
  const restarts = (values: string) =>
    f.kubeStateSeries('kube_pod_container_status_restarts_total', { pod: sourcePod, container: 'manager' }, values);
  return [
    { name: 'CrashLoopBackOff for 10m', evalTime: '10m', series: waiting(sourcePod), expected: [crashLooping(c)] },
    { name: 'restarted every 5 minutes', evalTime: '30m', series: restarts('0+0.2x40'), expected: [crashLooping(c)] },
    { name: 'the Flux Operator in CrashLoopBackOff', evalTime: '10m', series: waiting(operatorPod), expected: [] },
    { name: 'one restart in 30m', evalTime: '30m', series: restarts('0x10 1x30'), expected: [] },
  ];
});
