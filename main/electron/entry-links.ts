import { resolve } from 'node:path';
import {
  entryHash,
  entryLinkInArgs,
  LINK_SCHEME,
  parseEntryLink,
  type EntryLinkResult,
  type EntryLinkTarget,
} from '../../shared/entry-link';

/** What the link router needs from the app: the window to open an entry in, and a way to say no. */
export interface LinkHost {
  /** Brings the window forward and opens the entry (the window may have to be created first). */
  open(target: EntryLinkTarget): void;
  /** A link that names no entry: the sentence says what is wrong and what a link looks like. */
  refuse(error: string): void;
}

/**
 * Routes `curio://` links from the OS to the window. Links can arrive before the window exists
 * (macOS sends 'open-url' before 'ready'; Windows and Linux pass the first link in argv), so they
 * wait until `ready()`; only the last one waiting is opened (or refused), as a user who clicked
 * twice expects.
 */
export function createLinkRouter(host: LinkHost) {
  let ready = false;
  let waiting: EntryLinkResult | null = null;
  const route = (parsed: EntryLinkResult) => (parsed.ok ? host.open(parsed.target) : host.refuse(parsed.error));
  function receive(link: string): void {
    const parsed = parseEntryLink(link);
    if (ready) route(parsed);
    else waiting = parsed;
  }
  return {
    /** A link from 'open-url' (macOS). */
    receive,
    /** The arguments of a launch (this one, or a second instance's): the link among them, if any. */
    receiveArgs(args: readonly string[]): void {
      const link = entryLinkInArgs(args);
      if (link) receive(link);
    },
    /** The window can open entries now: the link that waited opens. */
    ready(): void {
      ready = true;
      if (waiting) route(waiting);
      waiting = null;
    },
  };
}

/** The window address that opens `target`: the app's page with the entry's route as its hash. */
export function addressOf(pageUrl: string, target: EntryLinkTarget): string {
  return `${pageUrl.replace(/#.*$/, '')}${entryHash(target)}`;
}

/**
 * How to register Curio as the `curio:` handler. An installed app registers itself; a development
 * run (`electron .`, where `process.defaultApp` is set) must name the app folder, or the OS would
 * start a bare Electron.
 */
export function protocolClientArgs(run: {
  defaultApp: boolean;
  execPath: string;
  argv: readonly string[];
}): [scheme: string, path?: string, args?: string[]] {
  const appPath = run.argv[1];
  if (!run.defaultApp || !appPath) return [LINK_SCHEME];
  return [LINK_SCHEME, run.execPath, [resolve(appPath)]];
}
