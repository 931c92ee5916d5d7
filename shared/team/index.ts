export * from './answers';
export * from './audit-actions';
export * from './requests';
export * from './setup-link';
