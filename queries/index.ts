export * from '../model/catalogue';
export * from '../model/kinds';
export * from './query';
export * from './scope';
export * from './selector';
export * as controllers from './controllers';
export * as objects from './objects';
export * as logs from './logs';
export * as variables from './variables';
