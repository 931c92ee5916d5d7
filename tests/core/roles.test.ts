import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appErrorOf, openTestCore, type TestCore } from './helpers';

let core: TestCore;
beforeEach(async () => {
  core = await openTestCore();
});
afterEach(async () => {
  await core.dispose();
});

function actAs(role: 'viewer' | 'editor' | 'admin') {
  core.context.setSession({ actor: { id: role, name: `The ${role}` }, role });
}

describe('roles are enforced in the services', () => {
  it('defaults the local user to admin of their own data', async () => {
    expect(await core.call.session.me()).toMatchObject({ role: 'admin', actor: { id: 'alice' } });
  });

  it('lets a viewer read but not write', async () => {
    const dog = await core.call.entities.create({ type: 'dog', fields: { name: 'Rex' } });
    actAs('viewer');
    expect(await core.call.entities.get({ type: 'dog', id: dog.id })).toMatchObject({ name: 'Rex' });
    const error = await appErrorOf(core.call.entities.create({ type: 'dog', fields: { name: 'Max' } }));
    expect(error).toEqual({
      appCode: 'FORBIDDEN',
      fieldErrors: null,
      conflicts: null,
      message: 'Only an editor or admin can create entries; you are signed in as a viewer.',
    });
    for (const call of [
      core.call.entities.update({ type: 'dog', id: dog.id, rev: dog.rev, fields: { color: 'Red' } }),
      core.call.trash.trash({ items: [{ type: 'dog', id: dog.id }] }),
      core.call.backup.importEntities({ type: 'dog', format: 'json', content: '[]' }),
    ]) {
      expect((await appErrorOf(call)).appCode).toBe('FORBIDDEN');
    }
  });

  it('lets an editor write, trash and restore, but not delete permanently or purge', async () => {
    actAs('editor');
    const dog = await core.call.entities.create({ type: 'dog', fields: { name: 'Rex' } });
    await core.call.trash.trash({ items: [{ type: 'dog', id: dog.id }] });
    await core.call.trash.restore({ items: [{ type: 'dog', id: dog.id }] });
    const error = await appErrorOf(
      core.call.trash.deletePermanently({ items: [{ type: 'dog', id: dog.id }], confirm: true }),
    );
    expect(error).toMatchObject({ appCode: 'FORBIDDEN', message: expect.stringContaining('Only an admin can delete') });
    const purge = await appErrorOf(
      (async () => {
        for await (const _ of await core.call.trash.purge({ token: 'any' })) void _;
      })(),
    );
    expect(purge.appCode).toBe('FORBIDDEN');
    expect((await appErrorOf(core.call.trash.purgePreview({}))).appCode).toBe('FORBIDDEN');
    expect(await core.call.entities.get({ type: 'dog', id: dog.id })).toMatchObject({ deletedAt: null });
  });

  it('records the acting user in the envelope and the audit', async () => {
    actAs('editor');
    const dog = await core.call.entities.create({ type: 'dog', fields: { name: 'Rex' } });
    expect(dog.createdBy).toEqual({ id: 'editor', name: 'The editor' });
    const [entry] = (await core.call.audit.query({ entityId: dog.id })).items;
    expect(entry).toMatchObject({ actor: { id: 'editor', name: 'The editor' }, device: core.context.deviceId });
  });
});
