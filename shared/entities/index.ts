export * from './envelope';
export * from './registry';
export type { EntityDefinition, ListColumn, Reference, CrossFieldRule } from './define-entity';
export * from './columns';
export type { EntityVersion } from './versions';
