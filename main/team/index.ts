export { encode, queryString, serverCall, type ServerRequests } from './server-call';
export { exportServerAudit, exportUserFile } from './exports';
