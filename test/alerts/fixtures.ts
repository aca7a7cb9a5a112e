/** Input series as Flux, kube-state-metrics, cAdvisor and Prometheus write them, for the installation's settings. */
import type { Config } from '../../config';
import type { Labels, Series } from './promtool';

export const fluxNamespace = 'flux-system';
/** The Flux Operator's pod: in Flux's namespace, container `manager`, and never a Flux controller. */
export const operatorPod = 'flux-operator-6c9f5d8b7-q7w2z';
export const clusterName = 'prod';

export interface ObjectState {
  ready: 'True' | 'False' | 'Unknown';
  suspended?: boolean;
  stalled?: boolean;
  reason?: string;
}

export interface FluxObject {
  kind: string;
  namespace: string;
  name: string;
}

const groups: Record<string, string> = {
  Kustomization: 'kustomize.toolkit.fluxcd.io',
  HelmRelease: 'helm.toolkit.fluxcd.io',
  GitRepository: 'source.toolkit.fluxcd.io',
  HelmRepository: 'source.toolkit.fluxcd.io',
};

const controllerPods: Record<string, string> = {
  Kustomization: 'kustomize-controller-5f7c9d8b6-k2x9p',
  HelmRelease: 'helm-controller-7d9f8c6b5-h4m2q',
  GitRepository: 'source-controller-6d4b9c7f5-x2x4z',
  HelmRepository: 'source-controller-6d4b9c7f5-x2x4z',
};

export class Fixtures {
  constructor(readonly config: Config, readonly cluster = clusterName) {}

  /** The labels plus the cluster label, when the installation has one. */
  inCluster(labels: Labels, cluster = this.cluster): Labels {
    return this.config.clusterLabel ? { ...labels, [this.config.clusterLabel]: cluster } : labels;
  }

  /** The object's namespace under the label the controllers' own metrics carry it in. */
  private controllerTarget(object: FluxObject): Labels {
    const pod = controllerPods[object.kind] ?? 'source-controller-6d4b9c7f5-x2x4z';
    const target = { job: 'flux-system/flux-system', pod, container: 'manager' };
    return this.config.objectNamespaceLabel === 'namespace'
      ? { ...target, namespace: object.namespace }
      : { ...target, namespace: fluxNamespace, exported_namespace: object.namespace };
  }

  /** The readiness series of one object in the flavour's metric (two kube-state-metrics replicas export it twice). */
  object(object: FluxObject, state: ObjectState, values: string, cluster = this.cluster): Series[] {
    if (this.config.flavor === 'flux-operator') {
      // The operator's own labels: `suspended` capitalised, the reason in `reason`, no Stalled condition.
      const labels = {
        __name__: 'flux_resource_info',
        uid: `${object.kind}-${object.namespace}-${object.name}`.toLowerCase(),
        kind: object.kind,
        name: object.name,
        exported_namespace: object.namespace,
        ready: state.ready,
        reason: state.reason ?? '',
        suspended: state.suspended ? 'True' : 'False',
        job: 'flux-system/flux-operator',
        namespace: fluxNamespace,
        pod: operatorPod,
        container: 'manager',
      };
      return [{ labels: this.inCluster(labels, cluster), values }];
    }
    if (this.config.flavor === 'legacy') {
      const labels = { kind: object.kind, name: object.name, ...this.controllerTarget(object) };
      const series: Series[] = [
        {
          labels: this.inCluster(
            { __name__: 'gotk_reconcile_condition', ...labels, type: 'Ready', status: state.ready },
            cluster,
          ),
          values,
        },
      ];
      if (state.suspended)
        series.push({ labels: this.inCluster({ __name__: 'gotk_suspend_status', ...labels }, cluster), values });
      return series;
    }
    return ['kube-state-metrics-0', 'kube-state-metrics-1'].map((pod) => ({
      labels: this.inCluster(
        {
          __name__: 'gotk_resource_info',
          customresource_group: groups[object.kind] ?? 'source.toolkit.fluxcd.io',
          customresource_kind: object.kind,
          customresource_version: 'v1',
          exported_namespace: object.namespace,
          name: object.name,
          ready: state.ready,
          suspended: state.suspended ? 'true' : 'false',
          ...(state.stalled === undefined ? {} : { stalled: state.stalled ? 'True' : 'False' }),
          ...(state.reason ? { ready_reason: state.reason } : {}),
          job: 'kube-state-metrics',
          namespace: 'monitoring',
          pod,
        },
        cluster,
      ),
      values,
    }));
  }

  /** A legacy series with status="Deleted" at 1: the object is gone. */
  deleted(object: FluxObject, values: string): Series {
    return {
      labels: this.inCluster({
        __name__: 'gotk_reconcile_condition',
        kind: object.kind,
        name: object.name,
        ...this.controllerTarget(object),
        type: 'Ready',
        status: 'Deleted',
      }),
      values,
    };
  }

  /** The labels an object alert carries: the flavour's object labels, the cluster and the severity. */
  objectAlertLabels(object: FluxObject, severity: string, cluster = this.cluster): Labels {
    const labels: Labels = {
      legacy: { kind: object.kind, [this.config.objectNamespaceLabel]: object.namespace, name: object.name },
      'kube-state-metrics': {
        customresource_kind: object.kind, exported_namespace: object.namespace, name: object.name,
      },
      'flux-operator': { kind: object.kind, exported_namespace: object.namespace, name: object.name },
    }[this.config.flavor];
    return this.inCluster({ ...labels, severity }, cluster);
  }

  /** The label holding the Ready reason in the flavour's metric. */
  get reasonLabel(): string {
    return this.config.flavor === 'flux-operator' ? 'reason' : 'ready_reason';
  }

  /** Reconcile-duration buckets of one object; `perMinute` maps a bucket bound to reconciliations added a minute. */
  durationBuckets(object: FluxObject, perMinute: (le: number) => number, minutes: number): Series[] {
    const bounds = [0.01, 0.0384, 0.147, 0.565, 2.17, 8.31, 31.9, 122.3, 469.2, 1800, Infinity];
    return bounds.map((le) => ({
      labels: this.inCluster({
        __name__: 'gotk_reconcile_duration_seconds_bucket',
        kind: object.kind,
        name: object.name,
        ...this.controllerTarget(object),
        le: le === Infinity ? '+Inf' : String(le),
      }),
      values: `0+${perMinute(le)}x${minutes}`,
    }));
  }

  /** A series of a Flux controller pod's own metrics or of its scrape. */
  controllerSeries(name: string, pod: string, labels: Labels, values: string): Series {
    return {
      labels: this.inCluster({
        __name__: name, job: 'flux-system/flux-system', namespace: fluxNamespace, pod, container: 'manager', ...labels,
      }),
      values,
    };
  }

  /** A kube-state-metrics series about Flux's namespace, exported by two replicas. */
  kubeStateSeries(name: string, labels: Labels, values: string): Series[] {
    return ['kube-state-metrics-0', 'kube-state-metrics-1'].map((instance) => ({
      labels: this.inCluster({
        __name__: name, job: 'kube-state-metrics', instance, namespace: fluxNamespace, ...labels,
      }),
      values,
    }));
  }
}
