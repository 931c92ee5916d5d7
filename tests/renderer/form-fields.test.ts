import { describe, expect, it } from 'vitest';
import { ENTITY_TYPES, entities } from '../../shared/entities';
import { formFieldsOf, humanize } from '../../renderer/src/forms/form-fields';
import {
  changedFields,
  fromFormValues,
  toChanges,
  toFormValues,
  validateForm,
} from '../../renderer/src/forms/form-values';

describe('forms derived from the registry', () => {
  it('gives every entity type a form with its title field first and required', () => {
    for (const type of ENTITY_TYPES) {
      const [first] = formFieldsOf(type);
      expect(first).toMatchObject({ name: entities[type].titleField, required: true, control: { kind: 'text' } });
    }
  });

  it('derives controls for a video: references as pickers, dates, integers, long text', () => {
    const byName = Object.fromEntries(formFieldsOf('video').map((f) => [f.name, f]));
    expect(byName.people?.control).toEqual({ kind: 'reference', target: 'person', many: true });
    expect(byName.people?.label).toBe('People');
    expect(byName.tripId?.control).toEqual({ kind: 'reference', target: 'trip', many: false });
    expect(byName.tripId?.label).toBe('Trip');
    expect(byName.publishedAt?.control).toEqual({ kind: 'date' });
    expect(byName.episode?.control).toEqual({ kind: 'integer', min: 1 });
    expect(byName.description?.control).toMatchObject({ kind: 'text', multiline: true });
    expect(byName.youtubeId?.label).toBe('YouTube id');
  });

  it('groups the photo fields into one control and shows aliases as chips', () => {
    const names = formFieldsOf('dog').map((f) => f.name);
    expect(names).toEqual(['name', 'breed', 'color', 'birthYear', 'aliases', 'photo']);
    expect(formFieldsOf('person').find((f) => f.name === 'aliases')?.control).toEqual({ kind: 'chips' });
  });

  it('round-trips a document through form values, dropping empty inputs', () => {
    const values = toFormValues('dog', { name: 'Rex', birthYear: 2019, aliases: ['R'], photoVisible: false });
    expect(values).toMatchObject({ name: 'Rex', birthYear: '2019', breed: '', aliases: ['R'], photoVisible: false });
    expect(fromFormValues('dog', values)).toEqual({
      name: 'Rex',
      birthYear: 2019,
      aliases: ['R'],
      photoVisible: false,
    });
  });

  it('shows the shared schema messages inline, keyed by field', () => {
    const values = { ...toFormValues('video', null), title: ' ', youtubeId: 'short', duration: '1:99' };
    const messages = validateForm('video', values);
    expect(messages.title).toBe('Title is required.');
    expect(messages.youtubeId).toContain('exactly 11 characters');
    expect(messages.duration).toBe('Minutes and seconds in a duration must be below 60.');
    expect(validateForm('dog', { ...toFormValues('dog', null), name: 'Rex', birthYear: 'soon' }).birthYear).toBe(
      'Birth year must be a number.',
    );
  });

  it('reports cross-field rules on their field', () => {
    const values = { ...toFormValues('trip', null), name: 'Alps', startDate: '2024-05-02', endDate: '2024-05-01' };
    expect(validateForm('trip', values)).toEqual({ endDate: 'End date cannot be before the start date.' });
  });

  it('writes field names in words', () => {
    expect(humanize('birthYear')).toBe('Birth year');
    expect(humanize('photoUrl')).toBe('Photo url');
  });
});

describe('update changes from a form', () => {
  it('sends every field, with emptied optional fields cleared as null', () => {
    const values = { ...toFormValues('dog', { name: 'Rex', breed: 'Collie', aliases: [] }), breed: '' };
    expect(toChanges('dog', values)).toEqual({
      name: 'Rex',
      breed: null,
      color: null,
      birthYear: null,
      aliases: [],
      photoUrl: null,
      photoFile: null,
      photoVisible: true,
    });
  });
});

describe('saving only what changed', () => {
  it('sends the fields that differ from the loaded entry, clearing emptied ones', () => {
    const baseline = toFormValues('dog', { name: 'Rex', breed: 'Collie', color: 'red', aliases: ['R'] });
    const values = { ...baseline, breed: '', aliases: ['R', 'Rexy'] };
    expect(changedFields('dog', values, baseline)).toEqual({ breed: null, aliases: ['R', 'Rexy'] });
    expect(changedFields('dog', baseline, baseline)).toEqual({});
  });
});
