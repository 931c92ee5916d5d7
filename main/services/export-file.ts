import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { once } from 'node:events';
import { AppError } from '../../shared/errors';
import type { ServiceContext } from './context';

/** What an export needs to know of the profile: where its exports folder is, and the time for the file name. */
export type ExportTarget = Pick<ServiceContext, 'dataDir' | 'now'>;

/** A file being written piece by piece, honouring back-pressure so huge exports stay small in memory. */
export interface ExportFile {
  path: string;
  write(chunk: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Where an export goes: `requested` if given (absolute), otherwise a new file named
 * `<stem>-<timestamp>.<extension>` in the profile's exports folder (created if needed).
 */
export async function exportPath(
  ctx: ExportTarget,
  stem: string,
  extension: string,
  requested?: string,
): Promise<string> {
  if (requested !== undefined && !isAbsolute(requested)) {
    throw new AppError('VALIDATION', `The export path must be absolute; got "${requested}".`, [
      { field: 'filePath', message: 'Give an absolute path.' },
    ]);
  }
  const stamp = ctx.now().toISOString().replace(/[:.]/g, '-');
  const path = requested ?? join(ctx.dataDir, 'exports', `${stem}-${stamp}.${extension}`);
  await mkdir(dirname(path), { recursive: true });
  return path;
}

/** Opens the export target (see `exportPath`) for writing text piece by piece. */
export async function openExportFile(
  ctx: ExportTarget,
  stem: string,
  extension: string,
  requested?: string,
): Promise<ExportFile> {
  const path = await exportPath(ctx, stem, extension, requested);
  const stream: WriteStream = createWriteStream(path, { encoding: 'utf8' });
  await once(stream, 'open');
  return {
    path,
    async write(chunk) {
      if (!stream.write(chunk)) await once(stream, 'drain');
    },
    async close() {
      stream.end();
      await once(stream, 'finish');
    },
  };
}
