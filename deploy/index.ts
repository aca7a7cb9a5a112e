/** Deploying built dashboards to Grafana, as functions: the same steps `npm run deploy` takes. */
export { deploy, sameDashboard, type DeployPlan, type DeployReport, type DashboardOutcome } from './deploy';
export {
  legacyApi, resourceApi, apiForVersion, type Dashboard, type DashboardApi, type ApiChoice, type ApiName,
} from './grafana-api';
export { GrafanaHttp, GrafanaError, networkProblem, type Credentials, type RetryPolicy } from './http';
export {
  runDeployCli, parseDeployOptions, readDashboards, formatReport, summaryLine, deployUsage, UsageError,
  type DeployIo, type DeployOptions,
} from './command';
export {
  deployAlertRules, readAlertRuleFile, apiRuleGroup, formatAlertReport, type AlertDeployReport, type FileRuleGroup,
} from './alert-rules';
