import { AppError } from '../shared/errors';
import type { ResolvedConfig } from './config';

/** What Node, the file system, OpenSSL and PostgreSQL attach to the errors a start can meet. */
interface SystemError {
  code?: string;
  syscall?: string;
  path?: string;
  address?: string;
  port?: number;
  hostname?: string;
  message: string;
}

/** PostgreSQL's SQLSTATEs a wrong --database-url produces. */
const POSTGRES_REFUSALS: Record<string, string> = {
  '28P01': 'PostgreSQL refused the password in --database-url (or DATABASE_URL). Correct it and start again.',
  '28000': 'PostgreSQL refused the user in --database-url (or DATABASE_URL). Name a user it knows and start again.',
  '3D000':
    'The database named in --database-url (or DATABASE_URL) does not exist. Create it (createdb NAME) or name another.',
};

/**
 * Why the server could not start, in words an operator can act on, as an AppError: the port, the address,
 * the data folder, the database and the TLS files each fail with their own system code ("listen EADDRINUSE:
 * address already in use 127.0.0.1:5309", "connect ECONNREFUSED 127.0.0.1:5432"), which says what broke but
 * not what to do. Anything else is returned as it is.
 */
export function describeStartupError(error: unknown, config: ResolvedConfig): unknown {
  if (error instanceof AppError || !(error instanceof Error)) return error;
  const failure = error as SystemError;
  const words = startupWords(failure, config);
  return words ? new AppError('VALIDATION', `${words}\n(${failure.message})`) : error;
}

function startupWords(error: SystemError, config: ResolvedConfig): string | undefined {
  const { code, syscall } = error;
  if (code && POSTGRES_REFUSALS[code]) return POSTGRES_REFUSALS[code];
  if (syscall === 'listen' || (syscall === 'getaddrinfo' && error.hostname === config.host)) {
    return listenWords(code, config);
  }
  if (config.databaseUrl && (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ETIMEDOUT')) {
    const where = error.address ? `${error.address}:${error.port}` : (error.hostname ?? 'the address given');
    return (
      `Cannot reach PostgreSQL at ${where} (${code === 'ECONNREFUSED' ? 'connection refused' : 'no such host'}). ` +
      'Check that it is running and that --database-url (or DATABASE_URL) names it.'
    );
  }
  if (!config.databaseUrl && error.path && isWithin(error.path, config.dataDir)) return dataDirWords(error, config);
  if (config.tls && /PEM|X509|KEY_VALUES_MISMATCH|asn1/i.test(`${code} ${error.message}`)) {
    return (
      'The TLS certificate and key could not be used: give --tls-cert and --tls-key the PEM files of one ' +
      'certificate and its private key (they begin with -----BEGIN).'
    );
  }
  return undefined;
}

function listenWords(code: string | undefined, config: ResolvedConfig): string | undefined {
  const { host, port } = config;
  if (code === 'EADDRINUSE') {
    return `Port ${port} on ${host} is in use by another program (another Curio server?). Stop it, or choose another port with --port.`;
  }
  if (code === 'EACCES') {
    return `This user may not listen on port ${port} (ports below 1024 need extra rights). Choose a port from 1024 up with --port, or serve behind a reverse proxy.`;
  }
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return `Cannot listen on ${host}: it is not an address of this machine. Give --host 127.0.0.1 (this machine only) or 0.0.0.0 (every network).`;
  }
  return undefined;
}

function dataDirWords(error: SystemError, config: ResolvedConfig): string | undefined {
  const folder = config.dataDir;
  if (error.code === 'EEXIST' || error.code === 'ENOTDIR') {
    const what = error.code === 'EEXIST' ? 'it is a file' : 'part of its path is a file';
    return `The data folder ${folder} cannot be used: ${what}, not a folder. Choose another with --data-dir.`;
  }
  if (error.code === 'EACCES' || error.code === 'EPERM' || error.code === 'EROFS') {
    return `The data folder ${folder} cannot be written by this user. Give it write access, or choose another with --data-dir.`;
  }
  if (error.code === 'ENOSPC') return `The disk of the data folder ${folder} is full. Free some space and start again.`;
  return undefined;
}

/** Whether `file` is `folder` or inside it (mkdir reports the part of the path it could not make). */
function isWithin(file: string, folder: string): boolean {
  return folder === file || folder.startsWith(`${file}/`) || file.startsWith(`${folder}/`);
}
