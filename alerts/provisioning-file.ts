/**
 * Grafana's alerting provisioning file (`apiVersion: 1`, `groups`), the one shape the build writes and `deploy`
 * reads back: rule groups with their folder, org and interval, each rule without folder, group or org of its own.
 */
import type * as alerting from '@grafana/grafana-foundation-sdk/alerting';
import { alertProvisioningApiVersion, defaultOrgId } from '../model';

/** A rule as the provisioning file (and grafana-operator) holds it. */
export type FileRule = Pick<
  alerting.Rule,
  'title' | 'condition' | 'data' | 'noDataState' | 'execErrState' | 'for' | 'annotations' | 'labels' | 'isPaused'
> & { uid: string };

export interface FileRuleGroup {
  orgId: number;
  name: string;
  folder: string;
  interval: string;
  rules: FileRule[];
}

export interface ProvisioningFile {
  apiVersion: typeof alertProvisioningApiVersion;
  groups: FileRuleGroup[];
}

/** The rule groups Grafana-managed alerting makes, with the folder they go in. */
export interface GrafanaRuleGroups {
  /** Title of the Grafana folder the groups go in. */
  folder: string;
  /** uid given to that folder where the output creates it (grafana-operator); `deploy` uses the folder it finds. */
  folderUid: string;
  groups: alerting.RuleGroup[];
}

/** Seconds of a Prometheus duration (Grafana answers `for: 24h` as `1d` and `0m` as `0s`); undefined if not one. */
export function durationSeconds(text: string | undefined): number | undefined {
  const units: Record<string, number> = { y: 31_536_000, w: 604_800, d: 86_400, h: 3600, m: 60, s: 1, ms: 0.001 };
  const parts = [...(text ?? '').matchAll(/(\d+)(ms|y|w|d|h|m|s)/g)];
  if (!text || parts.map((part) => part[0]).join('') !== text) return undefined;
  return parts.reduce((sum, [, count, unit]) => sum + Number(count) * units[unit!]!, 0);
}

/** A group's interval as the file writes it: `1m`, or `30s` for what is not whole minutes. */
export const intervalText = (seconds: number) => (seconds % 60 === 0 ? `${seconds / 60}m` : `${seconds}s`);

/** A rule without folder, group or org, keys in a fixed order. */
export function fileRule(rule: alerting.Rule): FileRule {
  return {
    uid: rule.uid!,
    title: rule.title,
    condition: rule.condition,
    data: rule.data,
    noDataState: rule.noDataState,
    execErrState: rule.execErrState,
    for: rule.for,
    annotations: rule.annotations ?? {},
    labels: rule.labels ?? {},
    isPaused: rule.isPaused ?? false,
  };
}

export function provisioningFile(rules: GrafanaRuleGroups, intervalSeconds: number): ProvisioningFile {
  return {
    apiVersion: alertProvisioningApiVersion,
    groups: rules.groups.map((group) => ({
      orgId: defaultOrgId,
      name: group.title!,
      folder: rules.folder,
      interval: intervalText(group.interval ?? intervalSeconds),
      rules: (group.rules ?? []).map(fileRule),
    })),
  };
}

export class AlertFileError extends Error {}

/** Checks a parsed provisioning file and returns its groups; `path` names it in the one-line error. */
export function provisioningGroups(
  document: unknown, path: string, buildCommand = 'npx flux-dashboards build',
): FileRuleGroup[] {
  const file = document as { apiVersion?: unknown; groups?: unknown };
  if (!file || file.apiVersion !== alertProvisioningApiVersion || !Array.isArray(file.groups) || !file.groups.length) {
    throw new AlertFileError(
      `${path} is not a Grafana alerting provisioning file (apiVersion: ${alertProvisioningApiVersion} with groups): ` +
        `rebuild it with \`${buildCommand}\``,
    );
  }
  return file.groups.map((group: FileRuleGroup, index: number) => {
    const where = `${path}: groups[${index}]`;
    if (typeof group?.name !== 'string' || typeof group.folder !== 'string' || !Array.isArray(group.rules)) {
      throw new AlertFileError(`${where} lacks a name, folder or rules`);
    }
    if (durationSeconds(String(group.interval)) === undefined)
      throw new AlertFileError(`${where}: interval "${group.interval}" is not like 1m`);
    for (const rule of group.rules) {
      if (typeof rule?.uid !== 'string' || typeof rule.title !== 'string')
        throw new AlertFileError(`${where} has a rule without uid or title`);
    }
    return group;
  });
}
