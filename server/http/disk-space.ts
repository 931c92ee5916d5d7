import { statfs } from 'node:fs/promises';

const MB = 1024 * 1024;

/**
 * Why the disk holding `dir` cannot take the server's writes, or null when it
 * has at least `minFreeBytes` free for unprivileged users (OPS-2). One
 * statfs call: cheap enough for every readiness probe.
 */
export async function diskSpaceProblem(dir: string, minFreeBytes: number): Promise<string | null> {
  try {
    const { bavail, bsize } = await statfs(dir);
    const free = bavail * bsize;
    if (free >= minFreeBytes) return null;
    return (
      `The data disk is full: ${(free / MB).toFixed(1)} MB free in ${dir}, less than the ` +
      `${(minFreeBytes / MB).toFixed(1)} MB the server needs; writes fail until space is freed.`
    );
  } catch (error) {
    return `The data folder ${dir} cannot be checked (${(error as Error).message}).`;
  }
}
