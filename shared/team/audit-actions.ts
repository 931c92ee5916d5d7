/** What the server's own audit records (ADMIN-5): sign-ins, user changes, setup codes, revocations, purges. */
export const SERVER_AUDIT_ACTIONS = [
  'login.succeeded',
  'login.failed',
  'login.throttled',
  'user.created',
  'user.updated',
  'user.password-changed',
  'user.disabled',
  'user.enabled',
  'user.removed',
  'user.exported',
  'user.setup-code-issued',
  'user.setup-code-revoked',
  'user.setup-code-used',
  'session.revoked',
  'session.refresh-reuse',
  'session.refresh-repeated',
  'logout',
  'trash.purged',
  'server.backup',
] as const;
export type ServerAuditAction = (typeof SERVER_AUDIT_ACTIONS)[number];
