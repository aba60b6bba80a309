export * from './version';
export * from './errors';
export * from './primitives';
export * from './live';
export * from './trial';
export * from './control';
export * from './events';
export * from './pose-codec';
