import { describe, expect, it } from 'vitest';
import { eventually, useTestTeam } from './harness';

/**
 * The "not sent" list is followed live (sync.onWaiting), and each list it sends is every waiting change.
 * Before, it was read again after each change of a burst: discarding 3,000 waiting changes while the list
 * was open read the whole list 3,000 times, each read waiting its turn between two discards, so the discard
 * took 50 s instead of 3 s, and would have taken hours with 100,000.
 */
const team = useTestTeam([
  ['alice', 'editor', 'Alice'],
  ['root', 'admin', 'Root'],
]);

const WAITING = 500;

describe('following the not-sent list', { timeout: 120_000 }, () => {
  it('CLIENT-10: a discard of hundreds of waiting changes while the list is followed sends a few lists, not one per change', async () => {
    const alice = await team.signedIn('alice');
    const admin = await team.signedIn('root');
    const { sessions } = await admin.call<{ sessions: { id: string; username: string }[] }>('team.sessions');
    for (const session of sessions.filter((each) => each.username === 'alice')) {
      await admin.call('team.revokeSession', { id: session.id });
    }
    for (let made = 0; made < WAITING; made += 100) {
      await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          alice.call('entities.create', { type: 'dog', fields: { name: `Waiting ${made + i}` } }),
        ),
      );
    }
    await eventually(() => expect(alice.status?.phase).toBe('paused'));
    const waiting = await alice.call<{ type: string; id: string; rev: string | null }[]>('sync.waiting');
    expect(waiting).toHaveLength(WAITING);

    const following = alice.request<number[]>({ op: 'waitingSubscription' });
    const discarded = await alice.call<{ discarded: number }>('sync.discardWaiting', {
      entries: waiting.map(({ type, id, rev }) => ({ type, id, rev })),
    });
    expect(discarded.discarded).toBe(WAITING);
    const lengths = await following;
    expect(lengths[0]).toBe(WAITING);
    expect(lengths.at(-1)).toBe(0);
    // One list per moment of the discard; a list per discarded change would be about WAITING of them.
    expect(lengths.length).toBeLessThan(WAITING / 5);
  });
});
