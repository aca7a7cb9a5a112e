/** Flux Logs: the controllers' JSON logs in Loki, by level, controller, namespace and object. */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type { Config } from '../config';
import { allValue, dashboardIdentities, datasources, variableNames } from '../model';
import { logs as q, logsScope } from '../queries';
import { logPanels as p } from '../panels';
import { allSelected, queryVariable, type DashboardSpec } from './defaults';
import { cell } from './layout';

const textbox = (name: string, label: string, value: string, description: string) =>
  new dashboard.TextBoxVariableBuilder(name)
    .label(label)
    .description(description)
    .defaultValue(value)
    .current({ selected: true, text: value, value });

const controllerDescription = 'The Flux controllers (Deployments) whose logs to show.';

/** The controller variable: controller names on every pipeline, listed from Loki where a stream label holds them. */
function controllerVariable(variable: q.ControllerVariable) {
  if (variable.type === 'custom') {
    return new dashboard.CustomVariableBuilder(variableNames.controller)
      .label('Controller')
      .description(controllerDescription)
      .values(variable.values.join(','))
      .multi(true)
      .includeAll(true)
      .allValue(allValue)
      .current(allSelected);
  }
  const builder = queryVariable({
    name: variableNames.controller,
    label: 'Controller',
    query: variable.query,
    datasource: datasources.loki,
    multiWithAll: true,
  }).description(controllerDescription);
  return variable.regex ? builder.regex(variable.regex) : builder;
}

export function logsDashboard(config: Config): DashboardSpec {
  const scope = logsScope(config);
  return {
    identity: dashboardIdentities.logs,
    description: "The Flux controllers' logs in Loki, by level, controller, object namespace and name.",
    readsLoki: true,
    variables: [
      controllerVariable(q.lokiControllerVariable(scope)),
      new dashboard.CustomVariableBuilder(variableNames.level)
        .label('Level')
        .values(q.logLevels.join(','))
        .multi(true)
        .includeAll(true)
        .allValue(allValue)
        .current(allSelected),
      textbox(
        variableNames.logObjectNamespace,
        'Object namespace',
        allValue,
        'Regex of the namespace of the reconciled object (JSON field `namespace`).',
      ),
      textbox(
        variableNames.objectName,
        'Object name',
        allValue,
        'Regex of the name of the reconciled object (JSON field `name`).',
      ),
      textbox(variableNames.search, 'Search', '', 'Text the log line must contain.'),
    ],
    rows: [
      {
        cells: [
          cell(p.logVolumeByLevel(q.logVolumeByLevel(scope)), 8, 8, 'logVolumeByLevel'),
          cell(p.errorsByController(q.errorsByController(scope)), 8, 8),
          cell(p.reconciliationFailuresByKind(q.reconciliationFailuresByKind(scope)), 8, 8, 'reconciliationFailures'),
          cell(p.reconciliationFailureLines(q.reconciliationFailureLogLines(scope)), 24, 10),
          cell(p.errorLines(q.errorLogLines(scope)), 24, 12),
          cell(p.allLines(q.logLinesAll(scope)), 24, 16, 'allLogs'),
        ],
      },
    ],
  };
}
