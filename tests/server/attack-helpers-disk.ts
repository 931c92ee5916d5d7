import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A real, small file system that a test can fill up and free again. */
export interface SmallDisk {
  dir: string;
  /** Writes a filler file until the disk answers ENOSPC. */
  fill(): void;
  /** Removes the filler. */
  free(): void;
  unmount(): void;
}

function mountTmpfs(sizeKb: number): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'curio-small-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k`, 'tmpfs', dir], { stdio: 'ignore' });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return dir;
}

/** Whether this machine lets the tests mount a tmpfs (root, and not forbidden by the container). */
export const CAN_MOUNT_SMALL_DISK = ((): boolean => {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  try {
    const dir = mountTmpfs(64);
    execFileSync('umount', [dir], { stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
    return true;
  } catch {
    return false;
  }
})();

/** Mounts a tmpfs of `sizeKb` (see CAN_MOUNT_SMALL_DISK). */
export function mountSmallDisk(sizeKb: number): SmallDisk {
  const dir = mountTmpfs(sizeKb);
  const filler = path.join(dir, 'filler');
  return {
    dir,
    fill() {
      const fd = openSync(filler, 'a');
      const block = Buffer.alloc(16 * 1024);
      try {
        for (;;) writeSync(fd, block);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
      } finally {
        closeSync(fd);
      }
    },
    free() {
      rmSync(filler, { force: true });
    },
    unmount() {
      execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The value of a counter without labels in a /metrics text, 0 when absent. */
export function counterIn(metrics: string, name: string): number {
  const match = new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics);
  return match ? Number(match[1]) : 0;
}
