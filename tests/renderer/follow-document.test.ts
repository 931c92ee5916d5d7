import { describe, expect, it } from 'vitest';
import {
  choose,
  contestRefused,
  edit,
  followDocument,
  freshState,
  updatePayload,
} from '../../renderer/src/forms/follow-document';
import { toFormValues } from '../../renderer/src/forms/form-values';

const opened = toFormValues('video', { title: 'Morning walk', description: 'By the river', people: ['p1'] });
const stored = (fields: Record<string, unknown>) =>
  toFormValues('video', { title: 'Morning walk', description: 'By the river', people: ['p1'], ...fields });

describe('an open editor follows its document', () => {
  it('updates untouched fields in place and says which', () => {
    const typed = edit(freshState(opened), { description: 'Along the dam' });
    const { state, followed, contested } = followDocument(typed, stored({ title: 'Evening walk' }), 'Eddie');
    expect(followed).toEqual(['title']);
    expect(contested).toEqual([]);
    expect(state.values).toMatchObject({ title: 'Evening walk', description: 'Along the dam' });
    // The save names the stored title as its base only where it changes something: here only the description.
    expect(updatePayload('video', state)).toEqual({
      fields: { description: 'Along the dam' },
      bases: { description: 'By the river' },
    });
  });

  it('holds a field the person changed that changed underneath as a contest, keeping both values', () => {
    const typed = edit(freshState(opened), { title: 'Walk at noon' });
    const { state, contested } = followDocument(typed, stored({ title: 'Evening walk' }), 'Eddie');
    expect(contested).toEqual(['title']);
    expect(state.values.title).toBe('Walk at noon');
    expect(state.contested.title).toEqual({ theirs: 'Evening walk', by: 'Eddie' });
    // Until chosen, a save would still name the old base, which the core refuses: nothing is overwritten.
    expect(updatePayload('video', state).bases).toEqual({ title: 'Morning walk' });
  });

  it('keeps mine against the stored value as the new base, or takes theirs and sends nothing', () => {
    const typed = edit(freshState(opened), { title: 'Walk at noon' });
    const { state } = followDocument(typed, stored({ title: 'Evening walk' }), 'Eddie');
    const mine = choose(state, 'title', 'mine');
    expect(mine.contested).toEqual({});
    expect(updatePayload('video', mine)).toEqual({
      fields: { title: 'Walk at noon' },
      bases: { title: 'Evening walk' },
    });
    const theirs = choose(state, 'title', 'theirs');
    expect(theirs.values.title).toBe('Evening walk');
    expect(updatePayload('video', theirs).fields).toEqual({});
  });

  it('decides a contest when the person types into the field', () => {
    const typed = edit(freshState(opened), { title: 'Walk at noon' });
    const { state } = followDocument(typed, stored({ title: 'Evening walk' }), 'Eddie');
    const retyped = edit(state, { title: 'Evening walk at noon' });
    expect(retyped.contested).toEqual({});
    expect(updatePayload('video', retyped).bases).toEqual({ title: 'Evening walk' });
  });

  it('is no contest when both sides made the same change, or the other side went back', () => {
    const typed = edit(freshState(opened), { title: 'Evening walk' });
    const same = followDocument(typed, stored({ title: 'Evening walk' }), 'Eddie');
    expect(same.contested).toEqual([]);
    expect(updatePayload('video', same.state).fields).toEqual({});

    const other = followDocument(edit(freshState(opened), { title: 'Noon' }), stored({ title: 'X' }), 'Eddie');
    const back = followDocument(other.state, stored({}), 'Eddie');
    expect(back.state.contested).toEqual({});
    expect(updatePayload('video', back.state).bases).toEqual({ title: 'Morning walk' });
  });

  it('merges list fields as sets instead of asking', () => {
    const typed = edit(freshState(opened), { people: ['p1', 'p2'] });
    const { state, merged } = followDocument(typed, stored({ people: ['p3'] }), 'Eddie');
    expect(merged).toEqual(['people']);
    expect(state.values.people).toEqual(['p3', 'p2']);
    expect(updatePayload('video', state)).toEqual({ fields: { people: ['p3', 'p2'] }, bases: { people: ['p3'] } });
  });

  it('turns a refused save (CONFLICT) into contests with the stored values as the form shows them', () => {
    const typed = edit(freshState(opened), { title: 'Noon', episode: '3' });
    const ada = { id: 'ada', name: 'Ada' };
    const state = contestRefused('video', typed, [
      { field: 'title', base: 'Morning walk', yours: 'Noon', stored: 'Evening walk', changedBy: ada, changedAt: null },
      { field: 'episode', base: null, yours: 3, stored: 2, changedBy: null, changedAt: null },
    ]);
    expect(state.contested).toEqual({
      title: { theirs: 'Evening walk', by: 'Ada' },
      episode: { theirs: '2', by: null },
    });
    expect(state.values).toMatchObject({ title: 'Noon', episode: '3' });
    expect(updatePayload('video', choose(state, 'episode', 'mine'))).toMatchObject({
      fields: { episode: 3 },
      bases: { episode: 2 },
    });
  });
});
