export * from './catalogue';
export * from './dashboards';
export * from './flux-releases';
export * from './kinds';
export * from './objects';
export * from './outputs';
export * from './variables';
export * from './operator';
