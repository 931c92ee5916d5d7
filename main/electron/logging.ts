import { inspect } from 'node:util';
import type { Hook, LogFunctions } from 'electron-log';
import { createRecentErrors, redactSecrets, type RecentErrors } from './diagnostics';

/** The part of electron-log's main logger the app configures. */
export interface MainLog {
  hooks: Hook[];
  transports: { file: { maxSize: number; getFile(): { path: string } } };
  errorHandler: { startCatching(options?: { showDialog?: boolean }): void };
  functions: LogFunctions;
}

/** The log file rotates past this size (electron-log keeps the previous one as main.old.log). */
export const LOG_FILE_MAX_BYTES = 1024 * 1024;

/** A logged value as text with secrets redacted (tokens must not reach the log file either). */
function redacted(value: unknown): unknown {
  if (typeof value === 'string') return redactSecrets(value);
  if (value instanceof Error) return redactSecrets(value.stack ?? `${value.name}: ${value.message}`);
  if (value === null || typeof value !== 'object') return value;
  return redactSecrets(inspect(value, { depth: 4, breakLength: Infinity }));
}

/**
 * The main process's log: a rotating file that console output goes to as well, secrets redacted from every
 * message, uncaught errors caught. Returns the errors kept for "Copy diagnostics".
 */
export function setUpMainLog<L extends MainLog>(log: L, output: Pick<Console, LogLevel> = console): MainLogSetUp<L> {
  const errors = createRecentErrors();
  log.transports.file.maxSize = LOG_FILE_MAX_BYTES;
  log.hooks.push((message, _transport, transportName) => {
    const data = message.data.map(redacted);
    // Hooks run once per transport: record the error once, with the file's copy.
    if (message.level === 'error' && transportName === 'file') errors.record(data.map(String).join(' '));
    return { ...message, data };
  });
  log.errorHandler.startCatching({ showDialog: false });
  Object.assign(output, log.functions);
  return { log, errors };
}

export interface MainLogSetUp<L extends MainLog = MainLog> {
  log: L;
  errors: RecentErrors;
}

type LogLevel = 'error' | 'warn' | 'info' | 'debug' | 'log';
