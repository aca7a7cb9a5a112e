/** Flux Logs: the controllers' JSON logs in Loki, by level, controller, namespace and object. */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type { Config } from '../config';
import { logs as q, logsScope, variableNames, variables } from '../queries';
import { lokiDatasource } from '../panels/common';
import { logPanels as p } from '../panels';
import {
  clusterVariables, dashboardIdentities, datasourceVariable, fluxDashboard, fluxNamespaceVariable, prometheusDatasourceVariable, queryVariable,
} from './defaults';
import { cell, layout } from './layout';

const textbox = (name: string, label: string, value: string, description: string) =>
  new dashboard.TextBoxVariableBuilder(name).label(label).description(description).defaultValue(value).current({ selected: true, text: value, value });

export function logsDashboard(config: Config) {
  const scope = logsScope(config);
  const builder = fluxDashboard({
    identity: dashboardIdentities.logs,
    description: 'The Flux controllers\' logs in Loki, by level, controller, object namespace and name.',
    variables: [
      prometheusDatasourceVariable(config),
      datasourceVariable(variableNames.lokiDatasource, 'Loki data source', 'loki', config.datasources.loki),
      ...clusterVariables(config, (label) => variables.clusterValues(scope, label)),
      fluxNamespaceVariable(config, variables.fluxNamespaceValues(scope)),
      queryVariable({ name: variableNames.controller, label: 'Controller', query: q.lokiControllerValues(scope), datasource: lokiDatasource as { type: string; uid: string }, multiWithAll: true }),
      new dashboard.CustomVariableBuilder(variableNames.level)
        .label('Level')
        .values(q.logLevels.join(','))
        .multi(true)
        .includeAll(true)
        .allValue('.*')
        .current({ selected: true, text: ['All'], value: ['$__all'] }),
      textbox(variableNames.logObjectNamespace, 'Object namespace', '.*', 'Regex of the namespace of the reconciled object (JSON field `namespace`).'),
      textbox(variableNames.objectName, 'Object name', '.*', 'Regex of the name of the reconciled object (JSON field `name`).'),
      textbox(variableNames.search, 'Search', '', 'Text the log line must contain.'),
    ],
  });
  return layout(builder, [
    {
      cells: [
        cell(p.logVolumeByLevel(q.logVolumeByLevel(scope)), 8, 8),
        cell(p.errorsByController(q.errorsByController(scope)), 8, 8),
        cell(p.reconciliationFailuresByKind(q.reconciliationFailuresByKind(scope)), 8, 8),
        cell(p.reconciliationFailureLines(q.reconciliationFailureLogLines(scope)), 24, 10),
        cell(p.errorLines(q.errorLogLines(scope)), 24, 12),
        cell(p.allLines(q.logLinesAll(scope)), 24, 16),
      ],
    },
  ]);
}
