export * from './common';
export * as controllerPanels from './controllers';
export * as objectPanels from './objects';
export * as logPanels from './logs';
export * as operatorPanels from './operator';
export * as singleObjectPanels from './object';
export {
  controllerLogsLink, objectDashboardLink, objectLogsLink, reconcilerLogsLinks, tableViewLink,
} from './links';
