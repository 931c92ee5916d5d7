import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** What "Copy diagnostics" reports. Sync facts are picked field by field: nothing else of the status leaves. */
export interface DiagnosticsFacts {
  app: { version: string; packaged: boolean };
  /** electron, chrome, node, v8 and the OS. */
  versions: Record<string, string | undefined>;
  dataFolder: string;
  logFile: string | null;
  sync: {
    phase: string;
    serverUrl: string | null;
    user: { username: string; role: string } | null;
    pending: number;
    notSentReason: string | null;
    lastSyncAt: string | null;
    lastError: string | null;
  };
  lastErrors: RecentError[];
  crashDumps: CrashDump[];
}

export interface RecentError {
  at: string;
  message: string;
}

export interface CrashDump {
  file: string;
  at: string;
  bytes: number;
}

/** Secrets that can turn up in error text, and what replaces them. */
const REDACTIONS: [RegExp, string][] = [
  // JSON Web Tokens (the sync server's access tokens).
  [/\beyJ[\w-]+\.[\w-]+\.[\w-]*/g, '[redacted]'],
  [/\b(Bearer|Basic)\s+[\w.~+/=-]+/gi, '$1 [redacted]'],
  // key=value and "key": "value" pairs whose key names a secret (refreshToken, password, setupCode, ...).
  [
    /\b([\w-]*(?:token|password|passwd|secret|api[-_]?key|authorization|cookie|code)["']?\s*[:=]\s*)("[^"]*"|'[^']*'|[^\s,;&}]+)/gi,
    '$1[redacted]',
  ],
  // Credentials in a URL.
  [/\/\/[^/\s:@]+:[^/\s@]+@/g, '//[redacted]@'],
  // Anything that looks like a key: 32 or more letters, digits, - or _ in a row.
  [/\b[A-Za-z0-9_-]{32,}/g, '[redacted]'],
];

/** Replaces secrets in free text (error messages, log lines) with [redacted]. */
export function redactSecrets(text: string): string {
  return REDACTIONS.reduce((result, [pattern, replacement]) => result.replace(pattern, replacement), text);
}

/**
 * An error message fit for diagnostics: secrets redacted and quoted text (entry names, field values from
 * the catalog) left out, since error messages quote what the person typed.
 */
export function safeMessage(text: string): string {
  return redactSecrets(text)
    .replace(/"[^"\n]*"|“[^”\n]*”|‘[^’\n]*’|'[^'\n]{2,}'/g, '"…"')
    .slice(0, 500);
}

/** The server's address without credentials, query or fragment (which could carry a token). */
function safeUrl(url: string | null): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return '[not a URL]';
  }
}

/** The last few errors the main process logged, oldest first. */
export function createRecentErrors(limit = 20, now = () => new Date()) {
  const errors: RecentError[] = [];
  return {
    record(message: string): void {
      errors.push({ at: now().toISOString(), message: safeMessage(message) });
      if (errors.length > limit) errors.shift();
    },
    list: (): RecentError[] => [...errors],
  };
}
export type RecentErrors = ReturnType<typeof createRecentErrors>;

/** Crash dumps Electron's crashReporter kept (uploads are off), newest first. */
export async function listCrashDumps(folder: string): Promise<CrashDump[]> {
  const found: CrashDump[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return; // No crash yet: Crashpad makes the folder on demand.
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.name.endsWith('.dmp')) {
        const info = await stat(path);
        found.push({ file: path, at: info.mtime.toISOString(), bytes: info.size });
      }
    }
  };
  await walk(folder);
  return found.sort((a, b) => b.at.localeCompare(a.at));
}

/** The text "Copy diagnostics" puts on the clipboard. */
export function diagnosticsText(facts: DiagnosticsFacts): string {
  const { sync } = facts;
  const versions = Object.entries(facts.versions)
    .filter(([, value]) => value)
    .map(([name, value]) => `${name} ${value}`)
    .join(', ');
  const lines = [
    `Curio ${facts.app.version}${facts.app.packaged ? '' : ' (development run)'}`,
    `Versions: ${versions}`,
    `Data folder: ${facts.dataFolder}`,
    `Log file: ${facts.logFile ?? 'none'}`,
    `Sync: ${sync.phase}` +
      (sync.serverUrl ? ` with ${safeUrl(sync.serverUrl)}` : '') +
      (sync.user ? ` as ${sync.user.username} (${sync.user.role})` : '') +
      `; ${sync.pending} waiting; last synced ${sync.lastSyncAt ?? 'never'}`,
    ...(sync.notSentReason ? [`Not sent: ${safeMessage(sync.notSentReason)}`] : []),
    ...(sync.lastError ? [`Last sync problem: ${safeMessage(sync.lastError)}`] : []),
    `Last errors (${facts.lastErrors.length}):`,
    ...facts.lastErrors.map((error) => `  ${error.at} ${safeMessage(error.message)}`),
    `Crash dumps (${facts.crashDumps.length}, kept on this computer, never uploaded):`,
    ...facts.crashDumps.map((dump) => `  ${dump.at} ${dump.file} (${dump.bytes} bytes)`),
  ];
  return lines.join('\n') + '\n';
}
