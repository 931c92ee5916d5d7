import { mkdir, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { ROLES } from '../../shared/protocol';
import { replaceFile, type ReplaceFileOptions } from '../files';

const serverUserSchema = z.object({
  id: z.string(),
  username: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
});

/** What the device remembers about its sync server between runs (no secrets). */
export const syncStateSchema = z.object({
  serverUrl: z.string().nullable(),
  user: serverUserSchema.nullable(),
  /** Set once the local profile's work has been handed to a signed-in user. */
  reattributedAt: z.string().nullable(),
  /**
   * When the session ends on the server unless refreshed (AUTH-2), as of its last refresh: a sign-out made
   * after a restart, before the first refresh, still knows when it becomes moot (CLIENT-19).
   */
  sessionExpiresAt: z.string().nullable().optional(),
  /**
   * A pull-only run (a viewer's) ran since the waiting changes were last sent: RxDB took them as sent, so
   * the next run that may push stores them again first (send-again.ts), after a sign-out or a restart too.
   */
  waitingTakenAsSent: z.boolean().optional(),
});
export type SyncState = z.infer<typeof syncStateSchema>;

const EMPTY_STATE: SyncState = { serverUrl: null, user: null, reattributedAt: null };

/**
 * A sign-out the server has not heard of yet (it could not be reached): the session's address and refresh
 * token, all that AUTH-4 needs to revoke it. The token is a secret, kept where the refresh token is.
 */
export const pendingSignOutSchema = z.object({
  serverUrl: z.string(),
  refreshToken: z.string().min(1),
  signedOutAt: z.string(),
  /** When the session ends on the server by itself (AUTH-2); null when the server did not say. */
  sessionExpiresAt: z.string().nullable().optional(),
});
export type PendingSignOut = z.infer<typeof pendingSignOutSchema>;

/** Reads a kept list of pending sign-outs; a damaged one reads as empty (the sessions then expire on the server). */
export function parsePendingSignOuts(text: string | null): PendingSignOut[] {
  if (!text) return [];
  try {
    const parsed = z.array(pendingSignOutSchema).safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

/**
 * Where the secrets of the sync client are kept: the refresh token of the session, and the sign-outs
 * still to be sent (CLIENT-19). The Electron shell passes one backed by `safeStorage`; the default is
 * files only their owner can read.
 */
export interface CredentialStore {
  load(): Promise<string | null>;
  save(refreshToken: string | null): Promise<void>;
  loadSignOuts(): Promise<PendingSignOut[]>;
  saveSignOuts(signOuts: PendingSignOut[]): Promise<void>;
}

export function fileCredentialStore(
  path: string,
  signOutsPath = join(dirname(path), 'sync-sign-outs.json'),
): CredentialStore {
  // The server rotates the token at every refresh and takes the old one no more: a torn or lost write would
  // end the session, so the new one is kept whole and on the disk (flushed) before it is used.
  const replaceToken = serialReplacer(path, { mode: 0o600, flush: true });
  return {
    async loadSignOuts() {
      try {
        return parsePendingSignOuts(await readFile(signOutsPath, 'utf8'));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw error;
      }
    },
    async saveSignOuts(signOuts) {
      if (signOuts.length === 0) return rm(signOutsPath, { force: true });
      await mkdir(dirname(signOutsPath), { recursive: true });
      await replaceFile(signOutsPath, JSON.stringify(signOuts), { mode: 0o600 });
    },
    async load() {
      try {
        const token = (await readFile(path, 'utf8')).trim();
        return token || null;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
    save: replaceToken,
  };
}

/**
 * Saves `path` one write at a time, in the order asked, each whole: the text asked for last is the one kept
 * (null: the file removed, after the writes asked for before).
 */
function serialReplacer(path: string, options?: ReplaceFileOptions): (text: string | null) => Promise<void> {
  let writing: Promise<void> = Promise.resolve();
  const write = async (text: string | null): Promise<void> => {
    if (text === null) return rm(path, { force: true });
    await mkdir(dirname(path), { recursive: true });
    await replaceFile(path, text, options);
  };
  return (text) => {
    writing = writing.catch(() => {}).then(() => write(text));
    return writing;
  };
}

/** The sync state file of a data folder. */
export function syncStateFile(dataDir: string) {
  const path = join(dataDir, 'sync.json');
  const replace = serialReplacer(path);
  return {
    async load(): Promise<SyncState> {
      try {
        const parsed = syncStateSchema.safeParse(JSON.parse(await readFile(path, 'utf8')));
        return parsed.success ? parsed.data : EMPTY_STATE;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return EMPTY_STATE;
        // A damaged state file only costs a sign-in; the catalog is elsewhere.
        if (error instanceof SyntaxError) return EMPTY_STATE;
        throw error;
      }
    },
    /** The state saved last is the one kept: it says what the sync must do next. */
    save(state: SyncState): Promise<void> {
      return replace(JSON.stringify(state, null, 2) + '\n');
    },
  };
}

/**
 * The changes waiting to be pushed, kept close behind the engine's list (`PendingChanges`), so the count
 * is right from the start of the next run, offline included, and a viewer's pull-only run after a crash
 * still knows which documents to hold back and to send again after a promotion. An editor's replication
 * pushes from its own checkpoint whatever the list says.
 */
export function pendingFile(dataDir: string) {
  const path = join(dataDir, 'sync-pending.json');
  const replace = serialReplacer(path);
  return {
    async load(): Promise<[string, string][]> {
      try {
        const parsed = z.array(z.tuple([z.string(), z.string()])).safeParse(JSON.parse(await readFile(path, 'utf8')));
        return parsed.success ? parsed.data : [];
      } catch {
        return [];
      }
    },
    save(entries: [string, string][]): Promise<void> {
      return replace(JSON.stringify(entries));
    },
  };
}
