import { randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../shared/errors';

const IDENTITY_FILE = 'device.json';

/** Who this installation is: a device id that audit entries carry, fixed for the life of the data folder. */
export interface DeviceIdentity {
  deviceId: string;
  /** The RxDB database name; derived from the device id so two profiles never share a name in one process. */
  databaseName: string;
}

/** Reads the device identity of `dataDir`, creating it on first use. */
export async function loadDeviceIdentity(dataDir: string): Promise<DeviceIdentity> {
  await mkdir(dataDir, { recursive: true });
  const path = join(dataDir, IDENTITY_FILE);
  let deviceId: string;
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as { deviceId?: unknown };
    if (typeof parsed.deviceId !== 'string' || !/^[0-9a-f-]{36}$/.test(parsed.deviceId)) {
      throw new AppError('BAD_FILE', `${path} has no valid device id. Restore it from a backup or remove the folder.`);
    }
    deviceId = parsed.deviceId;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    deviceId = randomUUID();
    // `wx` never overwrites: a racing second opener fails loudly instead of forking the identity.
    await writeFile(path, JSON.stringify({ deviceId }, null, 2) + '\n', { flag: 'wx' });
  }
  return { deviceId, databaseName: `curio-${deviceId.slice(0, 8)}` };
}
