export * from './field-labels';
export * from './audit-words';
export * from './conflict-words';
export * from './namesake-details';
export * from './counted';
export * from './row-error-field';
export * from './actor-words';
export * from './setting-words';
