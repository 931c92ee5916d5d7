import { existsSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { loadDeviceIdentity } from '../database/identity';
import { databaseFilePath, encryptDatabaseFile, type DatabaseKey } from '../storage';
import { checkDatabaseFile, type IntegrityDepth, type IntegrityReport } from '../storage/integrity';
import { checkInWorker } from '../storage/integrity-in-worker';

/** The two database files of a profile: the catalog (replicated) and `-local` (settings, views). */
export async function profileDatabaseFiles(dataDir: string): Promise<{ catalog: string; local: string }> {
  const { databaseName } = await loadDeviceIdentity(dataDir);
  return {
    catalog: databaseFilePath(dataDir, databaseName),
    local: databaseFilePath(dataDir, `${databaseName}-local`),
  };
}

/**
 * A check of both files of a profile (read with `key` where encrypted); the problems of the settings file
 * are prefixed so people know which.
 */
export async function checkProfile(
  dataDir: string,
  depth: IntegrityDepth,
  key: DatabaseKey,
  now = new Date(),
): Promise<IntegrityReport> {
  const files = await profileDatabaseFiles(dataDir);
  return profileReport(
    checkDatabaseFile(files.catalog, depth, key, now),
    checkDatabaseFile(files.local, depth, key, now),
  );
}

/** `checkProfile` off the main thread (see `checkInWorker`); `stop` ends it when the profile closes first. */
export async function checkProfileInWorker(
  dataDir: string,
  depth: IntegrityDepth,
  key: DatabaseKey,
): Promise<{ result: Promise<IntegrityReport>; stop(): Promise<void> }> {
  const files = await profileDatabaseFiles(dataDir);
  const check = checkInWorker([files.catalog, files.local], depth, key);
  return { result: check.result.then(([catalog, local]) => profileReport(catalog!, local!)), stop: check.stop };
}

/** One report of the two files; `depth` is what both got (the check at open runs quick_check on small files only). */
function profileReport(catalog: IntegrityReport, local: IntegrityReport): IntegrityReport {
  const problems = [...catalog.problems, ...local.problems.map((problem) => `Settings file: ${problem}`)];
  const keyMissing = catalog.keyMissing === true || local.keyMissing === true;
  return {
    ok: problems.length === 0,
    ...(keyMissing ? { keyMissing } : {}),
    depth: catalog.depth === local.depth ? catalog.depth : 'open',
    problems,
    checkedAt: catalog.checkedAt,
  };
}

/**
 * Encrypts the profile's files that are still plain (made before encryption, or while the OS had no
 * keyring) with `key`, once; see `encryptDatabaseFile` for why a kill -9 loses nothing. A file that
 * cannot be converted (damaged) stays as it is: the check at open then finds it. Returns the problems.
 */
export async function encryptProfile(dataDir: string, key: Buffer): Promise<string[]> {
  const files = await profileDatabaseFiles(dataDir);
  const problems: string[] = [];
  for (const file of [files.catalog, files.local]) {
    try {
      encryptDatabaseFile(file, key);
    } catch (error) {
      problems.push(`${file} could not be encrypted: ${(error as Error).message}`);
    }
  }
  return problems;
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
