import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { replaceFile } from '../files';

/**
 * Where the app keeps secrets such as the sync server's refresh token, by name (for example the
 * server URL). The sync code depends on this interface only; in Electron it is backed by
 * `safeStorage`, in tests and browser mode by memory.
 */
export interface TokenStore {
  get(name: string): Promise<string | null>;
  set(name: string, token: string): Promise<void>;
  delete(name: string): Promise<void>;
  /** False when nothing survives a restart (no OS encryption available): the user signs in again. */
  readonly persistent: boolean;
}

/** The shape of Electron's `safeStorage` that the store needs. */
export interface StringEncryption {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

/** Secrets kept in memory for this run only. */
export function createMemoryTokenStore(): TokenStore {
  const tokens = new Map<string, string>();
  return {
    persistent: false,
    get: async (name) => tokens.get(name) ?? null,
    set: async (name, token) => void tokens.set(name, token),
    delete: async (name) => void tokens.delete(name),
  };
}

/**
 * Secrets encrypted by the OS (Keychain, DPAPI, libsecret/kwallet through `safeStorage`) and kept
 * in one file, readable by the owner only. Without OS encryption it falls back to memory rather
 * than ever writing a token in the clear.
 */
export function createEncryptedTokenStore(options: { file: string; encryption: StringEncryption }): TokenStore {
  const { file, encryption } = options;
  if (!encryption.isEncryptionAvailable()) return createMemoryTokenStore();

  async function readAll(): Promise<Record<string, string>> {
    try {
      const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
      return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, string>) : {};
    } catch {
      return {};
    }
  }

  async function writeAll(entries: Record<string, string>): Promise<void> {
    await mkdir(dirname(file), { recursive: true });
    await replaceFile(file, JSON.stringify(entries), { mode: 0o600 });
  }

  // Writes go one after another, so two quick rotations never interleave their read-modify-write.
  let queue: Promise<unknown> = Promise.resolve();
  const serialize = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };

  return {
    persistent: true,
    get: (name) =>
      serialize(async () => {
        const encrypted = (await readAll())[name];
        if (!encrypted) return null;
        try {
          return encryption.decryptString(Buffer.from(encrypted, 'base64'));
        } catch {
          // Encrypted under another OS key (a restored profile, a changed keyring): sign in again.
          return null;
        }
      }),
    set: (name, token) =>
      serialize(async () => {
        const entries = await readAll();
        entries[name] = encryption.encryptString(token).toString('base64');
        await writeAll(entries);
      }),
    delete: (name) =>
      serialize(async () => {
        const entries = await readAll();
        if (!(name in entries)) return;
        delete entries[name];
        await writeAll(entries);
      }),
  };
}
