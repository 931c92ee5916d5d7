import { envelopeSchema } from './entities/envelope';
import { ENTITY_TYPES, isEntityType, type EntityType } from './entities/registry';

/**
 * Links to entries, one format for the desktop app and browser mode:
 * `curio://entry/<type>/<id>` for the OS (the app registers the scheme), and the same path in the
 * address's hash, `#/entry/<type>/<id>`, inside the app (browser mode, and the window the desktop
 * app points at a link). Types come from the entity registry; ids are the envelope's.
 */
export const LINK_SCHEME = 'curio';

export interface EntryLinkTarget {
  type: EntityType;
  id: string;
}

export type EntryLinkResult = { ok: true; target: EntryLinkTarget } | { ok: false; error: string };

const EXAMPLE = `${LINK_SCHEME}://entry/person/<id> ("Copy link" on an entry gives one)`;

/** The link the OS opens Curio with. */
export function entryLink(target: EntryLinkTarget): string {
  return `${LINK_SCHEME}://entry/${target.type}/${target.id}`;
}

/** The in-app route of an entry, as an address hash. */
export function entryHash(target: EntryLinkTarget): string {
  return `#/entry/${target.type}/${target.id}`;
}

const refuse = (error: string): EntryLinkResult => ({ ok: false, error: `${error} A link looks like ${EXAMPLE}.` });

/** Checks `entry/<type>/<id>` (the part after the scheme, or after `#/`). */
function parsePath(path: string, whole: string): EntryLinkResult {
  // NOTE: one trailing slash is tolerated: Windows shells append it to some protocol links.
  const parts = path.replace(/\/$/, '').split('/');
  if (parts[0] !== 'entry') return refuse(`"${whole}" does not point to an entry.`);
  if (parts.length !== 3) return refuse(`"${whole}" has ${parts.length < 3 ? 'too few' : 'too many'} parts.`);
  const [, type = '', rawId = ''] = parts;
  if (!isEntityType(type)) {
    return refuse(`"${type}" is not an entry type; Curio knows ${ENTITY_TYPES.join(', ')}.`);
  }
  const id = rawId.toLowerCase();
  if (!envelopeSchema.shape.id.safeParse(id).success) return refuse(`"${rawId}" is not an entry id.`);
  return { ok: true, target: { type, id } };
}

/** Parses a `curio://entry/<type>/<id>` link; any other scheme, query or fragment is refused. */
export function parseEntryLink(text: string): EntryLinkResult {
  const link = text.trim();
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return refuse(`"${link}" is not a link.`);
  }
  if (url.protocol !== `${LINK_SCHEME}:`) return refuse(`"${url.protocol}" links are not Curio's.`);
  if (url.search || url.hash || url.username || url.password || url.port) {
    return refuse(`"${link}" carries more than an entry.`);
  }
  return parsePath(`${url.hostname}${url.pathname}`, link);
}

/** The entry an address hash routes to; null when the hash is no entry route at all (empty, `#token=…`). */
export function parseEntryHash(hash: string): EntryLinkResult | null {
  const route = hash.replace(/^#/, '');
  if (!route.startsWith('/entry')) return null;
  return parsePath(route.slice(1), hash);
}

/** A `curio://` link among a process's arguments (Windows and Linux pass the link to a new instance). */
export function entryLinkInArgs(args: readonly string[]): string | null {
  return args.find((arg) => arg.toLowerCase().startsWith(`${LINK_SCHEME}://`)) ?? null;
}
