export * from './small-cells';
export * from './proportion';
export * from './endings';
export * from './retention';
export * from './warning-signs';
