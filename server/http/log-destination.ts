import fs from 'node:fs';
import { AppError } from '../../shared/errors';

/** What pino writes JSON lines to. */
export interface LogDestination {
  write(line: string): void;
  /** Lines dropped so far: they could not be written, or too many were waiting. */
  dropped(): number;
  /** Calls `listener` with the number of lines each time some are dropped. */
  onDrop(listener: (lines: number) => void): void;
  /** Writes what is waiting (as far as the disk allows) and closes a log file. */
  close(): Promise<void>;
}

function openLogFile(file: string): number {
  try {
    return fs.openSync(file, 'a');
  } catch (error) {
    throw new AppError(
      'VALIDATION',
      `The log file ${file} cannot be opened for writing (${(error as Error).message}).`,
    );
  }
}

/** Lines waiting to be written beyond this are dropped rather than held in memory. */
const MAX_PENDING_BYTES = 4 * 1024 * 1024;
/** Written in one system call at most. */
const MAX_CHUNK_BYTES = 256 * 1024;
/** A full pipe (EAGAIN) is retried after this; it is slow, not broken. */
const RETRY_BUSY_MS = 20;
/** Shutdown waits this long at most for waiting lines: a reader that stopped reading must not keep the server up. */
const CLOSE_WAIT_MS = 2000;

/**
 * A log destination that never stops the server (OPS-4). Lines go to a file
 * (appended) or to a file descriptor (stdout) with asynchronous writes, one
 * at a time. A write that fails (ENOSPC on a full disk, EIO, EFBIG) drops
 * its lines and counts them; the next line tries again, so logging resumes
 * by itself once there is space. Part of a chunk that reached a full disk
 * is cut off the file again (or, where that fails, its line is ended), so
 * the log stays one JSON object per line.
 *
 * NOTE: pino's own destination (sonic-boom) blocks in Atomics.wait in sync
 * mode, and in async mode keeps a failed buffer and emits 'error', which
 * crashes the process unless handled; neither drops and counts.
 */
export function openLogDestination(target: { file: string } | { fd: number }): LogDestination {
  const fd = 'file' in target ? openLogFile(target.file) : target.fd;
  const ownsFd = 'file' in target;
  const listeners: ((lines: number) => void)[] = [];
  let pending: string[] = [];
  let pendingBytes = 0;
  let dropped = 0;
  let writing = false;
  let cutShort = false;
  let closed = false;
  /** Set when close() stopped waiting: nothing is written any more, so a closed fd is never reused by mistake. */
  let stopped = false;
  let drained: (() => void) | null = null;

  function drop(lines: number): void {
    dropped += lines;
    for (const listener of listeners) listener(lines);
  }

  function takeChunk(): { buffer: Buffer; lines: number } {
    let bytes = 0;
    let count = 0;
    while (count < pending.length && (count === 0 || bytes + Buffer.byteLength(pending[count]!) <= MAX_CHUNK_BYTES)) {
      bytes += Buffer.byteLength(pending[count]!);
      count++;
    }
    const lines = pending.slice(0, count);
    pending = pending.slice(count);
    pendingBytes -= bytes;
    if (cutShort) lines.unshift('\n');
    return { buffer: Buffer.from(lines.join('')), lines: count };
  }

  function flush(): void {
    if (writing) return;
    if (stopped && pending.length > 0) {
      drop(pending.length);
      pending = [];
      pendingBytes = 0;
    }
    if (pending.length === 0) {
      drained?.();
      return;
    }
    writing = true;
    const { buffer, lines } = takeChunk();
    writeChunk(buffer, lines, 0);
  }

  function writeChunk(buffer: Buffer, lines: number, offset: number): void {
    fs.write(fd, buffer, offset, buffer.length - offset, null, (error, written) => {
      if (error && (error.code === 'EAGAIN' || error.code === 'EWOULDBLOCK')) {
        setTimeout(() => writeChunk(buffer, lines, offset), RETRY_BUSY_MS).unref();
        return;
      }
      if (!error && offset + written < buffer.length) return writeChunk(buffer, lines, offset + written);
      if (!error) {
        cutShort = false;
        return next();
      }
      drop(lines);
      if (offset === 0) return next();
      // Part of the chunk reached the file: take it back, or at least end its last line on the next write.
      cutShort = true;
      fs.fstat(fd, (statError, stats) => {
        if (statError || !stats.isFile()) return next();
        fs.ftruncate(fd, stats.size - offset, (truncateError) => {
          if (!truncateError) cutShort = false;
          next();
        });
      });
    });
  }

  function next(): void {
    writing = false;
    flush();
  }

  return {
    write(line) {
      const bytes = Buffer.byteLength(line);
      if (closed || pendingBytes + bytes > MAX_PENDING_BYTES) return drop(1);
      pending.push(line);
      pendingBytes += bytes;
      flush();
    },
    dropped: () => dropped,
    onDrop(listener) {
      listeners.push(listener);
    },
    async close() {
      if (closed) return;
      closed = true;
      if (writing || pending.length > 0) {
        await new Promise<void>((resolve) => {
          drained = resolve;
          setTimeout(resolve, CLOSE_WAIT_MS).unref();
        });
      }
      stopped = true;
      // NOTE: a write still in flight keeps the file open: closing under it could let the number be reused.
      if (ownsFd && !writing) await new Promise<void>((resolve) => fs.close(fd, () => resolve()));
    },
  };
}

/** The server's log: where pino writes, and how to finish it on shutdown. */
export interface ServerLog {
  stream: LogDestination | NodeJS.WritableStream;
  close(): Promise<void>;
}

/**
 * Opens the server's log (OPS-4): `logStream` when given (its write errors
 * are counted, never thrown), else `logFile` appended, else stdout.
 * `onDrop` hears of every line that could not be written.
 */
export function openServerLog(
  options: { logStream?: NodeJS.WritableStream | undefined; logFile?: string | undefined },
  onDrop: (lines: number) => void,
): ServerLog {
  const given = options.logStream;
  if (given) {
    given.on('error', () => onDrop(1));
    return { stream: given, close: async () => undefined };
  }
  const destination = openLogDestination(options.logFile ? { file: options.logFile } : { fd: 1 });
  destination.onDrop(onDrop);
  return { stream: destination, close: () => destination.close() };
}
