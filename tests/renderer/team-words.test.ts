import { describe, expect, it } from 'vitest';
import { toServerFilter } from '../../renderer/src/screens/team/server-audit-filter';
import { describeConsequence, describeState, describeUserChange } from '../../renderer/src/screens/team/user-change';
import { pageRange } from '../../renderer/src/lib/words';

const eddie = {
  id: 'u2',
  username: 'eddie',
  name: 'Eddie',
  role: 'editor' as const,
  disabled: false,
  lockedUntil: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  invited: false,
  setupCode: null,
  lastSignIn: null,
  liveSessions: 2,
};

describe('what the Team screen says before a change', () => {
  it('names the devices the server says will be signed out, now or when the code is used', () => {
    const devices = ["Eddie's laptop", "Eddie's phone"];
    expect(describeConsequence('Eddie', { sessionsEnded: 2, devices, when: 'now' })).toBe(
      "Eddie will be signed out on 2 devices (Eddie's laptop, Eddie's phone).",
    );
    expect(describeConsequence('Eddie', { sessionsEnded: 1, devices: devices.slice(0, 1), when: 'code-used' })).toBe(
      "When Eddie uses the code, Eddie will be signed out on 1 device (Eddie's laptop).",
    );
    expect(describeConsequence('Eddie', { sessionsEnded: 0, devices: [], when: 'none' })).toBe(
      'Eddie is signed in on no device, so nobody is signed out.',
    );
  });

  it('says how many signed-in devices learn of a role change, the verb agreeing with the count', () => {
    const viewer = { kind: 'role' as const, role: 'viewer' as const };
    expect(describeUserChange(eddie, viewer, 1)).toContain('; 1 device signed in learns it within seconds.');
    expect(describeUserChange(eddie, viewer, 2)).toContain('; 2 devices signed in learn it within seconds.');
    expect(describeUserChange(eddie, viewer, 0)).not.toContain('signed in');
  });

  it('speaks to an admin changing their own account, and says the Team screen closes for them', () => {
    const ada = { ...eddie, username: 'ada', name: 'Ada Admin', role: 'admin' as const };
    expect(describeUserChange(ada, { kind: 'role', role: 'editor' }, 2, true)).toBe(
      'You will become an editor: you can no longer delete entries permanently, purge the trash, restore a backup, ' +
        'resolve conflicts, dismiss conflicts, manage the team. The Team screen closes for you as soon as you confirm, ' +
        'and only another admin can make you an admin again. Changes you have not sent yet stay on your devices, marked "not sent".',
    );
    expect(describeUserChange(ada, { kind: 'disable' }, 2, true)).toMatch(
      /^You will be disabled: you are signed out here and on your other devices and can no longer sign in; only another admin/,
    );
    expect(describeUserChange(ada, { kind: 'role', role: 'editor' }, 2, false)).toMatch(
      /^Ada Admin will become an editor/,
    );
  });

  it('says enabling signs nobody out and keeps the role', () => {
    expect(describeUserChange(eddie, { kind: 'enable' }, 0)).toBe(
      'Eddie will be enabled: can sign in and sync again as an editor. Nobody is signed out.',
    );
  });

  it('shows an open invitation, a withdrawn one and a disabled account in the state column', () => {
    const code = { kind: 'invitation' as const, createdAt: eddie.createdAt, expiresAt: eddie.createdAt, expired: true };
    expect(describeState({ ...eddie, invited: true, setupCode: code })).toMatch(/^invited; the code expired /);
    expect(describeState({ ...eddie, invited: true })).toBe('invited; no open code');
    expect(describeState({ ...eddie, setupCode: { ...code, kind: 'reset', expired: false } })).toMatch(
      /^password reset pending; the code expires /,
    );
    expect(describeState({ ...eddie, disabled: true, invited: true })).toBe('disabled');
  });
});

describe('the server audit filter', () => {
  it('sends whole local days, both ends included, and leaves empty fields out', () => {
    const filter = toServerFilter({ actor: ' eddie ', action: '', from: '2026-03-01', to: '2026-03-02' });
    expect(filter).toEqual({
      actor: 'eddie',
      from: new Date(2026, 2, 1, 0, 0, 0, 0).toISOString(),
      to: new Date(2026, 2, 2, 23, 59, 59, 999).toISOString(),
    });
    expect(toServerFilter({ actor: '', action: 'login.failed', from: '', to: '' })).toEqual({ action: 'login.failed' });
  });

  it('words a page of a long list', () => {
    expect(pageRange('Users', 50, 50, 1000, 'none')).toBe('Users 51–100 of 1,000');
    expect(pageRange('Users', 0, 0, 0, 'No users match.')).toBe('No users match.');
  });
});
