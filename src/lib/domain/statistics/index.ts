export * from './small-cells';
export * from './proportion';
export * from './endings';
export * from './retention';
export * from './warning-signs';
export * from './completeness';
export * from './volume';
