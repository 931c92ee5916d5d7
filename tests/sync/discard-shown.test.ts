import { describe, expect, it } from 'vitest';
import { ClientError } from './client-process';
import { eventually, inSync, serverSnapshot, useTestTeam } from './harness';

/**
 * CLIENT-10: a discard of waiting changes names the changes its question showed, each with its waiting
 * version. A change made after the list was taken (another window of the profile, or this one) is never
 * discarded unseen: an entry changed again is refused with nothing dropped, and one that began waiting
 * after keeps its change.
 */
const team = useTestTeam([
  ['alice', 'editor', 'Alice'],
  ['root', 'admin', 'Root'],
]);

type Waiting = { type: string; id: string; rev: string | null; title: string; kind: string; fields: string[] };

describe('discarding the waiting changes a question showed', { timeout: 120_000 }, () => {
  it('CLIENT-10: a change made after the list was shown is not discarded; the refusal names it', async () => {
    const alice = await team.signedIn('alice');
    const rex = await alice.call('entities.create', { type: 'dog', fields: { name: 'Rex', breed: 'Collie' } });
    const talks = await alice.call('entities.create', { type: 'series', fields: { name: 'Talks' } });
    await inSync(alice);
    await alice.proxy.setOnline(false);
    await eventually(() => expect(alice.status?.phase).toBe('offline'));

    const edited = await alice.call('entities.update', {
      type: 'dog',
      id: rex.id,
      rev: rex.rev,
      fields: { breed: 'Beagle' },
    });
    await alice.call('trash.trash', { items: [{ type: 'series', id: talks.id }] });
    // The question opens: this is the list it shows.
    const shown = await alice.call<Waiting[]>('sync.waiting');
    expect(shown).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: rex.id, rev: edited.rev, kind: 'changed', fields: ['breed'] }),
        expect.objectContaining({ id: talks.id, kind: 'trashed', fields: [] }),
      ]),
    );

    // While it is open, Rex is changed again and a new series begins waiting.
    await alice.call('entities.update', { type: 'dog', id: rex.id, rev: edited.rev, fields: { color: 'Black' } });
    const later = await alice.call('entities.create', { type: 'series', fields: { name: 'Made after' } });

    const refused = await alice.call('sync.discardWaiting', { entries: shown }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ClientError);
    expect((refused as ClientError).code).toBe('CONFLICT');
    expect((refused as ClientError).message).toMatch(/^Dog “Rex” changed again after the list was shown/);
    expect((refused as ClientError).message).toMatch(/nothing was discarded/);
    // Nothing was dropped: every change still waits, as it was.
    expect(await alice.call('entities.get', { type: 'dog', id: rex.id })).toMatchObject({
      breed: 'Beagle',
      color: 'Black',
    });
    expect((await alice.call('entities.get', { type: 'series', id: talks.id })).deletedAt).not.toBeNull();
    expect(alice.status?.pending).toBe(3);

    // The question shows the list again; the person discards Rex and Talks, not the series they never saw.
    const shownAgain = (await alice.call<Waiting[]>('sync.waiting')).filter((entry) => entry.id !== later.id);
    expect(shownAgain.find((entry) => entry.id === rex.id)?.fields.sort()).toEqual(['breed', 'color']);
    expect(await alice.call('sync.discardWaiting', { entries: shownAgain })).toEqual({ discarded: 2 });
    expect(await alice.call('entities.get', { type: 'dog', id: rex.id })).toMatchObject({
      breed: 'Collie',
      rev: rex.rev,
    });
    expect((await alice.call<Waiting[]>('sync.waiting')).map((entry) => entry.title)).toEqual(['Made after']);

    // Back online, the unseen series is sent; the discarded changes are not.
    await alice.proxy.setOnline(true);
    await inSync(alice);
    const onServer = await serverSnapshot(team.server, 'root');
    expect(onServer.series![later.id]).toMatchObject({ name: 'Made after' });
    expect(onServer.series![talks.id]!.deletedAt).toBeNull();
    expect(onServer.dog![rex.id]).toMatchObject({ breed: 'Collie', rev: rex.rev });
    await alice.dispose();
  });

  it('CLIENT-10: a discard names what it drops: without the shown list it is refused', async () => {
    const alice = await team.signedIn('alice');
    await alice.proxy.setOnline(false);
    await eventually(() => expect(alice.status?.phase).toBe('offline'));
    await alice.call('entities.create', { type: 'series', fields: { name: 'Not named' } });
    const refused = await alice.call('sync.discardWaiting').catch((error: unknown) => error);
    expect((refused as ClientError).code).toBe('VALIDATION');
    expect(alice.status?.pending).toBe(1);
    await alice.dispose();
  });
});
