import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Core, openCore } from '../../main/core';
import { createMenuActions, type MenuDialogs } from '../../main/electron/menu-actions';
import { menuCoreOf } from '../../main/electron/menu-core';

/** Native dialogs cannot open here: this stand-in answers as scripted and records what it showed. */
function scriptedDialogs(answers: { open?: string | null; save?: string | null; confirm?: boolean }) {
  const shown: { kind: string; message: string; detail?: string }[] = [];
  const dialogs: MenuDialogs = {
    openFile: async () => answers.open ?? null,
    saveFile: async () => answers.save ?? null,
    confirm: async ({ message }) => {
      shown.push({ kind: 'confirm', message });
      return answers.confirm ?? false;
    },
    inform: async (info) => void shown.push(info),
  };
  return { dialogs, shown };
}

let dir: string;
const cores: Core[] = [];
/** One core at a time: RxDB's free tier caps the open collections per process. */
async function core(name: string): Promise<Core> {
  for (const previous of cores.splice(0)) await previous.close();
  const opened = await openCore({ dataDir: join(dir, name), actor: { id: 'local:ada', name: 'Ada' } });
  cores.push(opened);
  return opened;
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'curio-menu-'));
});
afterEach(async () => {
  for (const opened of cores.splice(0)) await opened.close();
  await rm(dir, { recursive: true, force: true });
});

const names = async (c: Core) =>
  (await c.createCaller().entities.list({ type: 'person' })).items
    .map((item) => (item as { name: string }).name)
    .sort();

describe('File menu', () => {
  it('exports one type to CSV and imports it into another profile after confirmation', async () => {
    const source = await core('source');
    await source.createCaller().entities.create({ type: 'person', fields: { name: 'Grace Hopper' } });
    await source.createCaller().entities.create({ type: 'person', fields: { name: 'Alan Turing' } });
    const file = join(dir, 'people.csv');

    const exporting = scriptedDialogs({ save: file });
    await createMenuActions(menuCoreOf(source), exporting.dialogs).exportEntries('person');
    expect(exporting.shown).toEqual([{ kind: 'info', message: 'Exported 2 people.', detail: file }]);
    expect(await readFile(file, 'utf8')).toContain('Grace Hopper');

    const target = await core('target');
    const importing = scriptedDialogs({ open: file, confirm: true });
    await createMenuActions(menuCoreOf(target), importing.dialogs).importEntries('person');
    expect(importing.shown.map((s) => s.message)).toEqual(['Import 2 people?', 'Imported 2 people.']);
    expect(await names(target)).toEqual(['Alan Turing', 'Grace Hopper']);
  });

  it('imports nothing when the user cancels the confirmation', async () => {
    const target = await core('target');
    const file = join(dir, 'people.json');
    await writeFile(file, JSON.stringify([{ name: 'Katherine Johnson' }]));
    const importing = scriptedDialogs({ open: file, confirm: false });
    await createMenuActions(menuCoreOf(target), importing.dialogs).importEntries('person');
    expect(await names(target)).toEqual([]);
  });

  it('lists bad rows by line and field and imports nothing', async () => {
    const target = await core('target');
    const file = join(dir, 'people.csv');
    await writeFile(file, 'name,bio\nEdsger Dijkstra,ok\n,missing name\n');
    const importing = scriptedDialogs({ open: file, confirm: true });
    await createMenuActions(menuCoreOf(target), importing.dialogs).importEntries('person');
    expect(importing.shown).toHaveLength(1);
    expect(importing.shown[0]).toMatchObject({
      kind: 'error',
      message: 'Nothing was imported: 1 problem in the file.',
    });
    expect(importing.shown[0]!.detail).toBe('Line 3, Name: Name is required.');
    expect(await names(target)).toEqual([]);
  });

  it('counts one person in words for one, and names a link by its label', async () => {
    const source = await core('source');
    await source.createCaller().entities.create({ type: 'person', fields: { name: 'Grace Hopper' } });
    const file = join(dir, 'people.csv');
    const exporting = scriptedDialogs({ save: file });
    await createMenuActions(menuCoreOf(source), exporting.dialogs).exportEntries('person');
    expect(exporting.shown.map((s) => s.message)).toEqual(['Exported 1 person.']);

    const target = await core('target');
    const importing = scriptedDialogs({ open: file, confirm: true });
    await createMenuActions(menuCoreOf(target), importing.dialogs).importEntries('person');
    expect(importing.shown.map((s) => s.message)).toEqual(['Import 1 person?', 'Imported 1 person.']);

    const videos = join(dir, 'videos.csv');
    await writeFile(videos, 'title,trip\nLost,Nowhere\n');
    const refusing = scriptedDialogs({ open: videos, confirm: true });
    await createMenuActions(menuCoreOf(target), refusing.dialogs).importEntries('video');
    expect(refusing.shown).toEqual([
      {
        kind: 'error',
        message: 'Nothing was imported: 1 problem in the file.',
        detail: 'Line 2, Trip: No trip named "Nowhere" exists; check the spelling, or add the trip first.',
      },
    ]);
  });

  it('backs the catalog up and restores it into another profile', async () => {
    const source = await core('source');
    await source.createCaller().entities.create({ type: 'person', fields: { name: 'Barbara Liskov' } });
    const file = join(dir, 'backup.json');
    const backingUp = scriptedDialogs({ save: file });
    await createMenuActions(menuCoreOf(source), backingUp.dialogs).backUp();
    expect(backingUp.shown[0]).toMatchObject({ kind: 'info', message: 'The catalog and its audit are backed up.' });
    expect(backingUp.shown[0]!.detail).toMatch(/^\d+ records in /);

    const target = await core('target');
    const restoring = scriptedDialogs({ open: file, confirm: true });
    await createMenuActions(menuCoreOf(target), restoring.dialogs).restoreBackup();
    expect(restoring.shown.at(-1)).toMatchObject({ kind: 'info', message: 'The backup is restored.' });
    expect(restoring.shown.at(-1)!.detail).toBe(
      '1 entry added, 0 updated, 0 unchanged, 0 kept because newer here; 1 audit entry added.',
    );
    expect(await names(target)).toEqual(['Barbara Liskov']);
  });

  it('says in words why a restore failed, and changes nothing', async () => {
    const target = await core('target');
    const file = join(dir, 'not-a-backup.json');
    await writeFile(file, '{"hello":"world"}');
    const restoring = scriptedDialogs({ open: file, confirm: true });
    await createMenuActions(menuCoreOf(target), restoring.dialogs).restoreBackup();
    expect(restoring.shown.at(-1)).toMatchObject({ kind: 'error', message: 'The restore failed.' });
    expect(restoring.shown.at(-1)!.detail?.length).toBeGreaterThan(10);
    expect(await names(target)).toEqual([]);
  });

  it('does nothing when a file dialog is cancelled', async () => {
    const target = await core('target');
    const cancelled = scriptedDialogs({});
    const actions = createMenuActions(menuCoreOf(target), cancelled.dialogs);
    await actions.importEntries('video');
    await actions.exportEntries('video');
    await actions.backUp();
    await actions.restoreBackup();
    expect(cancelled.shown).toEqual([]);
  });
});
