export { createAuth, type Auth, type AuthSettings, type AuthUser, type Principal, type TokenGrant } from './sessions';
export {
  CLI_ACTOR,
  countUsers,
  createUser,
  findUserByUsername,
  getUser,
  revokeUserSessions,
  updateUser,
  type Actor,
  type NewUser,
  type PublicUser,
  type UserChange,
} from './users';
export { describeUser, listUsers } from './user-list';
export { DEFAULT_PASSWORD_HASHING, MIN_PASSWORD_LENGTH, checkPasswordPolicy, type PasswordHashing } from './passwords';
export { listServerAudit, recordServerAudit, SERVER_AUDIT_ACTIONS, type ServerAuditEntry } from './server-audit';
export { listSessions, revokeSessionById, type SessionView } from './session-admin';
export { exportUser, pseudonymFor, removeUser, type UserExport } from './erasure';
export { accountNames, erasedAmong } from './account-names';
export { issueSetupCode, revokeSetupCode } from './setup-codes';
export { changeOwnPassword, ownSessions, revokeOtherSessions, revokeOwnSession } from './account';
