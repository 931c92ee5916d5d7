import { AppError } from '../../shared/errors';

/** Why a database file or its folder cannot be used. */
export const STORAGE_FILE_PROBLEMS = [
  'DIRECTORY_MISSING',
  'DIRECTORY_NOT_WRITABLE',
  'NOT_A_CURIO_DATABASE',
  'CORRUPT',
  'NEWER_FORMAT',
  'CANNOT_OPEN',
  'NATIVE_BINDING_MISSING',
  'KEY_MISSING',
] as const;
export type StorageFileProblem = (typeof STORAGE_FILE_PROBLEMS)[number];

/**
 * A database file or folder that the storage refuses to use. Carries the
 * stable code BAD_FILE for the boundaries, the precise problem, and the path,
 * so the message tells the person which file to look at.
 */
export class StorageFileError extends AppError {
  readonly problem: StorageFileProblem;
  readonly path: string;

  constructor(problem: StorageFileProblem, path: string, message: string, options?: { cause?: unknown }) {
    super('BAD_FILE', message);
    this.name = 'StorageFileError';
    this.problem = problem;
    this.path = path;
    if (options?.cause !== undefined) (this as { cause?: unknown }).cause = options.cause;
  }
}

/** The SQLite error code (SQLITE_CORRUPT, SQLITE_NOTADB, ...) of an error, if any. */
export function sqliteCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

/** Turns a low-level SQLite failure on a file into a StorageFileError naming the file. */
export function fileErrorFrom(error: unknown, path: string): Error {
  if (error instanceof StorageFileError) return error;
  const code = sqliteCode(error) ?? '';
  const detail = error instanceof Error ? error.message : String(error);
  if (code.startsWith('SQLITE_NOTADB') || code.startsWith('SQLITE_CORRUPT')) {
    return new StorageFileError(
      'CORRUPT',
      path,
      `The database file ${path} is damaged or not a database (${detail}). ` +
        'It was left untouched; restore it from a backup or move it away to start fresh.',
      { cause: error },
    );
  }
  if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_PERM')) {
    return new StorageFileError(
      'CANNOT_OPEN',
      path,
      `The database file ${path} cannot be opened for writing (${detail}). Check that its folder is writable.`,
      { cause: error },
    );
  }
  return error instanceof Error ? error : new Error(detail);
}
