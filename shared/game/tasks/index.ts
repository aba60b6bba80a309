export * from './trial-run';
export * from './touch';
export * from './hold';
export * from './grasp';
