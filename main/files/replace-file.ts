import { open, rename } from 'node:fs/promises';

/** How a replaced file is written: `mode` for a secret only its owner may read, `flush` for one that must outlive a power cut. */
export interface ReplaceFileOptions {
  /** Permission bits of the new file (0o600 for secrets), set whatever the process's umask or an old temporary file. */
  mode?: number;
  /** Flushes the new file to the disk before it replaces the old one (fsync), so a power cut keeps one of the two whole. */
  flush?: boolean;
}

/**
 * Replaces a small file whole: writes `text` aside (`<path>.<pid>.tmp`) and renames it over `path`, so a
 * crash mid-write keeps the previous file, never half of the new one. The folder must exist.
 * NOTE: one process writing the same path twice at once must queue its writes (they share the temporary name).
 */
export async function replaceFile(path: string, text: string, options: ReplaceFileOptions = {}): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  const handle = await open(temporary, 'w', options.mode);
  try {
    await handle.writeFile(text);
    if (options.mode !== undefined) await handle.chmod(options.mode);
    if (options.flush) await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, path);
}
