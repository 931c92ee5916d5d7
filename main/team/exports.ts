import Papa from 'papaparse';
import { z } from 'zod';
import { serverAuditPageSchema, type ServerAuditEntry, type serverAuditFilter } from '../../shared/team';
import type { ExportEvent } from '../services';
import { openExportFile, type ExportTarget } from '../services/export-file';
import { encode, queryString, serverCall, type ServerRequests } from './server-call';

/** Entries per request while exporting: the server's largest page. */
const EXPORT_PAGE = 1000;
const CSV_COLUMNS = ['at', 'action', 'actorId', 'actorName', 'subjectId', 'subjectName', 'ip', 'detail'];

function csvRow(entry: ServerAuditEntry): string[] {
  return [
    entry.at,
    entry.action,
    entry.actor?.id ?? '',
    entry.actor?.name ?? '',
    entry.subject?.id ?? '',
    entry.subject?.name ?? '',
    entry.ip ?? '',
    JSON.stringify(entry.detail),
  ];
}

/**
 * Streams the server audit matching `filter` to a CSV or JSON file, newest
 * first, a server page at a time, reporting progress as the local audit's
 * export does (the renderer's useStreamedExport reads both).
 */
export async function* exportServerAudit(
  sync: ServerRequests,
  target: ExportTarget,
  input: z.output<typeof serverAuditFilter> & { format: 'csv' | 'json'; filePath?: string | undefined },
): AsyncGenerator<ExportEvent> {
  const { format, filePath, ...filter } = input;
  const page = (cursor: string | null) =>
    serverCall(sync, serverAuditPageSchema, `/v1/admin/audit${queryString({ ...filter, cursor, limit: EXPORT_PAGE })}`);
  let current = await page(null);
  const file = await openExportFile(target, 'server-audit', format, filePath);
  let done = 0;
  try {
    yield { type: 'progress', done, total: current.total };
    await file.write(format === 'csv' ? Papa.unparse([CSV_COLUMNS]) + '\r\n' : '[\n');
    for (;;) {
      if (format === 'csv' && current.entries.length > 0) {
        await file.write(Papa.unparse(current.entries.map(csvRow)) + '\r\n');
        done += current.entries.length;
      } else if (format === 'json') {
        for (const entry of current.entries) await file.write(`${done++ > 0 ? ',\n' : ''}${JSON.stringify(entry)}`);
      }
      // Entries recorded during the export make the total grow; progress never shows more done than total.
      yield { type: 'progress', done, total: Math.max(done, current.total) };
      if (!current.nextCursor) break;
      current = await page(current.nextCursor);
    }
    if (format === 'json') await file.write('\n]\n');
  } finally {
    await file.close();
  }
  yield { type: 'done', filePath: file.path, rows: done };
}

/** Writes everything the server holds about one user (ADMIN-3) to a JSON file, for the admin to keep. */
export async function exportUserFile(
  sync: ServerRequests,
  target: ExportTarget,
  input: { id: string; filePath?: string | undefined },
): Promise<{ filePath: string; bytes: number }> {
  const data = await serverCall(
    sync,
    z.looseObject({ user: z.object({ username: z.string() }) }),
    `/v1/admin/users/${encode(input.id)}/export`,
  );
  const file = await openExportFile(target, `user-${data.user.username}`, 'json', input.filePath);
  const text = JSON.stringify(data, null, 2);
  try {
    await file.write(text);
  } finally {
    await file.close();
  }
  return { filePath: file.path, bytes: Buffer.byteLength(text) };
}
