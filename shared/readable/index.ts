export * from './field-labels';
export * from './audit-words';
