/**
 * What every alert's promtool cases share: the setup's fixtures, the objects and pods they name, and the labels and
 * annotations an alert is expected to carry, written out here independently of the rules' code.
 */
import type { Config } from '../../../config';
import { clusterName, Fixtures, fluxNamespace, type FluxObject } from '../fixtures';
import type { AlertCase, ExpectedAlert, Labels } from '../promtool';

/** Links into a Grafana and a runbook wiki of the tests' own. */
export const grafana = 'https://grafana.example.com';
export const runbooks = 'https://git.example.com/flux/runbooks';

export const podinfo: FluxObject = { kind: 'Kustomization', namespace: 'apps', name: 'podinfo' };
export const release: FluxObject = { kind: 'HelmRelease', namespace: 'apps', name: 'podinfo' };
export const repository: FluxObject = { kind: 'GitRepository', namespace: 'flux-system', name: 'flux-system' };
export const helmRepository: FluxObject = { kind: 'HelmRepository', namespace: 'flux-system', name: 'podinfo' };
export const sourcePod = 'source-controller-6d4b9c7f5-x2x4z';
export const helmPod = 'helm-controller-7d9f8c6b5-h4m2q';
export const kustomizePod = 'kustomize-controller-5f7c9d8b6-k2x9p';

export class CaseContext {
  readonly f: Fixtures;
  constructor(readonly config: Config) {
    this.f = new Fixtures(config);
  }

  get legacy(): boolean {
    return this.config.flavor === 'legacy';
  }

  /** ` in cluster prod`, when there is a cluster label. */
  where(cluster = clusterName): string {
    return this.config.clusterLabel ? ` in cluster ${cluster}` : '';
  }

  private clusterVar(cluster = clusterName): string {
    return this.config.clusterLabel ? `var-cluster=${cluster}&` : '';
  }

  objectUrl(object: FluxObject, cluster = clusterName): string {
    return (
      `${grafana}/d/flux-object?${this.clusterVar(cluster)}var-namespace=${fluxNamespace}` +
      `&var-kind=${object.kind}&var-exported_namespace=${object.namespace}&var-name=${object.name}`
    );
  }

  get controlPlaneUrl(): string {
    return `${grafana}/d/flux-control-plane?${this.clusterVar()}var-namespace=${fluxNamespace}`;
  }

  /** `Kustomization apps/podinfo in cluster prod`. */
  named(object: FluxObject, cluster = clusterName): string {
    return `${object.kind} ${object.namespace}/${object.name}${this.where(cluster)}`;
  }

  objectAlert(object: FluxObject, severity: string, summary: string, description: string, cluster = clusterName) {
    return {
      labels: this.f.objectAlertLabels(object, severity, cluster),
      annotations: { summary, description, dashboard_url: this.objectUrl(object, cluster) },
    };
  }

  controllerAlert(labels: Labels, severity: string, summary: string, description: string): ExpectedAlert {
    return {
      labels: this.f.inCluster({ ...labels, severity }),
      annotations: { summary, description, dashboard_url: this.controlPlaneUrl },
    };
  }
}

/** A case without its alert's name, which the file it sits in gives. */
export type Case = Omit<AlertCase, 'alert'>;

/** One alert's cases: none where the setup has no such rule (the runner checks the rule is then absent too). */
export interface AlertCases {
  alert: string;
  /** Rules evaluated this often: a day-long `for` is sampled every 10 minutes, for the same verdicts. */
  interval?: string;
  cases: (c: CaseContext) => Case[];
}

export const alertCases = (alert: string, cases: AlertCases['cases'], interval?: string): AlertCases =>
  interval ? { alert, cases, interval } : { alert, cases };
