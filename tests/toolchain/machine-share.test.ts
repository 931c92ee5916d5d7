/**
 * bench:core's local-save note says whether other work shared the machine during the measurement: what the
 * cores did besides the bench's own process, read from /proc/stat over the measurement alone (the load
 * average, a one-minute mean, still counted runs that had ended).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { watchMachineShare } from '../bench/machine';

describe.skipIf(!existsSync('/proc/stat'))('what the machine did besides the bench', () => {
  it('counts another process that keeps a core busy, and none of the time the host took is negative', async () => {
    const share = watchMachineShare();
    const busy = spawn(process.execPath, ['-e', 'const end = Date.now() + 1500; while (Date.now() < end);']);
    await new Promise((resolve) => busy.on('exit', resolve));
    const seen = share();
    // The child ran 1.5 s of the ~1.6 s watched on one core; other tests may add to it, never take from it.
    expect(seen!.othersBusy).toBeGreaterThan(0.6);
    expect(seen!.steal).toBeGreaterThanOrEqual(0);
  });
});
