import { describe, expect, it } from 'vitest';
import { formFieldsOf } from '../../renderer/src/forms/form-fields';
import { validateForm } from '../../renderer/src/forms/form-values';

describe('form labels', () => {
  it('labels a field as its error message names it', () => {
    const publishedAt = formFieldsOf('video').find((field) => field.name === 'publishedAt');
    expect(publishedAt?.label).toBe('Published date');
    expect(validateForm('video', { title: 'Walk', publishedAt: '2025-02-30' }).publishedAt).toBe(
      'Published date is not a real calendar date.',
    );
  });
});
