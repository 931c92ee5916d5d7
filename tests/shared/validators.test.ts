import { describe, expect, it } from 'vitest';
import { entities, type EntityType } from '../../shared/entities';
import { toFieldErrors } from '../../shared/validation';

/** The messages a user would see for `fields` of `type`, keyed by field. */
function messages(type: EntityType, fields: Record<string, unknown>): Record<string, string> {
  const result = entities[type].fieldsSchema.safeParse(fields);
  if (result.success) return {};
  return Object.fromEntries(toFieldErrors(result.error).map((e) => [e.field, e.message]));
}

describe('required fields', () => {
  it.each([
    ['person', 'name', 'Name is required.'],
    ['dog', 'name', 'Name is required.'],
    ['series', 'name', 'Name is required.'],
    ['trip', 'name', 'Name is required.'],
    ['video', 'title', 'Title is required.'],
  ] as const)('%s needs a %s', (type, field, message) => {
    expect(messages(type, {})[field]).toBe(message);
    expect(messages(type, { [field]: '   ' })[field]).toBe(message);
    expect(messages(type, { [field]: 'Ada' })).toEqual({});
  });

  it('limits lengths', () => {
    expect(messages('person', { name: 'x'.repeat(201) }).name).toBe('Name must be at most 200 characters.');
    expect(messages('person', { name: 'x'.repeat(200) })).toEqual({});
    expect(messages('series', { name: 'S', description: 'x'.repeat(10_001) }).description).toBe(
      'Description must be at most 10000 characters.',
    );
  });

  it('refuses unknown fields', () => {
    expect(messages('person', { name: 'Ada', nickname: 'A' })['(document)']).toBe('Unknown field: nickname.');
  });
});

describe('YouTube id', () => {
  const message = 'YouTube id must be exactly 11 characters of letters, digits, "-" or "_" (e.g. dQw4w9WgXcQ).';
  it.each(['dQw4w9WgXcQ', 'a-b_c-d_e-f', '00000000000'])('accepts %s', (youtubeId) => {
    expect(messages('video', { title: 'T', youtubeId })).toEqual({});
  });
  it.each(['dQw4w9WgXc', 'dQw4w9WgXcQQ', 'dQw4w9WgX!Q', 'dQw4w9 gXcQ', ''])('refuses "%s"', (youtubeId) => {
    expect(messages('video', { title: 'T', youtubeId }).youtubeId).toBe(message);
  });
});

describe('duration', () => {
  it.each(['04:05', '4:05', '1:02:03', '12:59:59', '00:00'])('accepts %s', (duration) => {
    expect(messages('video', { title: 'T', duration })).toEqual({});
  });
  it.each([
    ['4:5', 'Duration must look like HH:MM:SS or MM:SS, for example 1:02:03 or 04:05.'],
    ['abc', 'Duration must look like HH:MM:SS or MM:SS, for example 1:02:03 or 04:05.'],
    ['1:2:3:4', 'Duration must look like HH:MM:SS or MM:SS, for example 1:02:03 or 04:05.'],
    ['60:00', 'Minutes and seconds in a duration must be below 60.'],
    ['1:00:60', 'Minutes and seconds in a duration must be below 60.'],
    ['1:5:00', 'In HH:MM:SS the minutes need two digits, for example 1:02:03.'],
  ])('refuses %s', (duration, message) => {
    expect(messages('video', { title: 'T', duration }).duration).toBe(message);
  });
});

describe('dates', () => {
  it('accepts a trip whose end is on or after its start', () => {
    expect(messages('trip', { name: 'T', startDate: '2025-03-01', endDate: '2025-03-01' })).toEqual({});
    expect(messages('trip', { name: 'T', startDate: '2025-03-01', endDate: '2025-03-09' })).toEqual({});
    expect(messages('trip', { name: 'T', endDate: '2025-03-09' })).toEqual({});
  });
  it('refuses a trip that ends before it starts', () => {
    expect(messages('trip', { name: 'T', startDate: '2025-03-09', endDate: '2025-03-01' }).endDate).toBe(
      'End date cannot be before the start date.',
    );
  });
  it.each([
    ['2025-3-1', 'Published date must be a date written as YYYY-MM-DD.'],
    ['2025-02-30', 'Published date is not a real calendar date.'],
    ['yesterday', 'Published date must be a date written as YYYY-MM-DD.'],
  ])('refuses published date %s', (publishedAt, message) => {
    expect(messages('video', { title: 'T', publishedAt }).publishedAt).toBe(message);
  });
  it.each(['2024-02-29', '2000-02-29', '2025-01-31', '2025-04-30', '2025-12-31', '0000-02-29', '9999-12-31'])(
    'accepts the calendar day %s',
    (publishedAt) => {
      expect(messages('video', { title: 'T', publishedAt })).toEqual({});
    },
  );
  it.each([
    '2023-02-29',
    '1900-02-29',
    '2100-02-29',
    '2025-04-31',
    '2025-06-31',
    '2025-00-10',
    '2025-13-01',
    '2025-01-00',
    '2025-01-32',
  ])('refuses %s, no day of the calendar', (publishedAt) => {
    expect(messages('video', { title: 'T', publishedAt }).publishedAt).toBe(
      'Published date is not a real calendar date.',
    );
  });
});

describe('birth year', () => {
  const thisYear = new Date().getUTCFullYear();
  it.each([1950, 2015, thisYear])('accepts %s', (birthYear) => {
    expect(messages('dog', { name: 'Rex', birthYear })).toEqual({});
  });
  it.each([
    [1949, 'Birth year cannot be before 1950.'],
    [thisYear + 1, 'Birth year cannot be in the future.'],
    [2015.5, 'Birth year must be a whole number.'],
    ['2015', 'Birth year must be a number.'],
  ])('refuses %s', (birthYear, message) => {
    expect(messages('dog', { name: 'Rex', birthYear }).birthYear).toBe(message);
  });
});

describe('photo', () => {
  it.each(['https://example.org/a.jpg', 'http://example.org/a.png'])('accepts URL %s', (photoUrl) => {
    expect(messages('person', { name: 'Ada', photoUrl })).toEqual({});
  });
  it.each(['ftp://example.org/a.jpg', 'javascript:alert(1)', 'not a url', 'file:///etc/passwd'])(
    'refuses URL %s',
    (photoUrl) => {
      expect(messages('person', { name: 'Ada', photoUrl }).photoUrl).toBe(
        'The photo URL must start with http:// or https://.',
      );
    },
  );
  it('accepts an image data URL and refuses anything else as a photo file', () => {
    expect(messages('dog', { name: 'Rex', photoFile: 'data:image/png;base64,iVBORw0KGgo=' })).toEqual({});
    expect(messages('dog', { name: 'Rex', photoFile: 'data:text/html;base64,PGgxPg==' }).photoFile).toBe(
      'The photo must be an image (PNG, JPEG, WebP or GIF).',
    );
  });
  it('shows the photo unless told otherwise', () => {
    expect(entities.person.fieldsSchema.parse({ name: 'Ada' }).photoVisible).toBe(true);
  });
});

describe('references and numbers', () => {
  it('refuses a reference that is not an id', () => {
    expect(messages('video', { title: 'T', people: ['bob'] })['people.0']).toBe('Must be a valid id.');
  });
  it('requires a positive whole episode number', () => {
    expect(messages('video', { title: 'T', episode: 0 }).episode).toBe('Episode must be 1 or more.');
    expect(messages('video', { title: 'T', episode: 2 })).toEqual({});
  });
});
