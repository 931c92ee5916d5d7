import { existsSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { loadDeviceIdentity } from '../database/identity';
import { databaseFilePath } from '../storage';
import { checkDatabaseFile, type IntegrityDepth, type IntegrityReport } from '../storage/integrity';

/** The two database files of a profile: the catalog (replicated) and `-local` (settings, views). */
export async function profileDatabaseFiles(dataDir: string): Promise<{ catalog: string; local: string }> {
  const { databaseName } = await loadDeviceIdentity(dataDir);
  return {
    catalog: databaseFilePath(dataDir, databaseName),
    local: databaseFilePath(dataDir, `${databaseName}-local`),
  };
}

/** A check of both files of a profile; the problems of the settings file are prefixed so people know which. */
export async function checkProfile(dataDir: string, depth: IntegrityDepth, now = new Date()): Promise<IntegrityReport> {
  const files = await profileDatabaseFiles(dataDir);
  const catalog = checkDatabaseFile(files.catalog, depth, now);
  const local = checkDatabaseFile(files.local, depth, now);
  const problems = [...catalog.problems, ...local.problems.map((problem) => `Settings file: ${problem}`)];
  return { ok: problems.length === 0, depth, problems, checkedAt: catalog.checkedAt };
}

/**
 * Moves a damaged file (and its WAL and shared-memory files) aside, never
 * deleting it: `<file>.damaged-<time>`. Returns the new path, or null when
 * there was no file.
 */
export async function moveAside(filePath: string, now: Date): Promise<string | null> {
  if (!existsSync(filePath)) return null;
  const target = `${filePath}.damaged-${now.toISOString().replace(/[:.]/g, '-')}`;
  for (const suffix of ['-wal', '-shm']) {
    if (existsSync(filePath + suffix)) await rename(filePath + suffix, target + suffix);
  }
  await rename(filePath, target);
  return target;
}
