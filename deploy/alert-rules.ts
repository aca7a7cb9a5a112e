/**
 * Puts the Grafana-managed rule groups of the provisioning file into Grafana through its alerting provisioning API
 * (`/api/v1/provisioning/folder/:folderUid/rule-groups/:group`), saving only groups that differ from what it holds.
 */
import { readFileSync } from 'node:fs';
import type * as alerting from '@grafana/grafana-foundation-sdk/alerting';
import { parse } from 'yaml';
import {
  AlertFileError, durationSeconds, provisioningGroups, type FileRule, type FileRuleGroup,
} from '../alerts/provisioning-file';
import { canonical } from './deploy';
import { createFolder, findFolder, type Folder } from './grafana-api';
import { fatalKinds, GrafanaError, type GrafanaHttp } from './http';

export { AlertFileError, type FileRule, type FileRuleGroup } from '../alerts/provisioning-file';

/** `provenance` of rules saved through the API; rules saved with `X-Disable-Provenance` have none and stay editable. */
export const apiProvenance = 'api';

/**
 * Reads and checks a Grafana alerting provisioning file as the build writes it; the advice names the build command
 * as the user runs it.
 */
export function readAlertRuleFile(path: string, buildCommand = 'npx flux-dashboards build'): FileRuleGroup[] {
  let document: unknown;
  try {
    document = parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? `no such file: run \`${buildCommand}\` first, or pass --alerts-file`
        : 'not valid YAML';
    throw new AlertFileError(`${path}: ${reason}`);
  }
  return provisioningGroups(document, path, buildCommand);
}

export type GroupChange = 'created' | 'changed' | 'unchanged';
export type AlertGroupOutcome =
  | { group: string; rules: number; change: GroupChange; saved: boolean; removed: string[] }
  | { group: string; rules: number; change: 'failed'; saved: false; error: string }
  | { group: string; rules: number; change: 'not attempted'; saved: false };

export interface AlertDeployReport {
  folders: Array<{ title: string; uid?: string; state: 'found' | 'created' | 'would be created' }>;
  groups: AlertGroupOutcome[];
  stopped?: string;
  ok: boolean;
}

export interface AlertDeployPlan {
  dryRun: boolean;
  /** Send `X-Disable-Provenance`: the rules stay editable in Grafana's UI (and drift from the repository). */
  editable: boolean;
}

/** The fields of a rule that we write; Grafana adds id, updated, provenance and folder fields. */
const ruleFields = [
  'uid',
  'title',
  'condition',
  'data',
  'noDataState',
  'execErrState',
  'for',
  'annotations',
  'labels',
  'isPaused',
] as const;

const comparable = (rule: Partial<alerting.Rule>) =>
  canonical(
    Object.fromEntries(
      ruleFields.map((field) => [
        field,
        field === 'data'
          ? undefined
          : field === 'for'
            ? (durationSeconds(rule.for) ?? rule.for)
            : (rule[field] ?? defaults[field]),
      ]),
    ),
  );

/**
 * Grafana fills defaults into a saved query's model (`intervalMs`, `maxDataPoints`, its datasource): a stored query
 * is ours when every key we wrote has our value.
 */
function sameQuery(stored: alerting.Query, ours: alerting.Query): boolean {
  const { model: storedModel, ...storedQuery } = stored;
  const { model: ourModel, ...ourQuery } = ours;
  const normal = (query: Omit<alerting.Query, 'model'>) =>
    canonical({ ...query, queryType: query.queryType || undefined });
  const storedFields = (storedModel ?? {}) as Record<string, unknown>;
  return (
    normal(storedQuery) === normal(ourQuery) &&
    Object.entries((ourModel ?? {}) as Record<string, unknown>).every(
      ([key, value]) => canonical(storedFields[key]) === canonical(value),
    )
  );
}

export function sameRule(stored: alerting.Rule, ours: FileRule): boolean {
  return (
    comparable(stored) === comparable(ours) &&
    stored.data.length === ours.data.length &&
    ours.data.every((query, index) => sameQuery(stored.data[index]!, query))
  );
}
const defaults: Partial<Record<(typeof ruleFields)[number], unknown>> = {
  annotations: {},
  labels: {},
  isPaused: false,
};

/** The group as the provisioning API takes it: each rule with its folder, group and org. */
export function apiRuleGroup(group: FileRuleGroup, folderUid: string): alerting.RuleGroup {
  return {
    title: group.name,
    folderUid,
    interval: durationSeconds(group.interval)!,
    rules: group.rules.map((rule) => ({ ...rule, folderUID: folderUid, ruleGroup: group.name, orgID: group.orgId })),
  };
}

const groupPath = (folderUid: string, group: string) =>
  `/api/v1/provisioning/folder/${encodeURIComponent(folderUid)}/rule-groups/${encodeURIComponent(group)}`;

/** Why Grafana would refuse to save over a stored rule, as it refuses a provenance change other than from none. */
function provenanceConflict(stored: alerting.Rule, wanted: string): string | undefined {
  const current = stored.provenance ?? '';
  if (current === '' || current === wanted) return undefined;
  if (current === 'file') {
    return "is provisioned from a file in Grafana's provisioning folder: change or remove that file instead";
  }
  const way =
    wanted === '' ? ': --alerts-editable cannot drop it; deploy without it, or delete the rule in Grafana first' : '';
  return `was saved with provenance "${current}"${way}`;
}

/** Each reason once, with the rules it holds for: `13 rules (a, b, c and 10 more) were saved with …`. */
const plural = (reason: string) => reason.replace(/^is /, 'are ').replace(/^was /, 'were ');

export function conflictSentence(conflicts: Array<{ rule: alerting.Rule; reason: string }>): string {
  const reasons = [...new Set(conflicts.map(({ reason }) => reason))];
  return reasons
    .map((reason) => {
      const rules = conflicts.filter((conflict) => conflict.reason === reason).map(({ rule }) => rule);
      if (rules.length === 1) return `rule ${rules[0]!.uid} (${rules[0]!.title}) ${reason}`;
      const named = rules.slice(0, 3).map((rule) => rule.uid).join(', ');
      const more = rules.length > 3 ? ` and ${rules.length - 3} more` : '';
      return `${rules.length} rules (${named}${more}) ${plural(reason)}`;
    })
    .join('; ');
}

export async function deployAlertRules(
  http: GrafanaHttp,
  groups: FileRuleGroup[],
  plan: AlertDeployPlan,
): Promise<AlertDeployReport> {
  const report: AlertDeployReport = {
    folders: [],
    groups: groups.map((group) => ({
      group: group.name,
      rules: group.rules.length,
      change: 'not attempted',
      saved: false,
    })),
    ok: false,
  };
  const wantedProvenance = plan.editable ? '' : apiProvenance;
  const folders = new Map<string, Folder | undefined>();
  for (const [index, group] of groups.entries()) {
    const outcome = (fields: Partial<AlertGroupOutcome>) =>
      (report.groups[index] = { ...report.groups[index]!, ...fields } as AlertGroupOutcome);
    try {
      if (!folders.has(group.folder)) {
        const found = await findFolder(http, group.folder);
        const folder = found ?? (plan.dryRun ? undefined : await createFolder(http, group.folder));
        folders.set(group.folder, folder);
        report.folders.push({
          title: group.folder,
          ...(folder ? { uid: folder.uid } : {}),
          state: found ? 'found' : folder ? 'created' : 'would be created',
        });
      }
      const folder = folders.get(group.folder);
      if (!folder) {
        outcome({ change: 'created', saved: false, removed: [] });
        continue;
      }
      const { status, body } = await http.request('GET', groupPath(folder.uid, group.name), { allowNotFound: true });
      const stored = status === 404 ? undefined : (body as alerting.RuleGroup);
      const storedRules = stored?.rules ?? [];
      const conflicts = group.rules
        .map((rule) => storedRules.find((candidate) => candidate.uid === rule.uid))
        .flatMap((rule) => {
          const reason = rule && provenanceConflict(rule, wantedProvenance);
          return rule && reason ? [{ rule, reason }] : [];
        });
      if (conflicts.length) throw new GrafanaError('conflict', conflictSentence(conflicts));
      const removed = storedRules
        .filter((rule) => !group.rules.some((ours) => ours.uid === rule.uid))
        .map((rule) => rule.uid!);
      const same =
        stored !== undefined &&
        stored.interval === durationSeconds(group.interval) &&
        storedRules.length === group.rules.length &&
        group.rules.every(
          (rule, i) => sameRule(storedRules[i]!, rule) && (storedRules[i]!.provenance ?? '') === wantedProvenance,
        );
      const change: GroupChange = !stored ? 'created' : same ? 'unchanged' : 'changed';
      if (plan.dryRun || change === 'unchanged') {
        outcome({ change, saved: false, removed });
        continue;
      }
      await http.request('PUT', groupPath(folder.uid, group.name), {
        body: apiRuleGroup(group, folder.uid),
        ...(plan.editable ? { headers: { 'X-Disable-Provenance': 'true' } } : {}),
      });
      outcome({ change, saved: true, removed });
    } catch (error) {
      const message = http.redact(error instanceof Error ? error.message : String(error));
      report.groups[index] = {
        group: group.name,
        rules: group.rules.length,
        change: 'failed',
        saved: false,
        error: message,
      };
      if (error instanceof GrafanaError && fatalKinds.has(error.kind)) {
        report.stopped = message;
        break;
      }
    }
  }
  report.ok =
    !report.stopped &&
    report.groups.every((outcome) => outcome.change !== 'failed' && outcome.change !== 'not attempted');
  return report;
}

const changeWords = {
  created: { done: 'created', dry: 'would be created' },
  changed: { done: 'updated', dry: 'would change' },
  unchanged: { done: 'unchanged, left alone', dry: 'unchanged, would be left alone' },
};

export function formatAlertReport(report: AlertDeployReport, dryRun: boolean): string[] {
  const lines = report.folders.map(
    (folder) => `alert folder "${folder.title}": ${folder.state}${folder.uid ? ` (uid ${folder.uid})` : ''}`,
  );
  for (const outcome of report.groups) {
    const name = `alert rule group ${outcome.group} (${outcome.rules} rules)`;
    if (outcome.change === 'failed') lines.push(`${name}: FAILED: ${outcome.error}`);
    else if (outcome.change === 'not attempted') lines.push(`${name}: not saved`);
    else {
      const removed = outcome.removed.length
        ? `; ${dryRun ? 'would remove' : 'removed'} ${outcome.removed.join(', ')}`
        : '';
      lines.push(`${name}: ${changeWords[outcome.change][dryRun ? 'dry' : 'done']}${removed}`);
    }
  }
  return lines;
}
