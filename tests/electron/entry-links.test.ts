import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENTITY_TYPES } from '../../shared/entities';
import {
  entryHash,
  entryLink,
  entryLinkInArgs,
  LINK_SCHEME,
  parseEntryHash,
  parseEntryLink,
} from '../../shared/entry-link';
import { addressOf, createLinkRouter, protocolClientArgs } from '../../main/electron/entry-links';

const id = randomUUID();

/** The error of a refused link (the test fails if it was accepted). */
function refusal(text: string): string {
  const parsed = parseEntryLink(text);
  if (parsed.ok) throw new Error(`${text} was accepted`);
  return parsed.error;
}

describe('entry links', () => {
  it('round-trips every entry type through curio:// and the hash route', () => {
    for (const type of ENTITY_TYPES) {
      expect(parseEntryLink(entryLink({ type, id }))).toEqual({ ok: true, target: { type, id } });
      expect(parseEntryHash(entryHash({ type, id }))).toEqual({ ok: true, target: { type, id } });
    }
    expect(entryLink({ type: 'person', id })).toBe(`curio://entry/person/${id}`);
    expect(entryHash({ type: 'person', id })).toBe(`#/entry/person/${id}`);
  });

  it('takes an upper-case id and scheme, and the trailing slash Windows appends', () => {
    expect(parseEntryLink(`CURIO://entry/dog/${id.toUpperCase()}/`)).toEqual({ ok: true, target: { type: 'dog', id } });
  });

  it('refuses an unknown type, naming the known ones', () => {
    expect(refusal(`curio://entry/cat/${id}`)).toMatch(/"cat" is not an entry type; Curio knows video, person/);
  });

  it('refuses an id that is not an entry id', () => {
    expect(refusal('curio://entry/person/42')).toMatch(/"42" is not an entry id/);
    expect(refusal('curio://entry/person/%E0%A4%A')).toMatch(/is not an entry id/);
    expect(refusal('curio://entry/person/%2e%2e')).toMatch(/too few parts/);
  });

  it('refuses missing and extra parts, queries and fragments', () => {
    expect(refusal(`curio://entry/person/${id}/history`)).toMatch(/too many parts/);
    expect(refusal('curio://entry/person')).toMatch(/too few parts/);
    expect(refusal(`curio://settings/person/${id}`)).toMatch(/does not point to an entry/);
    expect(refusal(`curio://entry/person/${id}?edit=1`)).toMatch(/carries more than an entry/);
    expect(refusal(`curio://entry/person/${id}#x`)).toMatch(/carries more than an entry/);
  });

  it('refuses other schemes and text that is no link, saying what a link looks like', () => {
    expect(refusal(`https://entry/person/${id}`)).toMatch(/"https:" links are not Curio's/);
    expect(refusal(`app://curio/entry/person/${id}`)).toMatch(/"app:" links are not Curio's/);
    expect(refusal('not a link')).toMatch(/is not a link\. A link looks like curio:\/\/entry\/person\/<id>/);
  });

  it('tells hashes that are no entry route (the launch token) from broken entry routes', () => {
    expect(parseEntryHash('')).toBeNull();
    expect(parseEntryHash('#token=abc')).toBeNull();
    expect(parseEntryHash('#/entry/cat/1')).toMatchObject({ ok: false });
  });

  it('finds the link among the arguments a second instance was started with', () => {
    const link = entryLink({ type: 'video', id });
    expect(entryLinkInArgs(['/opt/Curio/curio', '--no-sandbox', link])).toBe(link);
    expect(entryLinkInArgs(['/opt/Curio/curio', '.'])).toBeNull();
  });
});

describe('link routing in the main process', () => {
  function router() {
    const opened: unknown[] = [];
    const refused: string[] = [];
    const links = createLinkRouter({ open: (t) => void opened.push(t), refuse: (e) => void refused.push(e) });
    return { links, opened, refused };
  }

  it('keeps a link that arrives before the window (macOS open-url, first launch) until it is ready', () => {
    const { links, opened } = router();
    links.receive(entryLink({ type: 'person', id: randomUUID() }));
    links.receiveArgs(['curio', entryLink({ type: 'dog', id })]);
    expect(opened).toEqual([]);
    links.ready();
    expect(opened).toEqual([{ type: 'dog', id }]);
    links.ready();
    expect(opened).toHaveLength(1);
  });

  it('tells about a bad link given at start-up once the window is there', () => {
    const { links, refused } = router();
    links.receiveArgs(['curio', 'curio://entry/person/42']);
    expect(refused).toEqual([]);
    links.ready();
    expect(refused).toEqual([expect.stringMatching(/"42" is not an entry id/)]);
  });

  it("opens a second instance's link at once, and refuses a bad one with its reason", () => {
    const { links, opened, refused } = router();
    links.ready();
    links.receiveArgs(['curio', '--flag', entryLink({ type: 'trip', id })]);
    links.receiveArgs(['curio']);
    links.receive('curio://entry/cat/1');
    expect(opened).toEqual([{ type: 'trip', id }]);
    expect(refused).toEqual([expect.stringMatching(/"cat" is not an entry type/)]);
  });

  it('points the window at the entry route, replacing any earlier one', () => {
    expect(addressOf('app://curio/index.html', { type: 'person', id })).toBe(
      `app://curio/index.html#/entry/person/${id}`,
    );
    expect(addressOf(`app://curio/index.html#/entry/dog/${id}`, { type: 'video', id })).toBe(
      `app://curio/index.html#/entry/video/${id}`,
    );
  });

  it('registers the installed app as is, and a development run with its app folder', () => {
    expect(protocolClientArgs({ defaultApp: false, execPath: '/opt/Curio/curio', argv: ['/opt/Curio/curio'] })).toEqual(
      ['curio'],
    );
    expect(protocolClientArgs({ defaultApp: true, execPath: '/x/electron', argv: ['/x/electron', '.'] })).toEqual([
      'curio',
      '/x/electron',
      [resolve('.')],
    ]);
  });
});

describe('packaging', () => {
  it('declares the link scheme for the installers (macOS needs it in Info.plist)', async () => {
    const { getConfig } = await import('app-builder-lib/out/util/config/config.js');
    const config = await getConfig(resolve(import.meta.dirname, '../..'), 'electron-builder.yml', null);
    const protocols = [config.protocols ?? []].flat();
    expect(protocols.flatMap((p) => p.schemes)).toContain(LINK_SCHEME);
  });
});
