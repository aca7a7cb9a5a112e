/** Deploying built dashboards to Grafana, as functions: the same steps `npm run deploy` takes. */
export {
  deploy, sameDashboard, deployItems, type DeployPlan, type DeployReport, type DashboardOutcome, type Takeover,
} from './deploy';
export {
  legacyApi, resourceApi, apiForVersion, ownershipTag, type Dashboard, type DashboardApi, type ApiChoice, type ApiName,
  type DashboardModel, type DashboardV2Resource, type DeployItem, type ResourceVersion,
} from './grafana-api';
export { GrafanaHttp, GrafanaError, networkProblem, type Credentials, type RetryPolicy } from './http';
export {
  runDeployCli, parseDeployOptions, readDashboards, readBuiltFolder, buildSources, formatReport, summaryLine,
  deployUsage, UsageError, type DeployIo, type DeployOptions, type DeploySources,
} from './command';
export {
  deployAlertRules, readAlertRuleFile, apiRuleGroup, formatAlertReport, type AlertDeployReport, type FileRuleGroup,
} from './alert-rules';
